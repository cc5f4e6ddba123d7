// The real `shimmy` CLI as child processes (the compiled dist must exist): one-shot commands with
// captured output, and a long-running `shimmy serve` that is ready once it prints its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHIMMY_BIN = path.join(repoRoot, 'bin', 'shimmy.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every output any CLI process of a test printed, for the secret-hygiene greps. */
export interface OutputLog {
  add(label: string, text: string): void;
  all(): Array<{ label: string; text: string }>;
}

export function createOutputLog(): OutputLog {
  const entries: Array<{ label: string; text: string }> = [];
  return { add: (label, text) => void entries.push({ label, text }), all: () => entries };
}

/** A private keychain service name, and an env without the parent's SHIMMY_* (keys, data dir). */
export function cliEnv(): { env: NodeJS.ProcessEnv; keychainService: string } {
  const keychainService = `ShimmyCliTest-${randomBytes(6).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SHIMMY_') || k === 'SHIMMY_KEYRING_READY') env[k] = v;
  env.SHIMMY_KEYCHAIN_SERVICE = keychainService;
  // Traffic only to loopback: no background price catalog refresh from the internet.
  env.SHIMMY_PRICE_REFRESH = 'off';
  return { env, keychainService };
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (stdin is a pipe, never a TTY). */
  input?: string;
  timeoutMs?: number;
}

export function runCli(args: string[], opts: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SHIMMY_BIN, ...args], {
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `shimmy ${args.join(' ')} did not exit within ${opts.timeoutMs ?? 45_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A port that was free a moment ago (the OS picks it; closed again before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  /** The base URL printed on the "listening" line. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

export async function startServe(opts: {
  port: number;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [SHIMMY_BIN, 'serve', '--port', String(opts.port), '--data-dir', opts.dataDir],
    {
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`shimmy serve printed no "listening" line in time\nstderr: ${stderr}`)),
      opts.timeoutMs ?? 45_000,
    );
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`shimmy serve exited (${code}) before listening\nstderr: ${stderr}`));
    });
  });
  return {
    child,
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
