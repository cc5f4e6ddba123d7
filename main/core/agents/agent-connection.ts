// Connect and disconnect: write an agent's config files with a backup of each original, and put
// the originals back byte for byte (or remove a file that did not exist). Backups live in the data
// dir, one per agent, and are kept from the first connect until disconnect, so connecting twice
// never loses the pre-Shimmy files.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AgentId, ConnectResult, DisconnectResult } from '../../../shared/agents.js';
import type { AgentWriter, ConnectContext } from './agent-writer.js';
import { unifiedDiff } from './line-diff.js';

interface FileBackup {
  file: string;
  existed: boolean;
  /** base64 of the original bytes. */
  original?: string;
  mode?: number;
  /** sha256 of what Shimmy last wrote: tells a later user edit apart. */
  writtenSha: string;
}

interface Backup {
  agent: AgentId;
  files: FileBackup[];
}

interface FilePlan {
  file: string;
  before: Buffer | null;
  after: string;
}

export interface ConnectPlan {
  agent: AgentId;
  tool: string;
  /** The agent's main config file. */
  file: string;
  edits: FilePlan[];
  /** Unified diffs of every file, tokens masked; '' when nothing changes. */
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
  const backup = await readBackup(backupDir, writer.id);
  const edits: FilePlan[] = [];
  for (const f of [writer, ...(writer.also ?? [])]) {
    const file = f.file(env);
    const before = await readOrNull(file);
    const saved = backup?.files.find((b) => b.file === file);
    // Connecting again over Shimmy's own untouched write starts from the original: entries never pile up.
    const ours = saved && before !== null && sha(before) === saved.writtenSha;
    const base = ours ? (saved.existed ? Buffer.from(saved.original!, 'base64') : null) : before;
    edits.push({ file, before, after: f.edit(base === null ? null : base.toString('utf8'), ctx) });
  }
  const diff = edits
    .map((e) => unifiedDiff(e.before?.toString('utf8') ?? '', e.after, e.file, e.before !== null))
    .join('');
  return { agent: writer.id, tool: ctx.tool, file: edits[0]!.file, edits, diff: maskTokens(diff) };
}

export async function commitConnect(plan: ConnectPlan, backupDir: string): Promise<ConnectResult> {
  const old = await readBackup(backupDir, plan.agent);
  const files: FileBackup[] = [];
  const modes = new Map<string, number>();
  for (const e of plan.edits) {
    const kept = old?.files.find((b) => b.file === e.file);
    const stat = e.before ? await fs.stat(e.file) : null;
    if (stat) modes.set(e.file, stat.mode & 0o700);
    files.push(
      kept
        ? { ...kept, writtenSha: sha(e.after) }
        : {
            file: e.file,
            existed: e.before !== null,
            ...(e.before ? { original: e.before.toString('base64'), mode: stat!.mode & 0o777 } : {}),
            writtenSha: sha(e.after),
          },
    );
  }
  // The backup goes first: a crash between the writes leaves a restorable state.
  await writeAtomic(backupPath(backupDir, plan.agent), JSON.stringify({ agent: plan.agent, files }), 0o600);
  // Files that may now hold a token are private to the user.
  for (const e of plan.edits) await writeAtomic(e.file, e.after, modes.get(e.file) ?? 0o600);
  return {
    agent: plan.agent,
    tool: plan.tool,
    file: plan.file,
    diff: plan.diff,
    written: true,
    ...(files[0]!.existed ? { backup: backupPath(backupDir, plan.agent) } : {}),
  };
}

export async function disconnect(agent: AgentId, file: string, backupDir: string): Promise<DisconnectResult> {
  const backup = await readBackup(backupDir, agent);
  if (!backup) return { agent, file, action: 'not-connected' };
  let keptCopy: string | undefined;
  for (const b of backup.files) {
    const current = await readOrNull(b.file);
    if (current !== null && sha(current) !== b.writtenSha) {
      // Edited since connect: restore as promised, but keep the user's version beside it.
      const copy = `${b.file}.shimmy-replaced`;
      await writeAtomic(copy, current, 0o600);
      if (b.file === file || keptCopy === undefined) keptCopy = copy;
    }
    if (b.existed) await writeAtomic(b.file, Buffer.from(b.original!, 'base64'), b.mode ?? 0o600);
    else await fs.rm(b.file, { force: true });
  }
  await fs.rm(backupPath(backupDir, agent), { force: true });
  const main = backup.files.find((b) => b.file === file) ?? backup.files[0]!;
  return {
    agent,
    file: main.file,
    action: main.existed ? 'restored' : 'removed',
    ...(keptCopy ? { keptCopy } : {}),
  };
}
