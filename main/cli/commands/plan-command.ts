// `shimmy plan [--json]`: the subscription plans' 5-hour and weekly windows as the providers'
// last answers reported them, and the last 7 days of plan traffic priced at API rates.
import type { Command } from 'commander';
import { formatUsd } from '../../../shared/money.js';
import { connectAdmin } from '../admin-client.js';
import { formatTable } from '../format-table.js';
import { dataDirOption, resolveDataDir } from '../options.js';

export function registerPlanCommand(program: Command): void {
  dataDirOption(
    program
      .command('plan')
      .description(
        'plan limits (5-hour and weekly windows) seen on plan traffic, and its API-equivalent cost',
      )
      .option('--json', 'print [{"provider","window","usedPercent","resetsAt"}]'),
  ).action(async (o: { dataDir?: string; json?: boolean }) => {
    const view = await (await connectAdmin(resolveDataDir(o.dataDir))).call('plans');
    if (o.json) {
      const rows = view.windows.map((w) => ({
        provider: w.provider,
        window: w.window,
        usedPercent: w.usedPercent,
        resetsAt: w.resetsAt,
      }));
      return void console.log(JSON.stringify(rows, null, 2));
    }
    if (view.windows.length === 0) {
      console.log(
        'No plan limits seen yet. Mark a tool that uses its own plan login: shimmy tool plan NAME on ' +
          '(or shimmy connect claude-code --plan); the windows appear after its first answer.',
      );
    } else {
      console.log(
        formatTable(
          ['PLAN', 'WINDOW', 'USED', 'RESETS'],
          view.windows.map((w) => [w.provider, w.window, `${w.usedPercent}%`, w.resetsAt ?? 'unknown']),
        ),
      );
    }
    if (view.week.some((r) => r.requests > 0)) {
      console.log('\nLast 7 days of plan traffic at API prices:');
      console.log(
        formatTable(
          ['PLAN', 'REQUESTS', 'API PRICE', 'PLAN PRICE'],
          view.week.map((r) => [
            r.provider,
            r.requests,
            formatUsd(r.apiEquivalentUsd) + (r.unpriced ? ` (+${r.unpriced} unpriced)` : ''),
            r.planWeekUsd === null ? 'not set' : formatUsd(r.planWeekUsd),
          ]),
        ),
      );
    }
  });
}
