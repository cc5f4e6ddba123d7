// `shimmy exec` and `shimmy env`: a tool's environment, pointing OpenAI and Anthropic clients at
// the proxy, without the user's real credentials. Tool tokens are stored only as hashes, so both
// mint a fresh, expiring token; exec revokes its own as soon as the command exits (or the
// terminal closes).
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { Command } from 'commander';
import { parseDuration } from '../../core/cache/parse-duration.js';
import { connectAdmin } from '../admin-client.js';
import { CliError } from '../cli-error.js';
import { childEnv, credentialVarsIn, toolEnv } from '../child-env.js';
import { relaySignals } from '../exec-signals.js';
import { dataDirOption, resolveDataDir } from '../options.js';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function registerExecEnvCommands(program: Command): void {
  dataDirOption(
    program
      .command('exec')
      .description(
        'run a command with OPENAI_*/ANTHROPIC_*/GEMINI_* set to the proxy and a token of the tool',
      )
      .requiredOption('--tool <name>', 'the tool the command runs as')
      .option('--ttl <duration>', 'longest life of the minted token (it is revoked at exit anyway)', '24h')
      .argument('<command...>', 'the command and its arguments (after --)'),
  ).action(async (command: string[], o: { tool: string; ttl: string; dataDir?: string }) => {
    const client = await connectAdmin(resolveDataDir(o.dataDir));
    const ttlMs = parseTtl(o.ttl);
    const minted = await client.call('mintToken', {
      params: { name: o.tool },
      body: { ttlSeconds: Math.ceil(ttlMs / 1000), label: 'exec' },
    });
    let revoked: Promise<unknown> | null = null;
    const revoke = () =>
      (revoked ??= client
        .call('revokeToken', { params: { name: o.tool, id: minted.id } })
        .catch(() => undefined));
    // Codex ignores OPENAI_BASE_URL for its built-in provider: give this run a Shimmy provider instead.
    // (smol-toml, behind codex-writer, is loaded only for exec, not for every command's start.)
    const { codexExecArgs, isCodexCommand } = await import('../../core/agents/codex-writer.js');
    const args = isCodexCommand(command[0]!)
      ? [...codexExecArgs(client.url), ...command.slice(1)]
      : command.slice(1);
    const child = spawn(command[0]!, args, {
      stdio: 'inherit',
      env: childEnv(process.env, toolEnv(client.url, minted.token)),
    });
    const unrelay = relaySignals(child, () => void revoke());
    const code = await new Promise<number>((resolve) => {
      child.on('error', (err) => {
        console.error(`shimmy exec: cannot run ${command[0]}: ${err.message}`);
        resolve(127);
      });
      // Shell convention: a child killed by a signal exits 128 + the signal's number.
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 128 + (os.constants.signals[signal] ?? 1) : 1)));
    });
    unrelay();
    await revoke();
    process.exitCode = code;
  });

  dataDirOption(
    program
      .command('env')
      .description('print export lines for a tool (mints a token that expires after --ttl)')
      .requiredOption('--tool <name>', 'the tool')
      .option('--ttl <duration>', 'token lifetime, e.g. 12h, 30d', '24h'),
  ).action(async (o: { tool: string; ttl: string; dataDir?: string }) => {
    const client = await connectAdmin(resolveDataDir(o.dataDir));
    const ttlMs = parseTtl(o.ttl);
    const minted = await client.call('mintToken', {
      params: { name: o.tool },
      body: { ttlSeconds: Math.ceil(ttlMs / 1000), label: 'env' },
    });
    // The shell that evals these lines runs the tool: it loses the real credentials too.
    for (const k of credentialVarsIn(process.env)) console.log(`unset ${k}`);
    for (const [k, v] of Object.entries(toolEnv(client.url, minted.token)))
      console.log(`export ${k}=${shellQuote(v)}`);
    console.log(`# token expires ${minted.expiresAt}`);
  });
}

export function parseTtl(text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new CliError(`--ttl: ${(err as Error).message}`);
  }
}
