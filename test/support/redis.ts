// A real, throwaway Redis for tests: Debian's redis-server on a free loopback port (Redis cannot
// bind port 0), no persistence, its files in a temp dir, stopped by PID. Undefined (with the
// reason) when not installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER = '/usr/bin/redis-server';

export const redisMissing: string | undefined = existsSync(SERVER)
  ? undefined
  : "Redis is not installed (/usr/bin/redis-server); CI installs Debian's redis-server package";

export interface TestRedis {
  url: string;
  port: number;
  pid: number;
  /** SIGKILL and wait: Redis is gone, as when its machine dies. */
  kill(): Promise<void>;
  /** SIGTERM and wait, then the temp dir goes. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.once('connect', () => c.write('PING\r\n'));
    c.once('data', (d) => {
      c.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    c.once('error', () => resolve(false));
  });
}

export async function startRedis(opts: { port?: number } = {}): Promise<TestRedis> {
  if (redisMissing) throw new Error(redisMissing);
  const dir = mkdtempSync(join(tmpdir(), 'shimmy-redis-'));
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(
    SERVER,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid as number;
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, sig);
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    kill: () => signal('SIGKILL'),
    async stop() {
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
