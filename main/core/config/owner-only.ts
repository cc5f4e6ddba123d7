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
  const walk = async (dir: string): Promise<void> => {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return;
      if (e.isSymbolicLink()) continue;
      const p = path.join(dir, e.name);
      const st = await fsp.lstat(p).catch(() => undefined);
      if (!st) continue; // removed meanwhile
      await tighten(p, st.mode);
      if (st.isDirectory()) await walk(p);
    }
  };
  const top = await fsp.lstat(dataDir);
  await tighten(dataDir, top.mode);
  await walk(dataDir);
  return report;
}
