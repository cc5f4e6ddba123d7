// The config as a document, whatever stores it (config.json, a Postgres row): the first config,
// how a stored document is validated, and how one change is applied. Both engines use these, so
// a document means the same thing in a file and in a database.
import { ConfigSchema, DEFAULT_SETTINGS, type Config } from '../../../shared/config.js';
import { BUILTIN_PROVIDERS, withBuiltinProviders } from './builtin-providers.js';
import { withUnknownFields } from './unknown-fields.js';

export class ConfigError extends Error {}

export function initialConfig(): Config {
  return {
    version: 1,
    providers: BUILTIN_PROVIDERS.map((p) => ({ ...p })),
    tools: [],
    routes: [],
    settings: { ...DEFAULT_SETTINGS },
    prices: {},
  };
}

/** A stored document as a config, or precisely what is wrong with it. */
export function validateConfig(raw: unknown): { config: Config } | { problem: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      problem: `it holds ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}, not an object`,
    };
  const data = raw as Partial<Config>;
  const settings = typeof data.settings === 'object' && data.settings !== null ? data.settings : {};
  // jitless: a stored document is checked once per start (or remote change), and zod's JIT would
  // first generate and compile a parser per object schema — about half of this check's start-up
  // cost (issue 16). Checks that repeat (applyChange) keep the JIT.
  const parsed = ConfigSchema.safeParse(
    { ...initialConfig(), ...data, settings: { ...DEFAULT_SETTINGS, ...settings } },
    { jitless: true },
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `${issue?.path.join('.') || '(top level)'}: ${issue?.message}` };
  }
  // Built-in providers a newer Shimmy brings are added in memory; stored with the next change.
  return { config: { ...parsed.data, providers: withBuiltinProviders(parsed.data.providers) } };
}

/** One change applied to a copy: the validated config, and the document to store (the fields of
 *  `stored` this version does not know carried over). Throws what `change` or the schema throws. */
export function applyChange(
  current: Config,
  stored: unknown,
  change: (draft: Config) => void,
): { next: Config; full: unknown } {
  const draft = structuredClone(current);
  change(draft);
  const next = ConfigSchema.parse(draft);
  return { next, full: withUnknownFields(ConfigSchema, stored, next) };
}

export type ConfigSection = 'tools' | 'providers' | 'settings' | 'prices' | 'routes';

/** The parts of the config that differ (to tell dashboards what to refetch after a remote change). */
export function changedSections(before: Config, after: Config): ConfigSection[] {
  const sections: ConfigSection[] = ['tools', 'providers', 'settings', 'prices', 'routes'];
  return sections.filter((s) => JSON.stringify(before[s]) !== JSON.stringify(after[s]));
}
