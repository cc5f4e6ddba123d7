import type { Command } from 'commander';
import type { ToolLimits } from '../../../shared/config.js';
import { formatUsd } from '../../../shared/money.js';
import { connectAdmin } from '../admin-client.js';
import { formatTable } from '../format-table.js';
import { dataDirOption, intOption, resolveDataDir, usdOption } from '../options.js';

type Opts = { dataDir?: string; json?: boolean };
const admin = (o: Opts) => connectAdmin(resolveDataDir(o.dataDir));

interface LimitOpts {
  dailyUsd?: number;
  monthlyUsd?: number;
  rpm?: number;
  tpm?: number;
  models?: string;
  allowUnpriced?: boolean;
}

function limitsFrom(o: LimitOpts): ToolLimits {
  return {
    ...(o.dailyUsd !== undefined ? { dailyUsd: o.dailyUsd } : {}),
    ...(o.monthlyUsd !== undefined ? { monthlyUsd: o.monthlyUsd } : {}),
    ...(o.rpm !== undefined ? { rpm: o.rpm } : {}),
    ...(o.tpm !== undefined ? { tpm: o.tpm } : {}),
    ...(o.models
      ? {
          models: o.models
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(o.allowUnpriced ? { allowUnpriced: true } : {}),
  };
}

const withLimitOptions = (cmd: Command) =>
  cmd
    .option('--daily-usd <x>', 'daily budget in USD', usdOption('--daily-usd'))
    .option('--monthly-usd <x>', 'monthly budget in USD', usdOption('--monthly-usd'))
    .option('--rpm <n>', 'requests per minute', intOption('--rpm'))
    .option('--tpm <n>', 'tokens per minute', intOption('--tpm'))
    .option('--models <globs>', 'allowed models, comma-separated globs (e.g. "gpt-4o*,claude-*")')
    .option(
      '--allow-unpriced',
      'with a USD budget, still allow models that have no known price (their spend is then incomplete)',
    );

export function describeLimits(l: ToolLimits): string {
  const parts = [
    l.dailyUsd !== undefined ? `${formatUsd(l.dailyUsd)}/day` : '',
    l.monthlyUsd !== undefined ? `${formatUsd(l.monthlyUsd)}/month` : '',
    l.rpm !== undefined ? `${l.rpm} rpm` : '',
    l.tpm !== undefined ? `${l.tpm} tpm` : '',
    l.models ? `models ${l.models.join(',')}` : '',
    l.allowUnpriced ? 'unpriced models allowed' : '',
  ].filter(Boolean);
  return parts.join(', ') || 'no limits';
}

export function registerToolCommands(program: Command): void {
  const tool = program
    .command('tool')
    .description('tools (scripts, CLIs, editors) and their tokens and limits');

  dataDirOption(
    withLimitOptions(tool.command('add <name>').description('create a tool and print its token once')).option(
      '--json',
      'print {"name","token"}',
    ),
  ).action(async (name: string, o: Opts & LimitOpts) => {
    const created = await (await admin(o)).call('createTool', { body: { name, limits: limitsFrom(o) } });
    if (o.json) return void console.log(JSON.stringify({ name: created.tool.name, token: created.token }));
    console.log(`Created tool ${name} (${describeLimits(created.tool.limits)}).`);
    console.log(`Token (shown once, store it now): ${created.token}`);
    console.log(`Or skip tokens entirely: shimmy exec --tool ${name} -- <command>`);
  });

  dataDirOption(
    withLimitOptions(
      tool
        .command('limits <name>')
        .description("change a tool's limits (replaces them; effective on the next request)"),
    ),
  ).action(async (name: string, o: Opts & LimitOpts) => {
    const t = await (await admin(o)).call('patchTool', { params: { name }, body: { limits: limitsFrom(o) } });
    console.log(`${name}: ${describeLimits(t.limits)}`);
  });

  dataDirOption(
    tool
      .command('model <name> <model>')
      .description("make every request of the tool use MODEL ('none' to stop overriding)"),
  ).action(async (name: string, model: string, o: Opts) => {
    await (
      await admin(o)
    ).call('patchTool', { params: { name }, body: { modelOverride: model === 'none' ? null : model } });
    console.log(
      model === 'none' ? `${name} uses the models it asks for` : `${name} now always uses ${model}`,
    );
  });

  dataDirOption(
    tool.command('list').description('list tools').option('--json', 'machine-readable output'),
  ).action(async (o: Opts) => {
    const tools = await (await admin(o)).call('listTools');
    if (o.json) return void console.log(JSON.stringify(tools, null, 2));
    if (tools.length === 0)
      return void console.log('No tools yet. Create one with: shimmy tool add NAME --daily-usd 5');
    console.log(
      formatTable(
        ['NAME', 'STATE', 'LIMITS', 'TOKENS'],
        tools.map((t) => [t.name, t.paused ? 'paused' : 'active', describeLimits(t.limits), t.activeTokens]),
      ),
    );
  });

  for (const [verb, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    dataDirOption(
      tool
        .command(`${verb} <name>`)
        .description(`${verb} a tool (${paused ? 'its requests get 403' : 'requests flow again'})`),
    ).action(async (name: string, o: Opts) => {
      await (await admin(o)).call('patchTool', { params: { name }, body: { paused } });
      console.log(`${name} ${paused ? 'paused' : 'resumed'}`);
    });
  }

  dataDirOption(tool.command('remove <name>').description('delete a tool and its tokens')).action(
    async (name: string, o: Opts) => {
      await (await admin(o)).call('deleteTool', { params: { name } });
      console.log(`Removed tool ${name}`);
    },
  );

  dataDirOption(
    tool
      .command('rotate <name>')
      .description('new token; every old token of the tool stops working')
      .option('--json', 'print {"name","token"}'),
  ).action(async (name: string, o: Opts) => {
    const { token } = await (await admin(o)).call('rotateTool', { params: { name } });
    if (o.json) return void console.log(JSON.stringify({ name, token }));
    console.log(`New token for ${name} (shown once; old tokens are dead): ${token}`);
  });
}
