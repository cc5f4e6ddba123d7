import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
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
      .option('--cache-write <x>', 'cache write USD per 1M tokens', perMillion('--cache-write')),
  ).action(
    async (
      model: string,
      o: Opts & { input: number; output: number; cachedInput?: number; cacheWrite?: number },
    ) => {
      const body = {
        input: o.input,
        output: o.output,
        ...(o.cachedInput !== undefined ? { cachedInput: o.cachedInput } : {}),
        ...(o.cacheWrite !== undefined ? { cacheWrite: o.cacheWrite } : {}),
      };
      await (await connectAdmin(resolveDataDir(o.dataDir))).call('putPrice', { params: { model }, body });
      console.log(`Price for ${model}: $${o.input} in / $${o.output} out per 1M tokens`);
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
    const list = await (await connectAdmin(resolveDataDir(o.dataDir))).call('listPrices');
    if (o.json) return void console.log(JSON.stringify(list, null, 2));
    console.log(
      formatTable(
        ['MODEL', 'INPUT', 'CACHED', 'CACHE WRITE', 'OUTPUT', 'SOURCE'],
        list.map((p) => [
          p.model,
          p.price.input,
          p.price.cachedInput ?? '-',
          p.price.cacheWrite ?? '-',
          p.price.output,
          p.source,
        ]),
      ),
    );
  });

  dataDirOption(
    price
      .command('refresh')
      .description('fetch a LiteLLM-format price list (default: settings.priceListUrl)')
      .option('--url <url>', 'price list URL'),
  ).action(async (o: Opts & { url?: string }) => {
    const r = await (
      await connectAdmin(resolveDataDir(o.dataDir))
    ).call('refreshPrices', { body: o.url ? { url: o.url } : {} });
    if (r.ok) console.log(`Loaded ${r.models} model prices from ${r.url}`);
    else {
      console.error(`Could not refresh prices from ${r.url}: ${r.message} (the built-in table stays in use)`);
      process.exitCode = 1;
    }
  });
}
