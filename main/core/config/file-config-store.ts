// config.json in the data dir. Writes go through lowdb's JSONFile (steno writes a temp file and
// renames it, so a crash mid-write leaves the last good file). The running instance is its only
// writer; the CLI goes through the admin API. The file is never rewritten just because Shimmy
// started (a full disk must not stop a start that needs no write), never replaced when it cannot
// be read, and keeps the fields a newer version added.
import fs from 'node:fs/promises';
import path from 'node:path';
import { JSONFile } from 'lowdb/node';
import type { Config } from '../../../shared/config.js';
import { applyChange, ConfigError, initialConfig, validateConfig } from './config-document.js';
import type { ConfigStore } from './config-store.js';

export const CONFIG_FILE = 'config.json';

/** The file's text, or undefined when there is none yet (first start). */
async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${file} cannot be read: ${(err as Error).message}`);
  }
}

/** Keeps a copy of a file we refuse, so whatever the user does next, its content survives. */
async function refuse(file: string, problem: string): Promise<never> {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const backup = `${file}.invalid-${stamp}`;
  const copied = await fs.copyFile(file, backup).then(
    () => `A copy is kept as ${backup}.`,
    (err: Error) => `(No backup copy could be made: ${err.message}.)`,
  );
  throw new ConfigError(
    `${file} is not a valid Shimmy config: ${problem}. Shimmy did not start and did not change the file. ` +
      `Fix it, or move it away to start with an empty config. ${copied}`,
  );
}

/** Parses the file's text into a config, or explains precisely what is wrong with it. */
async function parseConfig(file: string, text: string): Promise<{ config: Config; raw: unknown }> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return refuse(file, `not JSON (${(err as Error).message})`);
  }
  const valid = validateConfig(raw);
  return 'problem' in valid ? refuse(file, valid.problem) : { config: valid.config, raw };
}

/** The data dir's config.json as a config and as stored (unknown fields included); undefined when
 *  there is none. A file that is not valid is refused (ConfigError), with a backup copy. */
export async function readConfigFile(dataDir: string): Promise<{ config: Config; raw: unknown } | undefined> {
  const file = path.join(dataDir, CONFIG_FILE);
  const text = await readText(file);
  return text === undefined ? undefined : parseConfig(file, text);
}

export async function openConfigStore(dataDir: string): Promise<ConfigStore> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, CONFIG_FILE);
  const adapter = new JSONFile<unknown>(file);
  const write = async (data: unknown) => {
    await adapter.write(data);
    await fs.chmod(file, 0o600);
  };
  const read = await readConfigFile(dataDir);
  let current: Config;
  // What the file holds (unknown fields included): the base every write carries them over from.
  let onDisk: unknown;
  if (read === undefined) {
    current = initialConfig();
    onDisk = current;
    await write(current);
  } else {
    ({ config: current, raw: onDisk } = read);
  }
  const listeners: ((c: Config) => void)[] = [];
  // Writes are serialized so two admin calls can never interleave a read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    get: () => current,
    onChange: (l) => listeners.push(l),
    close: () => queue.then(() => undefined),
    update(change) {
      const run = async () => {
        const { next, full } = applyChange(current, onDisk, change);
        await write(full);
        onDisk = full;
        current = next;
        for (const l of listeners) l(next);
        return next;
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
