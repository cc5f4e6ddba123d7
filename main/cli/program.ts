// The `shimmy` program: which command modules an argv needs, and the commander program built
// from them (index.ts runs it).
import { Command, Help } from 'commander';
import { HELP_TABLE } from './help-table.js';

type Register = (program: Command) => void;

// Each command's module is loaded only when that command runs: loading all of them (and what they
// import) cost every command ~280 ms before it did anything (issue 16). A command not in this
// table loads every module, since commander's "did you mean" lists them all; `help CMD` loads CMD's;
// the top-level help (`--help`, `-h`, `help`) is built from help-table.ts and loads none.
const MODULES: Record<string, () => Promise<Register[]>> = {
  serve: () => import('./commands/serve-command.js').then((m) => [m.registerServe]),
  providerKey: () =>
    import('./commands/provider-key-commands.js').then((m) => [
      m.registerProviderCommands,
      m.registerKeyCommands,
    ]),
  tool: () => import('./commands/tool-commands.js').then((m) => [m.registerToolCommands]),
  execEnv: () => import('./commands/exec-env-commands.js').then((m) => [m.registerExecEnvCommands]),
  agent: () => import('./commands/agent-commands.js').then((m) => [m.registerAgentCommands]),
  usage: () => import('./commands/usage-commands.js').then((m) => [m.registerUsageCommands]),
  export: () => import('./commands/export-command.js').then((m) => [m.registerExportCommand]),
  price: () => import('./commands/price-commands.js').then((m) => [m.registerPriceCommands]),
  cacheRoute: () =>
    import('./commands/cache-route-commands.js').then((m) => [
      m.registerCacheCommands,
      m.registerRouteCommands,
    ]),
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

/** The words of `argv` that are not options (the command, its subcommand, arguments). */
const wordsOf = (argv: string[]) => argv.slice(2).filter((a) => !a.startsWith('-'));

/** The top-level help and nothing else: `shimmy --help`, `shimmy -h`, `shimmy help`. */
export function isTopLevelHelp(argv: string[]): boolean {
  const words = wordsOf(argv);
  const flags = argv.slice(2).filter((a) => a.startsWith('-'));
  if (words.length === 0) return flags.length > 0 && flags.every((a) => a === '--help' || a === '-h');
  return words.length === 1 && words[0] === 'help' && flags.length === 0;
}

/** The modules `argv` needs: the one its command lives in (`help CMD`: CMD's), none for the
 *  top-level help and `--version`, or all of them (an unknown command: commander suggests one). */
export function modulesFor(argv: string[]): string[] {
  const words = wordsOf(argv);
  // `shimmy --version` prints one line: no command's module is needed for it.
  if (words.length === 0 && argv.some((a) => a === '--version' || a === '-V')) return [];
  if (isTopLevelHelp(argv)) return [];
  const word = words[0] === 'help' ? words[1] : words[0];
  const one = word === undefined ? undefined : COMMAND_MODULE[word];
  return one ? [one] : Object.keys(MODULES);
}

function newProgram(): Command {
  return new Command('shimmy')
    .description(
      'A local OpenAI/Anthropic-compatible proxy with per-tool tokens, exact spend and hard limits',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
}

/** The program with every command registered from its module (what the help table mirrors). */
export async function buildFullProgram(): Promise<Command> {
  return register(newProgram(), Object.keys(MODULES));
}

async function register(program: Command, modules: string[]): Promise<Command> {
  // Loaded side by side, registered in MODULES' order (the order `--help` lists them in).
  const loaded = await Promise.all(modules.map((name) => MODULES[name]!()));
  for (const registers of loaded) for (const r of registers) r(program);
  return program;
}

/** The top-level help's program: one stub per help-table row, printed by commander itself, so
 *  wrapping and column widths are the real help's. */
function helpProgram(): Command {
  const program = newProgram();
  const terms = new Map<string, string>();
  for (const [term, description] of HELP_TABLE) {
    const name = term.split(' ')[0]!;
    terms.set(name, term);
    program.command(name).description(description);
  }
  return program.configureHelp({
    subcommandTerm(cmd) {
      return terms.get(cmd.name()) ?? Help.prototype.subcommandTerm.call(this, cmd);
    },
  });
}

export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  if (isTopLevelHelp(argv)) return helpProgram();
  return register(newProgram(), modulesFor(argv));
}
