// The roll-up snapshot: roll-ups plus how many bytes of each segment they count, so opening
// replays only segment tails. Written atomically; a broken one is set aside, never trusted.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Rollups, type RollupEntry } from '../rollups.js';
import { writeFileAtomic } from './durable-fs.js';

export const SNAPSHOT_FILE = 'rollups.json';
const VERSION = 1;

export interface Snapshot {
  rollups: Rollups;
  /** Segment file name → bytes already counted in `rollups`. */
  counted: Map<string, number>;
}

interface SnapshotJson {
  version: number;
  counted: Record<string, number>;
  rollups: RollupEntry[];
}

export async function readSnapshot(
  dir: string,
  onError: (err: Error) => void,
): Promise<Snapshot | undefined> {
  const path = join(dir, SNAPSHOT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const json = JSON.parse(text) as SnapshotJson;
    if (json.version !== VERSION || !Array.isArray(json.rollups) || typeof json.counted !== 'object') {
      throw new Error(`unsupported snapshot version ${String(json.version)}`);
    }
    return { rollups: Rollups.fromEntries(json.rollups), counted: new Map(Object.entries(json.counted)) };
  } catch (err) {
    // Keep the file for a human to look at; roll-ups are rebuilt from the segments still on disk.
    const aside = `${path}.corrupt-${Date.now()}`;
    await rename(path, aside);
    onError(new Error(`ledger snapshot unreadable (${(err as Error).message}); moved to ${aside}`));
    return undefined;
  }
}

/** Serializes now (so the caller's state cannot change under it), writes atomically later. */
export function serializeSnapshot(rollups: Rollups, counted: ReadonlyMap<string, number>): string {
  const json: SnapshotJson = {
    version: VERSION,
    counted: Object.fromEntries(counted),
    rollups: rollups.toEntries(),
  };
  return JSON.stringify(json);
}

export async function writeSnapshot(dir: string, serialized: string): Promise<void> {
  await writeFileAtomic(dir, join(dir, SNAPSHOT_FILE), serialized);
}
