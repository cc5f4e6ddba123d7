import type { Command } from 'commander';
import { DEFAULT_PORT } from '../../core/config/data-dir.js';
import { CliError } from '../cli-error.js';
import { dataDirOption, intOption, resolveDataDir } from '../options.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function registerServe(program: Command): void {
  dataDirOption(
    program
      .command('serve')
      .description(`start the proxy and the dashboard (headless), on 127.0.0.1:${DEFAULT_PORT} by default`)
      .option(
        '--port <n>',
        `port to listen on (default ${DEFAULT_PORT}; never silently changed)`,
        intOption('--port'),
      )
      .option('--host <addr>', 'address to bind (default 127.0.0.1: loopback only)', '127.0.0.1')
      .option(
        '--database <url>',
        'keep the ledger in Postgres (postgres://…; or SHIMMY_DATABASE_URL) instead of the data dir\'s SQLite file',
      ),
  ).action(async (opts: { port?: number; host: string; dataDir?: string; database?: string }) => {
    const dataDir = resolveDataDir(opts.dataDir);
    if (!LOOPBACK.has(opts.host)) {
      console.error(
        `WARNING: binding ${opts.host}: the proxy is reachable from other machines. Tool tokens still guard it, but prefer 127.0.0.1.`,
      );
    }
    // Loaded here, not at the top: every other command only talks HTTP and should start fast.
    const { startCore } = await import('../../core/start-core.js');
    const { PortInUseError } = await import('../../core/server.js');
    let core;
    try {
      const database = opts.database ?? (process.env.SHIMMY_DATABASE_URL || undefined);
      core = await startCore({ dataDir, port: opts.port ?? DEFAULT_PORT, host: opts.host, database });
    } catch (err) {
      if (err instanceof PortInUseError) throw new CliError(err.message, 2);
      throw err;
    }
    process.stderr.write(
      [
        `Shimmy is listening on ${core.url}`,
        `  OpenAI base URL:     ${core.url}/v1`,
        `  Anthropic base URL:  ${core.url}`,
        `  Dashboard (one-time login link): ${core.createLoginUrl()}`,
        `  Data dir:            ${dataDir}`,
        `  Ledger:              ${core.ledgerLocation}`,
        '',
      ].join('\n'),
    );
    const stop = async () => {
      await core.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });
}
