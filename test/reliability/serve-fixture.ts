// A real `shimmy serve` child process (optionally under a lowered descriptor limit) in front of
// the fake upstream, with one tool whose token the tests use. Only the PIDs started here are
// ever signalled.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { cliEnv, freePort, SHIMMY_BIN } from '../support/cli-process.js';
import type { FakeUpstream } from '../support/fake-upstream.js';

export const RELIABILITY_KEY = 'sk-reliability-0000000000000000abcd';

export interface Served {
  child: ChildProcess;
  url: string;
  dataDir: string;
  token: string;
  stderr(): string;
  stdout(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

export const tempDir = (prefix = 'shimmy-rel-') => fs.mkdtemp(path.join(os.tmpdir(), prefix));

export function spawnServe(opts: {
  dataDir: string;
  port: number;
  ulimitFiles?: number;
  env?: NodeJS.ProcessEnv;
}) {
  const env = { ...(opts.env ?? cliEnv().env), SHIMMY_KEY_OPENAI: RELIABILITY_KEY };
  const args = [SHIMMY_BIN, 'serve', '--port', String(opts.port), '--data-dir', opts.dataDir];
  const child =
    opts.ulimitFiles === undefined
      ? spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('bash', ['-c', `ulimit -n ${opts.ulimitFiles} && exec "$0" "$@"`, process.execPath, ...args], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start\n${stderr}`)), 60_000);
    child.stderr!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening\n${stderr}`));
    });
  });
  return { child, exited, listening, stdout: () => stdout, stderr: () => stderr };
}

/** Starts `shimmy serve`, points OpenAI at the fake upstream and creates a tool. */
export async function startServed(opts: {
  upstream: FakeUpstream;
  dataDir?: string;
  ulimitFiles?: number;
}): Promise<Served> {
  const dataDir = opts.dataDir ?? (await tempDir());
  const port = await freePort();
  const p = spawnServe({ dataDir, port, ...(opts.ulimitFiles ? { ulimitFiles: opts.ulimitFiles } : {}) });
  const url = await p.listening;
  const admin = await connectAdmin(dataDir);
  await admin.call('patchProvider', {
    params: { name: 'openai' },
    body: { baseUrl: `${opts.upstream.url}/v1` },
  });
  const { token } = await admin.call('createTool', { body: { name: 'rel', limits: {} } });
  return {
    child: p.child,
    url,
    dataDir,
    token,
    stderr: p.stderr,
    stdout: p.stdout,
    exited: p.exited,
    kill: (signal) => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
    },
  };
}

/** One chat completion; returns status and body text. */
export async function chat(url: string, token: string, model = 'gpt-4o-mini', stream = false) {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, text: await res.text() };
}
