// `shimmy settings list|get|set`: the running instance's settings through the admin API (the same
// GET/PATCH /api/settings the dashboard's Settings page uses).
import type { Command } from 'commander';
import { connectAdmin } from '../admin-client.js';
import { formatTable } from '../format-table.js';
import { dataDirOption, resolveDataDir } from '../options.js';

type Opts = { dataDir?: string; json?: boolean };
const admin = (o: Opts) => connectAdmin(resolveDataDir(o.dataDir));
// The settings schemas (zod) load when a settings command runs, not for every `shimmy --help` (issue 16).
const schemas = async () => {
  const [{ SettingsViewSchema }, value] = await Promise.all([
    import('../../../shared/admin-api.js'),
    import('../settings-value.js'),
  ]);
  return { ALL_KEYS: Object.keys(SettingsViewSchema.shape), ...value };
};

const show = (v: unknown) => (v === undefined ? '(not set)' : typeof v === 'string' ? v : JSON.stringify(v));

export function registerSettingsCommands(program: Command): void {
  const settings = program
    .command('settings')
    .description('read and change settings (timeouts, retention, budgets for all tools, …)');

  dataDirOption(
    settings.command('list').description('every setting and its value').option('--json', 'one JSON object'),
  ).action(async (o: Opts) => {
    const { ALL_KEYS, SETTABLE_KEYS } = await schemas();
    const s = (await (await admin(o)).call('getSettings')) as Record<string, unknown>;
    if (o.json) return void console.log(JSON.stringify(s, null, 2));
    console.log(
      formatTable(
        ['SETTING', 'VALUE', ''],
        ALL_KEYS.map((k) => [k, show(s[k]), (SETTABLE_KEYS as string[]).includes(k) ? '' : 'read-only']),
      ),
    );
  });

  dataDirOption(
    settings
      .command('get <key>')
      .description('print one setting (JSON for lists and objects; nothing when not set)'),
  ).action(async (key: string, o: Opts) => {
    const { ALL_KEYS, unknownKey } = await schemas();
    if (!ALL_KEYS.includes(key)) throw unknownKey(key, ALL_KEYS);
    const v = ((await (await admin(o)).call('getSettings')) as Record<string, unknown>)[key];
    if (v !== undefined) console.log(show(v));
  });

  dataDirOption(
    settings
      .command('set <key> <value>')
      .description(
        'change one setting: numbers, true/false, text; `null` clears an optional one; …Ms settings also take 90s, 10m',
      ),
  ).action(async (key: string, value: string, o: Opts) => {
    const { settingsPatchFor } = await schemas();
    const body = settingsPatchFor(key, value);
    const s = (await (await admin(o)).call('patchSettings', { body })) as Record<string, unknown>;
    console.log(`${key} = ${show(s[key])}`);
  });
}
