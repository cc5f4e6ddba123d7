// The running instance writes its URL and admin secret to <dataDir>/instance.json (mode 0600), so
// management commands for that data dir can find and authenticate to it.
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const InstanceInfoSchema = z.object({ url: z.string(), secret: z.string(), pid: z.number().int() });
export type InstanceInfo = z.infer<typeof InstanceInfoSchema>;

export const instanceFile = (dataDir: string) => path.join(dataDir, 'instance.json');

export async function writeInstanceFile(dataDir: string, info: InstanceInfo): Promise<void> {
  const file = instanceFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, JSON.stringify(info), { mode: 0o600 });
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export async function readInstanceFile(dataDir: string): Promise<InstanceInfo | undefined> {
  try {
    return InstanceInfoSchema.parse(JSON.parse(await fs.readFile(instanceFile(dataDir), 'utf8')));
  } catch {
    return undefined;
  }
}

/** Removes the file only if it is still ours (a newer instance may have replaced it). */
export async function removeInstanceFile(dataDir: string, secret: string): Promise<void> {
  const current = await readInstanceFile(dataDir);
  if (current?.secret === secret) await fs.rm(instanceFile(dataDir), { force: true });
}
