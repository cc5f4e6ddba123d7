import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { PriceStatus } from '../../../shared/admin-api.js';
import { connectAdmin } from '../admin-client.js';
import { formatTable } from '../format-table.js';
import { dataDirOption, resolveDataDir } from '../options.js';

type Opts = { dataDir?: string; json?: boolean };
const perMillion = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n))
    throw new InvalidArgumentError(`${flag} takes USD per 1M tokens, e.g. 0.15, got "${v}"`);
  return n;
};

export function registerPriceCommands(program: Command): void {
  const price = program.command('price').description('model prices (USD per 1M tokens)');

  dataDirOption(
    price
      .command('set <model>')
      .description("add or override a model's price (user prices always win)")
      .requiredOption('--input <x>', 'input USD per 1M tokens', perMillion('--input'))
      .requiredOption('--output <x>', 'output USD per 1M tokens', perMillion('--output'))
      .option('--cached-input <x>', 'cached input USD per 1M tokens', perMillion('--cached-input'))
      .option('--cache-write <x>', '(5-minute) cache write USD per 1M tokens', perMillion('--cache-write'))
      .option('--cache-write-1h <x>', '1-hour cache write USD per 1M tokens', perMillion('--cache-write-1h'))
      .option('--provider <name>', 'only for requests served by this provider (saved as PROVIDER/MODEL)'),
  ).action(
    async (
      model: string,
      o: Opts & {
        input: number;
        output: number;
        cachedInput?: number;
        cacheWrite?: number;
        cacheWrite1h?: number;
        provider?: string;
      },
    ) => {
      const body = {
        input: o.input,
        output: o.output,
        ...(o.cachedInput !== undefined ? { cachedInput: o.cachedInput } : {}),
        ...(o.cacheWrite !== undefined ? { cacheWrite: o.cacheWrite } : {}),
        ...(o.cacheWrite1h !== undefined ? { cacheWrite1h: o.cacheWrite1h } : {}),
      };
      const key = o.provider ? `${o.provider}/${model}` : model;
      await (
        await connectAdmin(resolveDataDir(o.dataDir))
      ).call('putPrice', { params: { model: key }, body });
      console.log(`Price for ${key}: $${o.input} in / $${o.output} out per 1M tokens`);
    },
  );

  dataDirOption(price.command('unset <model>').description('remove a user price override')).action(
    async (model: string, o: Opts) => {
      await (await connectAdmin(resolveDataDir(o.dataDir))).call('deletePrice', { params: { model } });
      console.log(`Removed the override for ${model}`);
    },
  );

  dataDirOption(
    price
      .command('list')
      .description('every known price and where it comes from')
      .option('--json', 'machine-readable output'),
  ).action(async (o: Opts) => {
    const admin = await connectAdmin(resolveDataDir(o.dataDir));
    const [list, status] = await Promise.all([admin.call('listPrices'), admin.call('priceStatus')]);
    if (o.json) return void console.log(JSON.stringify({ ...status, prices: list }, null, 2));
    console.log(
      formatTable(
        ['MODEL', 'PROVIDER', 'INPUT', 'CACHED', 'CACHE WRITE', 'WRITE 1H', 'OUTPUT', 'OTHER', 'SOURCE'],
        list.map((p) => [
          p.model,
          p.provider ?? '-',
          p.price.input,
          p.price.cachedInput ?? '-',
          p.price.cacheWrite ?? '-',
          p.price.cacheWrite1h ?? '-',
          p.price.output,
          [
            p.tiered ? 'long-context tiers' : '',
            ...Object.entries(p.units ?? {}).map(([k, v]) => `${k}=${v}`),
          ]
            .filter(Boolean)
            .join(' ') || '-',
          p.source,
        ]),
      ),
    );
    console.log('');
    for (const line of catalogLines(status)) console.log(line);
  });

  dataDirOption(
    price
      .command('refresh')
      .description(
        "fetch the newest price catalog now (default: settings.priceListUrl, else the catalog's own update URL)",
      )
      .option('--url <url>', 'price list URL'),
  ).action(async (o: Opts & { url?: string }) => {
    const r = await (
      await connectAdmin(resolveDataDir(o.dataDir))
    ).call('refreshPrices', { body: o.url ? { url: o.url } : {} });
    if (r.ok) console.log(`Loaded ${r.models} model prices from ${r.url}`);
    else {
      console.error(
        `Could not refresh prices from ${r.url}: ${r.message} (the last good catalog stays in use)`,
      );
      process.exitCode = 1;
    }
  });
}

/** Where the prices come from, what is wrong with them, and what traffic had none. */
function catalogLines(s: PriceStatus): string[] {
  const c = s.catalog;
  const lines = [
    c.source === 'refreshed'
      ? `Catalog: ${c.library} data refreshed ${c.fetchedAt} from ${c.url}${c.lastModified ? ` (published ${c.lastModified})` : ''}`
      : `Catalog: bundled with ${c.library}`,
    `Background refresh: ${c.autoRefresh ? `on, every 6 h from ${c.refreshUrl}` : 'off'}`,
  ];
  if (c.problem) lines.push(`WARNING: ${c.problem}`);
  if (c.lastRefresh && !c.lastRefresh.ok)
    lines.push(`Last refresh failed at ${c.lastRefresh.at}: ${c.lastRefresh.error}`);
  if (s.unpriced.length) {
    lines.push('', 'Models seen in traffic with no price (their requests are recorded as unpriced):');
    for (const u of s.unpriced)
      lines.push(`  ${u.model} (${u.provider}, ${u.requests} requests): ${u.command}`);
  }
  return lines;
}
