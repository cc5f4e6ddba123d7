// fsync helpers: a rename or a new file is only crash-safe once its directory entry is synced too.
import { open, rename } from 'node:fs/promises';

/** fsyncs a directory; platforms that cannot open directories (Windows) skip it. */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await fh.sync();
  } catch {
    // EINVAL/EPERM on some filesystems: nothing more we can do.
  } finally {
    await fh.close();
  }
}

/** Writes a whole file so that after a crash it holds either the old or the new content. */
export async function writeFileAtomic(dir: string, path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(dir);
}
