// `shimmy connect` / `disconnect` write (and undo) a coding agent's own config so it goes through
// Shimmy as a tool; `shimmy token` prints a short-lived token of a tool, the command that agents
// with a credential hook (Claude Code's apiKeyHelper, Codex's provider auth) run themselves.
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { AGENT_IDS, isAgentId, type AgentId } from '../../../shared/agent-ids.js';
import { connectAdmin, type AdminClient } from '../admin-client.js';
import { CliError } from '../cli-error.js';
import { dataDirOption, resolveDataDir } from '../options.js';
import { parseTtl } from './exec-env-commands.js';

function agentArg(value: string): AgentId {
  if (!isAgentId(value)) throw new CliError(`Unknown agent "${value}". Agents: ${AGENT_IDS.join(', ')}`);
  return value;
}

async function mintFor(client: AdminClient, tool: string, ttlSeconds: number, label: string) {
  const minted = await client.call('mintToken', { params: { name: tool }, body: { ttlSeconds, label } });
  return {
    token: minted.token,
    revoke: () =>
      client.call('revokeToken', { params: { name: tool, id: minted.id } }).then(
        () => undefined,
        () => undefined,
      ),
  };
}

async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
    const answer = await Promise.race([rl.question(question), closed]);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export function registerAgentCommands(program: Command): void {
  dataDirOption(
    program
      .command('token')
      .description(
        'print a fresh token of a tool that expires after --ttl (for agents that run a command for their key)',
      )
      .requiredOption('--tool <name>', 'the tool')
      .option('--ttl <duration>', 'token lifetime', '1h'),
  ).action(async (o: { tool: string; ttl: string; dataDir?: string }) => {
    const client = await connectAdmin(resolveDataDir(o.dataDir));
    const ttlSeconds = Math.ceil(parseTtl(o.ttl) / 1000);
    console.log((await mintFor(client, o.tool, ttlSeconds, 'token')).token);
  });

  dataDirOption(
    program
      .command('connect')
      .description(`write an agent's own config so it goes through Shimmy (${AGENT_IDS.join(', ')})`)
      .argument('<agent>', 'the agent', agentArg)
      .option('--tool <name>', 'the tool it runs as (created if missing; default: the agent name)')
      .option('--ttl <duration>', 'lifetime of the token written for agents without a key command', '30d')
      .option(
        '--plan',
        'claude-code, codex: keep the agent’s own Claude/ChatGPT plan login; Shimmy meters it and marks the tool as a plan tool',
      )
      .option('--yes', 'write without asking'),
  ).action(
    async (
      agent: AgentId,
      o: { tool?: string; ttl: string; plan?: boolean; yes?: boolean; dataDir?: string },
    ) => {
      const dataDir = resolveDataDir(o.dataDir);
      const client = await connectAdmin(dataDir);
      const tool = o.tool ?? agent;
      const ttlSeconds = Math.ceil(parseTtl(o.ttl) / 1000);
      const existing = (await client.call('listTools')).find((t) => t.name === tool);
      if (!existing) {
        await client.call('createTool', {
          body: { name: tool, limits: {}, ...(o.plan ? { plan: true } : {}) },
        });
        console.error(`Created tool "${tool}" (no limits yet: shimmy tool limits ${tool} --daily-usd 5 …)`);
      }
      const { createAgentService } = await import('../../core/agents/agent-service.js');
      const agents = createAgentService({
        env: process.env,
        dataDir,
        baseUrl: () => client.url,
        mint: (t, ttl, label) => mintFor(client, t, ttl, label),
      });
      const { plan, discard } = await agents.plan(agent, tool, { ttlSeconds, plan: o.plan === true });
      if (plan.diff === '') {
        await discard();
        console.log(
          `${plan.file} already sends ${agent} through Shimmy as tool "${tool}"; nothing to change.`,
        );
        return;
      }
      process.stdout.write(plan.diff);
      if (!o.yes && !(await confirm(`Write ${plan.file}? [y/N] `))) {
        await discard();
        throw new CliError('Nothing written.');
      }
      const result = await agents.commit(plan);
      // Only once the file is written: a plan tool refuses requests that carry no plan credential.
      if (o.plan && existing && !existing.plan) {
        await client.call('patchTool', { params: { name: tool }, body: { plan: true } });
        console.error(`Tool "${tool}" now uses its own plan login (undo: shimmy tool plan ${tool} off).`);
      }
      console.log(
        `Wrote ${result.file}${result.backup ? ` (original kept in ${result.backup})` : ''}. Undo with: shimmy disconnect ${agent}`,
      );
    },
  );

  dataDirOption(
    program
      .command('disconnect')
      .description(
        'put back the agent config file that connect changed, byte for byte (or remove it if it was new)',
      )
      .argument('<agent>', 'the agent', agentArg),
  ).action(async (agent: AgentId, o: { dataDir?: string }) => {
    const { createAgentService } = await import('../../core/agents/agent-service.js');
    const agents = createAgentService({
      env: process.env,
      dataDir: resolveDataDir(o.dataDir),
      baseUrl: () => '',
      mint: () => Promise.reject(new Error('not used')),
    });
    const r = await agents.disconnect(agent);
    if (r.action === 'not-connected')
      throw new CliError(`${agent} is not connected (no backup of ${r.file}).`);
    console.log(
      r.action === 'restored'
        ? `Restored ${r.file}.`
        : `Removed ${r.file} (it did not exist before connect).`,
    );
    if (r.keptCopy) console.log(`It had been edited since connect; that version is kept in ${r.keptCopy}.`);
  });
}
