// `shimmy`: the CLI. `serve` runs the core; every other command talks to a running instance.
import { CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { buildProgram } from './program.js';

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

// Not a top-level await: the bundle is CommonJS (scripts/bundle-cli.mjs), which has none; a
// rejection still ends the process with its stack, as an uncaught one.
void main(process.argv);
