// The data dir holds spend history, request bodies and the admin secret: on every start it and
// everything under it are made owner-only, including a dir an older version left group- or
// world-readable. Only group/other bits are cleared (a file never gains or loses its owner bits),
// symlinks are not followed, and nothing is written when the modes are already right, so a
// read-only or full disk starts fine.
import fsp from 'node:fs/promises';
import path from 'node:path';

export interface OwnerOnlyReport {
  /** Entries whose mode was tightened. */
  fixed: number;
  /** Entries whose mode could not be changed (read-only file system, not ours). */
  failed: Array<{ path: string; error: string }>;
}

/** Bounds the walk: a data dir is a few thousand entries (cache, ledger segments, bodies). */
const MAX_ENTRIES = 200_000;
const BATCH = 8; // leaves the libuv thread pool free for the start-up reads beside it

/** Everything under the data dir (not the dir itself: see makeDirOwnerOnly). */
export async function makeOwnerOnly(dataDir: string): Promise<OwnerOnlyReport> {
  const report: OwnerOnlyReport = { fixed: 0, failed: [] };
  if (process.platform === 'win32') return report; // ACLs, not modes; the profile dir is private
  let seen = 0;
  const tighten = async (p: string, mode: number) => {
    if ((mode & 0o077) === 0) return;
    try {
      await fsp.chmod(p, mode & 0o700);
      report.fixed++;
    } catch (err) {
      report.failed.push({ path: p, error: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
  };
  const visit = async (p: string) => {
    const st = await fsp.lstat(p).catch(() => undefined);
    if (!st) return; // removed meanwhile
    await tighten(p, st.mode);
    if (st.isDirectory()) await walk(p);
  };
  const walk = async (dir: string): Promise<void> => {
    const entries = (await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])).filter(
      (e) => !e.isSymbolicLink(),
    );
    // A directory's entries side by side, a few at a time (a cache holds up to 10,000 files).
    for (let i = 0; i < entries.length && seen < MAX_ENTRIES; i += BATCH) {
      const batch = entries.slice(i, i + BATCH);
      seen += batch.length;
      await Promise.all(batch.map((e) => visit(path.join(dir, e.name))));
    }
  };
  await walk(dataDir);
  return report;
}

/** The data dir itself first, before anything else opens it: once it is 0700 nothing under it is
 *  reachable by others, so the walk over its contents can run in the background. */
export async function makeDirOwnerOnly(dataDir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await fsp.lstat(dataDir);
  if ((mode & 0o077) !== 0) await fsp.chmod(dataDir, mode & 0o700).catch(() => undefined);
}
