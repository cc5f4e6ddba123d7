// Where no D-Bus session bus can be found (a server, a container), keytar is not loaded at all:
// it could only fail, and loading libsecret and GLib was ~25 ms of every headless start (issue 16).
// The keychain then reports why, as keytar's own failure would have.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionBusMissing } from '../../../main/core/vault/session-bus.js';
import { loadKeytar } from '../../../main/core/vault/vault.js';
import { cliEnv, freePort, runCli, startServe } from '../../support/cli-process.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let socketDir: string;
let bus: net.Server;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-bus-'));
  // A runtime dir holding a real Unix socket named `bus`, as systemd's user bus is.
  socketDir = path.join(dir, 'run');
  await fs.mkdir(socketDir);
  bus = net.createServer();
  await new Promise<void>((r) => bus.listen(path.join(socketDir, 'bus'), r));
});
afterAll(async () => {
  await new Promise((r) => bus?.close(r));
  await fs.rm(dir, { recursive: true, force: true });
});

describe('sessionBusMissing', () => {
  const linux = (env: NodeJS.ProcessEnv) => sessionBusMissing({ platform: 'linux', env });

  it('finds a bus by address, by the runtime dir socket, or by autolaunch through X11', () => {
    expect(linux({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nowhere' })).toBeNull();
    expect(linux({ XDG_RUNTIME_DIR: socketDir })).toBeNull();
    expect(linux({ XDG_CACHE_HOME: socketDir })).toBeNull(); // GLib's fallback for the runtime dir
    expect(linux({ XDG_RUNTIME_DIR: dir, DISPLAY: ':0' })).toBeNull();
  });

  it('says why when there is none', () => {
    expect(linux({ XDG_RUNTIME_DIR: dir, HOME: dir })).toMatch(/no D-Bus session bus/);
    // `bus` that is not a socket does not count.
    expect(linux({ XDG_RUNTIME_DIR: repoRoot, HOME: dir })).toMatch(/no D-Bus session bus/);
    expect(linux({ HOME: dir })).toContain(path.join(dir, '.cache', 'bus'));
  });

  it('other platforms need no bus', () => {
    expect(sessionBusMissing({ platform: 'darwin', env: {} })).toBeNull();
    expect(sessionBusMissing({ platform: 'win32', env: {} })).toBeNull();
  });
});

describe('loadKeytar without a bus', () => {
  it('gives a keychain that fails with the reason', async () => {
    const keychain = await loadKeytar({ platform: 'linux', env: { XDG_RUNTIME_DIR: dir, HOME: dir } });
    await expect(keychain!.findCredentials('Shimmy')).rejects.toThrow(/no D-Bus session bus/);
    await expect(keychain!.setPassword('Shimmy', 'openai', 'x')).rejects.toThrow(/no D-Bus session bus/);
  });

  it('does not load the native module (checked in a fresh process: its mappings)', async () => {
    const vault = path.join(repoRoot, 'dist/main/core/vault/vault.js');
    const script = `
      const { loadKeytar } = await import(${JSON.stringify(vault)});
      const env = process.argv[1] === 'none' ? { XDG_RUNTIME_DIR: ${JSON.stringify(dir)}, HOME: ${JSON.stringify(dir)} } : { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nowhere' };
      await loadKeytar({ platform: 'linux', env });
      const maps = (await import('node:fs')).readFileSync('/proc/self/maps', 'utf8');
      console.log(maps.includes('keytar.node'));`;
    const run = async (bus: string) =>
      (await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, bus])).stdout.trim();
    expect(await run('none')).toBe('false');
    // The control: with an address to try, keytar is loaded (and fails or not when used).
    expect(await run('address')).toBe('true');
  });
});

describe('shimmy serve and key set without a bus', () => {
  it('say why no keychain is used, and which variable to set instead', async () => {
    const { env: base } = cliEnv();
    const env: NodeJS.ProcessEnv = { ...base, XDG_RUNTIME_DIR: dir, HOME: dir };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    const dataDir = path.join(dir, 'data');
    const serve = await startServe({ port: await freePort(), dataDir, env });
    try {
      expect(serve.stderr()).toMatch(/keychain not reachable.*no D-Bus session bus/);
      const set = await runCli(['key', 'set', 'openai', '--data-dir', dataDir], {
        env,
        input: 'sk-proj-bus-test-key-1234ABCD\n',
      });
      expect(set.code).not.toBe(0);
      expect(set.stderr).toMatch(/no D-Bus session bus/);
      expect(set.stderr).toContain('SHIMMY_KEY_OPENAI');
    } finally {
      await serve.stop();
    }
  }, 60_000);
});
