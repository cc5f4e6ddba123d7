// One running instance per data dir: two would each enforce their own copy of every budget and
// interleave ledger writes. The lock is a symlink `shimmy.lock` whose target names the holder
// (`PID:BOOT_ID`), the way Emacs locks files: creating a symlink is atomic and fails if one exists,
// and a short target lives in the inode, so taking the lock needs no data block on a full disk.
// A lock whose holder is gone (`kill -9`, a crash, a reboot) is stale and taken over. Windows
// needs privileges for symlinks, so there it is an exclusive-create file with the same text.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'shimmy.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Another Shimmy (PID ${pid}) is already running on the data dir ${dataDir}. ` +
        `Quit it first (tray: Quit, or stop its \`shimmy serve\`), or give this one its own --data-dir.`,
    );
  }
}

export interface DataDirLock {
  /** False when the dir is read-only and could not hold a lock (nothing can be written there either). */
  readonly held: boolean;
  release(): Promise<void>;
}

/** Data dirs locked by this process: a lock naming our own PID is only ours if it is in here. */
const heldHere = new Set<string>();

function bootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const useSymlink = process.platform !== 'win32';

async function create(file: string, text: string): Promise<void> {
  if (useSymlink) await fsp.symlink(text, file);
  else await fsp.writeFile(file, text, { flag: 'wx', mode: 0o600 });
}

async function readHolder(file: string): Promise<string | undefined> {
  try {
    return useSymlink ? await fsp.readlink(file) : await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  const boot = bootId();
  const mine = `${process.pid}:${boot}`;
  if (heldHere.has(dir)) throw new DataDirLockedError(dir, process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await create(file, mine);
      heldHere.add(dir);
      return {
        held: true,
        async release() {
          heldHere.delete(dir);
          if ((await readHolder(file).catch(() => undefined)) === mine) await fsp.rm(file, { force: true });
        },
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
        return { held: false, release: async () => {} };
      if (code !== 'EEXIST') throw err;
    }
    const holder = await readHolder(file);
    if (holder === undefined) continue; // released between our attempt and the read
    const [pidText = '', holderBoot = ''] = holder.split(':');
    const pid = Number(pidText);
    const sameBoot = holderBoot === boot;
    // Our own PID in a lock we do not hold means the PID was reused after a kill: stale.
    const live = Number.isInteger(pid) && pid > 0 && sameBoot && pid !== process.pid && isAlive(pid);
    if (live) throw new DataDirLockedError(dir, pid);
    // Stale. Two instances taking over at the same moment could both remove it; the loser's
    // create then fails with EEXIST and it reads the winner's live PID on the next round.
    if ((await readHolder(file)) === holder) await fsp.rm(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}; remove it if no Shimmy is running.`);
}
