// The running instance's URL and admin secret for a data dir, as `serve` wrote them
// (core/instance-file.ts), read without zod: core/instance-file.ts checks them with a zod schema,
// and loading zod (its ~165 kB chunk and its set-up) for three fields was the largest part of a
// management command's own start-up after Node's (issue 16: `shimmy tool list` own CPU).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { InstanceInfo } from '../core/instance-file.js';

/** core/instance-file.ts's instanceFile(): test/unit/cli/read-instance.test.ts holds them equal. */
export const INSTANCE_FILE = 'instance.json';

/** What readInstanceFile() returns for the same file: the three fields, or undefined. */
export async function readInstance(dataDir: string): Promise<InstanceInfo | undefined> {
  try {
    const v = JSON.parse(await fs.readFile(path.join(dataDir, INSTANCE_FILE), 'utf8')) as unknown;
    if (typeof v !== 'object' || v === null) return undefined;
    const { url, secret, pid } = v as Record<string, unknown>;
    if (typeof url !== 'string' || typeof secret !== 'string' || !Number.isSafeInteger(pid)) return undefined;
    return { url, secret, pid: pid as number };
  } catch {
    return undefined;
  }
}
