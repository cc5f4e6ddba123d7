import type { Command } from 'commander';
import { DEFAULT_PORT } from '../../core/config/data-dir.js';
import { redactRedisUrl } from '../../core/limits/redis/redact-url.js';
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
        'keep the ledger and the config (tools, token hashes, limits, settings) in Postgres, shared by replicas (postgres://…; or SHIMMY_DATABASE_URL)',
      )
      .option(
        '--redis <url>',
        'share budgets and rate limits with other replicas through Redis (redis://…; or SHIMMY_REDIS_URL)',
      ),
  ).action(
    async (opts: { port?: number; host: string; dataDir?: string; database?: string; redis?: string }) => {
      const dataDir = resolveDataDir(opts.dataDir);
      if (!LOOPBACK.has(opts.host)) {
        console.error(
          `WARNING: binding ${opts.host}: the proxy is reachable from other machines. Tool tokens still guard it, but prefer 127.0.0.1.`,
        );
      }
      // The signal handlers go in before start-up: the port opens inside startCore(), and a SIGTERM
      // between that and its return would otherwise kill the process with requests already in.
      // A signal during start-up stops it as soon as it has started (the same drain); a second one
      // exits at once, so a start-up that hangs (a database that does not answer) can be left.
      const started: { stop?: () => Promise<void> } = {};
      let signalled = false;
      const onSignal = () => {
        if (started.stop) return void started.stop();
        if (signalled) process.exit(1);
        signalled = true;
        process.stderr.write('Shimmy will stop once started (Ctrl-C again to stop now)\n');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // Loaded here, not at the top: every other command only talks HTTP and should start fast.
      const { startCore } = await (await import('../../core/load-core.js')).loadCore();
      const { PortInUseError } = await import('../../core/server.js');
      const { ConfigError } = await import('../../core/config/config-store.js');
      const { DataDirLockedError } = await import('../../core/config/data-dir-lock.js');
      const redis = opts.redis ?? (process.env.SHIMMY_REDIS_URL || undefined);
      let core;
      try {
        const database = opts.database ?? (process.env.SHIMMY_DATABASE_URL || undefined);
        core = await startCore({
          dataDir,
          port: opts.port ?? DEFAULT_PORT,
          host: opts.host,
          database,
          redis,
        });
      } catch (err) {
        if (err instanceof PortInUseError || err instanceof DataDirLockedError || err instanceof ConfigError)
          throw new CliError(err.message, 2);
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
          `  Limits:              ${redis ? `${redactRedisUrl(redis)} (shared by every replica)` : 'in memory (this instance)'}`,
          '',
        ].join('\n'),
      );
      // The first signal drains (streams in flight finish and are recorded, up to the
      // shutdownGraceMs setting); a second one cuts them.
      const force = new AbortController();
      let stopping = false;
      started.stop = async () => {
        if (stopping) {
          force.abort();
          return;
        }
        stopping = true;
        const n = core.inFlight();
        if (n > 0)
          process.stderr.write(
            `Shimmy is stopping: letting ${n} request(s) in flight finish (Ctrl-C again to stop now)\n`,
          );
        await core.close({ force: force.signal });
        process.exit(0);
      };
      if (signalled) void started.stop();
    },
  );
}
