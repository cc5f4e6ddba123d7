// `shimmy`: the CLI. `serve` runs the core; every other command talks to a running instance.
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';

type Register = (program: Command) => void;

// Each command's module is loaded only when that command runs: loading all of them (and what they
// import) cost every command ~280 ms before it did anything (issue 16). `--help`, `help` and a
// command not in this table load every module, since commander's help lists them all.
const MODULES: Record<string, () => Promise<Register[]>> = {
  serve: () => import('./commands/serve-command.js').then((m) => [m.registerServe]),
  providerKey: () =>
    import('./commands/provider-key-commands.js').then((m) => [m.registerProviderCommands, m.registerKeyCommands]),
  tool: () => import('./commands/tool-commands.js').then((m) => [m.registerToolCommands]),
  execEnv: () => import('./commands/exec-env-commands.js').then((m) => [m.registerExecEnvCommands]),
  agent: () => import('./commands/agent-commands.js').then((m) => [m.registerAgentCommands]),
  usage: () => import('./commands/usage-commands.js').then((m) => [m.registerUsageCommands]),
  export: () => import('./commands/export-command.js').then((m) => [m.registerExportCommand]),
  price: () => import('./commands/price-commands.js').then((m) => [m.registerPriceCommands]),
  cacheRoute: () =>
    import('./commands/cache-route-commands.js').then((m) => [m.registerCacheCommands, m.registerRouteCommands]),
  dashboard: () => import('./commands/dashboard-command.js').then((m) => [m.registerDashboardCommand]),
  plan: () => import('./commands/plan-command.js').then((m) => [m.registerPlanCommand]),
  settings: () => import('./commands/settings-commands.js').then((m) => [m.registerSettingsCommands]),
};
/** Top-level command name → its module in MODULES. */
const COMMAND_MODULE: Record<string, string> = {
  serve: 'serve',
  provider: 'providerKey',
  key: 'providerKey',
  tool: 'tool',
  exec: 'execEnv',
  env: 'execEnv',
  token: 'agent',
  connect: 'agent',
  disconnect: 'agent',
  usage: 'usage',
  logs: 'usage',
  export: 'export',
  price: 'price',
  cache: 'cacheRoute',
  route: 'cacheRoute',
  dashboard: 'dashboard',
  plan: 'plan',
  settings: 'settings',
};

/** The modules `argv` needs: the one its command lives in, or all of them (help, unknown). */
function modulesFor(argv: string[]): string[] {
  const word = argv.slice(2).find((a) => !a.startsWith('-'));
  // `shimmy --version` prints one line: no command's module is needed for it.
  if (word === undefined && argv.some((a) => a === '--version' || a === '-V')) return [];
  const one = word === undefined ? undefined : COMMAND_MODULE[word];
  return one ? [one] : Object.keys(MODULES);
}

export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command('shimmy')
    .description(
      'A local OpenAI/Anthropic-compatible proxy with per-tool tokens, exact spend and hard limits',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  // Loaded side by side, registered in MODULES' order (the order `--help` lists them in).
  const loaded = await Promise.all(modulesFor(argv).map((name) => MODULES[name]!()));
  for (const registers of loaded) for (const register of registers) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof CliError) {
      console.error(`shimmy: ${err.message}`);
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}

await main(process.argv);
