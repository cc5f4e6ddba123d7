import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { formatUsd } from '../../../shared/money.js';
import type { UsageGroup } from '../../../shared/ledger.js';
import { isUsageGroup } from '../../../shared/usage-groups.js';
import { connectAdmin } from '../admin-client.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { dataDirOption, intOption, resolveDataDir } from '../options.js';

type Opts = { dataDir?: string; json?: boolean };

function groups(value: string): string {
  for (const g of value.split(',')) {
    if (!isUsageGroup(g))
      throw new InvalidArgumentError(
        `--by takes tool, model, day, user, project, client or session (comma-separated), got "${g}"`,
      );
  }
  return value;
}

export function registerUsageCommands(program: Command): void {
  dataDirOption(
    program
      .command('usage')
      .description('spend and tokens, grouped')
      .option('--since <date>', 'first local day (YYYY-MM-DD) or ISO time')
      .option(
        '--by <groups>',
        'tool|model|day|user|project|client|session (comma-separated for several)',
        groups,
        'tool',
      )
      .option('--json', 'an array of rows'),
  ).action(async (o: Opts & { since?: string; by: string }) => {
    const rows = await (
      await connectAdmin(resolveDataDir(o.dataDir))
    ).call('usage', { query: { since: o.since, by: o.by } });
    if (o.json) return void console.log(JSON.stringify(rows, null, 2));
    if (rows.length === 0) return void console.log('No requests in that period.');
    const asked = o.by.split(',') as UsageGroup[];
    // A session's rows also say whose it is (tool and client), as the usage route returns them.
    const keys: UsageGroup[] = asked.includes('session')
      ? [...new Set<UsageGroup>(['tool', 'client', ...asked])]
      : asked;
    console.log(
      formatTable(
        [
          ...keys.map((k) => k.toUpperCase()),
          'REQUESTS',
          'INPUT',
          'CACHED',
          'CACHE WRITE',
          'OUTPUT',
          'REASONING',
          'COST',
          'UNPRICED',
        ],
        rows.map((r) => [
          ...keys.map((k) => r[k] ?? '-'),
          r.requests,
          r.inputTokens,
          r.cachedInputTokens,
          r.cacheWriteTokens,
          r.outputTokens,
          r.reasoningTokens,
          formatUsd(r.costUsd),
          r.unpriced,
        ]),
      ),
    );
  });

  dataDirOption(
    program
      .command('logs')
      .description('recent requests, newest first')
      .option('--tool <name>', 'only this tool')
      .option('--model <model>', 'only this model')
      .option('--status <n>', 'only this HTTP status (or ok / error)')
      .option('--since <date>', 'from this date or ISO time (inclusive)')
      .option('--until <date>', 'up to this date or ISO time (exclusive)')
      .option('--limit <n>', 'how many (max 500)', intOption('--limit'), 50)
      .option('--format <fmt>', 'table, json, jsonl or csv')
      .option('--json', 'same as --format json'),
  ).action(
    async (
      o: Opts & {
        tool?: string;
        model?: string;
        status?: string;
        since?: string;
        until?: string;
        limit: number;
        format?: string;
      },
    ) => {
      const format = o.json ? 'json' : (o.format ?? 'table');
      if (!['table', 'json', 'jsonl', 'csv'].includes(format))
        throw new CliError(`--format takes table, json, jsonl or csv, got "${format}"`);
      const client = await connectAdmin(resolveDataDir(o.dataDir));
      const query = {
        tool: o.tool,
        model: o.model,
        status: o.status,
        since: o.since,
        until: o.until,
        limit: String(Math.min(o.limit, 500)),
      };
      if (format === 'csv' || format === 'jsonl') {
        const { openExport } = await import('./export-command.js');
        return void process.stdout.write(await (await openExport(client, { ...query, format })).text());
      }
      const page = await client.call('listRequests', { query });
      if (format === 'json') return void console.log(JSON.stringify(page.records, null, 2));
      if (page.records.length === 0) return void console.log('No requests yet.');
      console.log(
        formatTable(
          ['TIME', 'TOOL', 'MODEL', 'STATUS', 'MS', 'IN', 'OUT', 'COST', 'NOTE'],
          page.records.map((r) => [
            new Date(r.time).toLocaleString(),
            r.tool,
            r.model,
            r.status,
            Math.round(r.latencyMs),
            r.usage.inputTokens,
            r.usage.outputTokens,
            r.costUsd === null ? 'unpriced' : formatUsd(r.costUsd),
            [r.errorClass, r.cacheHit ? 'cache hit' : '', r.estimated ? 'estimated' : '']
              .filter(Boolean)
              .join(' '),
          ]),
        ),
      );
    },
  );
}
