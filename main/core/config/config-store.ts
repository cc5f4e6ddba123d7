// config.json in the data dir. Writes go through lowdb's JSONFile (steno writes a temp file and
// renames it, so a crash mid-write leaves the last good file). The running instance is its only
// writer; the CLI goes through the admin API. The file is never rewritten just because Shimmy
// started (a full disk must not stop a start that needs no write), never replaced when it cannot
// be read, and keeps the fields a newer version added.
import fs from 'node:fs/promises';
import path from 'node:path';
import { JSONFile } from 'lowdb/node';
import { ConfigSchema, DEFAULT_SETTINGS, type Config } from '../../../shared/config.js';
import { BUILTIN_PROVIDERS, withBuiltinProviders } from './builtin-providers.js';
import { withUnknownFields } from './unknown-fields.js';

export interface ConfigStore {
  /** The current config. Treat as read-only: change it through `update`. */
  get(): Config;
  /** Applies a change to a copy, validates it, writes it atomically, then makes it current. */
  update(change: (draft: Config) => void): Promise<Config>;
  /** Called after every successful update (token index, events). */
  onChange(listener: (config: Config) => void): void;
}

export class ConfigError extends Error {}

function initialConfig(): Config {
  return {
    version: 1,
    providers: BUILTIN_PROVIDERS.map((p) => ({ ...p })),
    tools: [],
    routes: [],
    settings: { ...DEFAULT_SETTINGS },
    prices: {},
  };
}

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
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return refuse(
      file,
      `it holds ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}, not an object`,
    );
  const data = raw as Partial<Config>;
  const settings = typeof data.settings === 'object' && data.settings !== null ? data.settings : {};
  const parsed = ConfigSchema.safeParse({
    ...initialConfig(),
    ...data,
    settings: { ...DEFAULT_SETTINGS, ...settings },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(file, `${issue?.path.join('.') || '(top level)'}: ${issue?.message}`);
  }
  // Built-in providers a newer Shimmy brings are added in memory; written with the next change.
  return { config: { ...parsed.data, providers: withBuiltinProviders(parsed.data.providers) }, raw };
}

export async function openConfigStore(dataDir: string): Promise<ConfigStore> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'config.json');
  const adapter = new JSONFile<unknown>(file);
  const write = async (data: unknown) => {
    await adapter.write(data);
    await fs.chmod(file, 0o600);
  };
  const text = await readText(file);
  let current: Config;
  // What the file holds (unknown fields included): the base every write carries them over from.
  let onDisk: unknown;
  if (text === undefined) {
    current = initialConfig();
    onDisk = current;
    await write(current);
  } else {
    ({ config: current, raw: onDisk } = await parseConfig(file, text));
  }
  const listeners: ((c: Config) => void)[] = [];
  // Writes are serialized so two admin calls can never interleave a read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    get: () => current,
    onChange: (l) => listeners.push(l),
    update(change) {
      const run = async () => {
        const draft = structuredClone(current);
        change(draft);
        const next = ConfigSchema.parse(draft);
        const full = withUnknownFields(ConfigSchema, onDisk, next);
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
