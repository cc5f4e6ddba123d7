// Connect and disconnect: write an agent's config with a backup of the original, and put the
// original back byte for byte (or remove the file if there was none). Backups live in the data
// dir, one per agent, and are kept from the first connect until disconnect, so connecting twice
// never loses the pre-Shimmy file.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AgentId, ConnectResult, DisconnectResult } from '../../../shared/agents.js';
import type { AgentWriter, ConnectContext } from './agent-writer.js';
import { unifiedDiff } from './line-diff.js';

interface Backup {
  agent: AgentId;
  file: string;
  existed: boolean;
  /** base64 of the original bytes. */
  original?: string;
  mode?: number;
  /** sha256 of what Shimmy last wrote: tells a later user edit apart. */
  writtenSha: string;
}

export interface ConnectPlan {
  agent: AgentId;
  tool: string;
  file: string;
  before: Buffer | null;
  after: string;
  diff: string;
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const backupPath = (dir: string, agent: AgentId) => path.join(dir, `${agent}.json`);
/** Tokens never show in a diff, on screen or in the dashboard. */
export const maskTokens = (text: string) =>
  text.replace(/shm_[A-Za-z0-9_-]{8,}/g, (t) => `shm_…${t.slice(-4)}`);

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function readBackup(dir: string, agent: AgentId): Promise<Backup | null> {
  const raw = await readOrNull(backupPath(dir, agent));
  return raw ? (JSON.parse(raw.toString('utf8')) as Backup) : null;
}

/** Temp file + rename, so the agent never reads half a file. */
async function writeAtomic(file: string, data: Buffer | string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.shimmy-${process.pid}-${Date.now()}.tmp`;
  await fs.writeFile(tmp, data, { mode });
  await fs.chmod(tmp, mode);
  await fs.rename(tmp, file);
}

export async function planConnect(
  writer: AgentWriter,
  env: NodeJS.ProcessEnv,
  ctx: ConnectContext,
  backupDir: string,
): Promise<ConnectPlan> {
  const file = writer.file(env);
  const before = await readOrNull(file);
  const backup = await readBackup(backupDir, writer.id);
  // Connecting again over Shimmy's own untouched write starts from the original: entries never pile up.
  const ours = backup && backup.file === file && before !== null && sha(before) === backup.writtenSha;
  const base = ours ? (backup.existed ? Buffer.from(backup.original!, 'base64') : null) : before;
  const after = writer.edit(base === null ? null : base.toString('utf8'), ctx);
  const diff = maskTokens(unifiedDiff(before?.toString('utf8') ?? '', after, file, before !== null));
  return { agent: writer.id, tool: ctx.tool, file, before, after, diff };
}

export async function commitConnect(plan: ConnectPlan, backupDir: string): Promise<ConnectResult> {
  const old = await readBackup(backupDir, plan.agent);
  const keepOld = old !== null && old.file === plan.file;
  const stat = plan.before ? await fs.stat(plan.file) : null;
  const backup: Backup = keepOld
    ? { ...old, writtenSha: sha(plan.after) }
    : {
        agent: plan.agent,
        file: plan.file,
        existed: plan.before !== null,
        ...(plan.before ? { original: plan.before.toString('base64'), mode: stat!.mode & 0o777 } : {}),
        writtenSha: sha(plan.after),
      };
  // The backup goes first: a crash between the two writes leaves a restorable state.
  await writeAtomic(backupPath(backupDir, plan.agent), JSON.stringify(backup), 0o600);
  // Files that now hold a token are private to the user.
  await writeAtomic(plan.file, plan.after, stat ? stat.mode & 0o700 : 0o600);
  return {
    agent: plan.agent,
    tool: plan.tool,
    file: plan.file,
    diff: plan.diff,
    written: true,
    ...(backup.existed ? { backup: backupPath(backupDir, plan.agent) } : {}),
  };
}

export async function disconnect(agent: AgentId, file: string, backupDir: string): Promise<DisconnectResult> {
  const backup = await readBackup(backupDir, agent);
  if (!backup) return { agent, file, action: 'not-connected' };
  const current = await readOrNull(backup.file);
  let keptCopy: string | undefined;
  if (current !== null && sha(current) !== backup.writtenSha) {
    // Edited since connect: restore as promised, but keep the user's version beside it.
    keptCopy = `${backup.file}.shimmy-replaced`;
    await writeAtomic(keptCopy, current, 0o600);
  }
  if (backup.existed)
    await writeAtomic(backup.file, Buffer.from(backup.original!, 'base64'), backup.mode ?? 0o600);
  else await fs.rm(backup.file, { force: true });
  await fs.rm(backupPath(backupDir, agent), { force: true });
  return {
    agent,
    file: backup.file,
    action: backup.existed ? 'restored' : 'removed',
    ...(keptCopy ? { keptCopy } : {}),
  };
}
