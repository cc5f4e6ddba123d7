// `shimmy`: the CLI. `serve` runs the core; every other command talks to a running instance.
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { registerAgentCommands } from './commands/agent-commands.js';
import { registerExecEnvCommands } from './commands/exec-env-commands.js';
import { registerPriceCommands } from './commands/price-commands.js';
import { registerKeyCommands, registerProviderCommands } from './commands/provider-key-commands.js';
import { registerServe } from './commands/serve-command.js';
import { registerToolCommands } from './commands/tool-commands.js';
import { registerUsageCommands } from './commands/usage-commands.js';
import { registerDashboardCommand } from './commands/dashboard-command.js';
import { registerPlanCommand } from './commands/plan-command.js';
import { registerCacheCommands, registerRouteCommands } from './commands/cache-route-commands.js';
import { registerSettingsCommands } from './commands/settings-commands.js';

export function buildProgram(): Command {
  const program = new Command('shimmy')
    .description(
      'A local OpenAI/Anthropic-compatible proxy with per-tool tokens, exact spend and hard limits',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerServe(program);
  registerProviderCommands(program);
  registerKeyCommands(program);
  registerToolCommands(program);
  registerExecEnvCommands(program);
  registerAgentCommands(program);
  registerUsageCommands(program);
  registerPriceCommands(program);
  registerCacheCommands(program);
  registerRouteCommands(program);
  registerDashboardCommand(program);
  registerPlanCommand(program);
  registerSettingsCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
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
