// config.json in the data dir, through lowdb (steno writes a temp file and renames it, so a crash
// mid-write leaves the last good file). The running instance is its only writer; the CLI goes
// through the admin API.
import fs from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { ConfigSchema, DEFAULT_SETTINGS, type Config } from '../../../shared/config.js';
import { BUILTIN_PROVIDERS, withBuiltinProviders } from './builtin-providers.js';

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

export async function openConfigStore(dataDir: string): Promise<ConfigStore> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'config.json');
  const db = new Low<Config>(new JSONFile<Config>(file), initialConfig());
  try {
    await db.read();
  } catch (err) {
    // Never overwrite a file we cannot read: the user's tools and limits are in it.
    throw new ConfigError(`${file} is not valid JSON (${(err as Error).message}); fix or move it away`);
  }
  const parsed = ConfigSchema.safeParse({
    ...initialConfig(),
    ...db.data,
    settings: { ...DEFAULT_SETTINGS, ...db.data.settings },
  });
  if (!parsed.success) {
    throw new ConfigError(
      `${file} does not match the expected shape: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  }
  db.data = { ...parsed.data, providers: withBuiltinProviders(parsed.data.providers) };
  await db.write();
  const listeners: ((c: Config) => void)[] = [];
  // Writes are serialized so two admin calls can never interleave a read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    get: () => db.data,
    onChange: (l) => listeners.push(l),
    update(change) {
      const run = async () => {
        const draft = structuredClone(db.data);
        change(draft);
        const next = ConfigSchema.parse(draft);
        const previous = db.data;
        db.data = next;
        try {
          await db.write();
        } catch (err) {
          db.data = previous;
          throw err;
        }
        for (const l of listeners) l(next);
        return next;
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
