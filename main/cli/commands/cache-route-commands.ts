import type { Command } from 'commander';
import { formatUsd } from '../../../shared/money.js';
import { parseDuration } from '../../core/cache/parse-duration.js';
import { connectAdmin } from '../admin-client.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { dataDirOption, resolveDataDir } from '../options.js';

type Opts = { dataDir?: string; json?: boolean };
const admin = (o: Opts) => connectAdmin(resolveDataDir(o.dataDir));

export function registerCacheCommands(program: Command): void {
  const cache = program.command('cache').description('exact-match response cache (off by default)');
  for (const state of ['on', 'off'] as const) {
    dataDirOption(
      cache
        .command(state)
        .description(`switch the cache ${state} globally, or for one tool`)
        .option('--tool <name>', 'only this tool')
        .option('--ttl <duration>', 'how long answers may be replayed, e.g. 1h, 7d (global)')
        .option('--policy <policy>', 'deterministic (temperature 0 / seed / embeddings) or always (global)'),
    ).action(async (o: Opts & { tool?: string; ttl?: string; policy?: string }) => {
      if (o.policy !== undefined && o.policy !== 'deterministic' && o.policy !== 'always') {
        throw new CliError(`--policy takes deterministic or always, got "${o.policy}"`);
      }
      const client = await admin(o);
      let ttlMs: number | undefined;
      if (o.ttl) {
        try {
          ttlMs = parseDuration(o.ttl);
        } catch (err) {
          throw new CliError(`--ttl: ${(err as Error).message}`);
        }
      }
      if (o.tool)
        await client.call('patchTool', { params: { name: o.tool }, body: { cache: state === 'on' } });
      else await client.call('patchSettings', { body: { cacheEnabled: state === 'on' } });
      if (ttlMs !== undefined) await client.call('patchSettings', { body: { cacheTtlMs: ttlMs } });
      if (o.policy)
        await client.call('patchSettings', { body: { cachePolicy: o.policy as 'deterministic' | 'always' } });
      console.log(`Cache ${state}${o.tool ? ` for ${o.tool}` : ''}${o.ttl ? `, TTL ${o.ttl}` : ''}`);
    });
  }
  dataDirOption(
    cache
      .command('stats')
      .description('entries, hits, misses and money saved')
      .option('--json', 'machine-readable output'),
  ).action(async (o: Opts) => {
    const s = await (await admin(o)).call('cacheStats');
    if (o.json) return void console.log(JSON.stringify(s, null, 2));
    console.log(
      `Cache ${s.enabled ? 'on' : 'off'}: ${s.entries} entries, ${(s.bytes / 1024).toFixed(1)} KiB, ${s.hits} hits, ${s.misses} misses, saved ${formatUsd(s.savedUsd)}`,
    );
  });
  dataDirOption(cache.command('clear').description('drop every cached answer')).action(async (o: Opts) => {
    const r = await (await admin(o)).call('clearCache');
    console.log(`Cleared ${r.cleared} cached answers`);
  });
}

export function registerRouteCommands(program: Command): void {
  const route = program.command('route').description('model aliases and routing rules (first match wins)');
  dataDirOption(
    route
      .command('add <pattern> <target>')
      .description(
        "send models matching PATTERN (a glob) to TARGET: 'provider' or 'provider/model', e.g. route add fast groq/llama-3.1-8b-instant",
      ),
  ).action(async (pattern: string, target: string, o: Opts) => {
    const r = await (await admin(o)).call('addRoute', { body: { pattern, target } });
    console.log(`${r.pattern} → ${r.provider}${r.model ? `/${r.model}` : ' (same model)'}`);
  });
  dataDirOption(
    route.command('list').description('list rules').option('--json', 'machine-readable output'),
  ).action(async (o: Opts) => {
    const rules = await (await admin(o)).call('listRoutes');
    if (o.json) return void console.log(JSON.stringify(rules, null, 2));
    if (rules.length === 0)
      return void console.log("No routes. Add one with: shimmy route add 'fast' groq/llama-3.1-8b-instant");
    console.log(
      formatTable(
        ['PATTERN', 'PROVIDER', 'MODEL'],
        rules.map((r) => [r.pattern, r.provider, r.model ?? '(as requested)']),
      ),
    );
  });
  dataDirOption(route.command('remove <pattern>').description('remove a rule')).action(
    async (pattern: string, o: Opts) => {
      await (await admin(o)).call('deleteRoute', { params: { pattern } });
      console.log(`Removed route ${pattern}`);
    },
  );
}
