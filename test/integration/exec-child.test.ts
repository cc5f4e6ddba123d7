// What a command started by `shimmy exec` gets: no real credential in its environment, and the
// signals a terminal or a supervisor sends, each exactly once; when the terminal closes its token
// dies with it. Real CLI processes, a real `shimmy serve`, a real child that counts signals.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_VARS } from '../../main/cli/child-env.js';
import {
  cliEnv,
  freePort,
  runCli,
  SHIMMY_BIN,
  startServe,
  type ServeProcess,
} from '../support/cli-process.js';

const secret = (name: string) => `${name.toLowerCase()}-secret-${randomBytes(8).toString('hex')}`;
/** Credentials in the user's shell: every one must stay out of the tool's environment. */
const SHELL_SECRETS: Record<string, string> = {
  SHIMMY_KEY_OPENAI: secret('SHIMMY_KEY_OPENAI'),
  SHIMMY_KEY_GROQ__BACKUP: secret('SHIMMY_KEY_GROQ__BACKUP'),
  OPENAI_API_KEY: secret('OPENAI_API_KEY'),
  ANTHROPIC_API_KEY: secret('ANTHROPIC_API_KEY'),
  ...Object.fromEntries(CREDENTIAL_VARS.map((k) => [k, secret(k)])),
};

let dataDir: string;
let env: NodeJS.ProcessEnv;
let serve: ServeProcess;
let scriptDir: string;
const slow = { timeout: 90_000 };

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-exec-'));
  scriptDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-exec-child-'));
  ({ env } = cliEnv());
  serve = await startServe({ port: await freePort(), dataDir, env });
  const r = await runCli(['tool', 'add', 'agent', '--data-dir', dataDir], { env });
  expect(r.code).toBe(0);
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(scriptDir, { recursive: true, force: true });
});

describe('the environment of a tool', slow, () => {
  it('exec: the child sees its token and the proxy, and no key, no SHIMMY_* variable', async () => {
    const r = await runCli(
      [
        'exec',
        '--tool',
        'agent',
        '--data-dir',
        dataDir,
        '--',
        process.execPath,
        '-e',
        'console.log(JSON.stringify(process.env))',
      ],
      { env: { ...env, ...SHELL_SECRETS, SHIMMY_DATA_DIR: dataDir } },
    );
    expect(r.code).toBe(0);
    const childEnv = JSON.parse(r.stdout) as Record<string, string>;
    const leaked = Object.entries(SHELL_SECRETS).filter(([, v]) => r.stdout.includes(v));
    expect(leaked.map(([k]) => k)).toEqual([]);
    expect(Object.keys(childEnv).filter((k) => k.startsWith('SHIMMY_'))).toEqual([]);
    expect(childEnv.OPENAI_API_KEY).toMatch(/^shm_/);
    expect(childEnv.ANTHROPIC_API_KEY).toBe(childEnv.OPENAI_API_KEY);
    expect(childEnv.OPENAI_BASE_URL).toBe(`${serve.url}/v1`);
    // Unrelated variables pass through.
    expect(childEnv.PATH).toBe(env.PATH);
  });

  it('env: the lines unset every credential of the shell and print none of their values', async () => {
    const r = await runCli(['env', '--tool', 'agent', '--data-dir', dataDir], {
      env: { ...env, ...SHELL_SECRETS },
    });
    expect(r.code).toBe(0);
    expect(Object.entries(SHELL_SECRETS).filter(([, v]) => r.stdout.includes(v))).toEqual([]);
    const unset = [...r.stdout.matchAll(/^unset (\w+)$/gm)].map((m) => m[1]);
    // Every SHIMMY_* (keys, and the keychain service this test runs under) and every listed
    // credential; OPENAI_API_KEY and ANTHROPIC_API_KEY are overwritten with the token instead.
    const expected = Object.keys({ ...env, ...SHELL_SECRETS }).filter(
      (k) => k.startsWith('SHIMMY_') || (k in SHELL_SECRETS && !/^(OPENAI|ANTHROPIC)_API_KEY$/.test(k)),
    );
    expect(unset.sort()).toEqual(expected.sort());
    // The token lines come after the unsets, so OPENAI_API_KEY ends up the token.
    expect(r.stdout).toMatch(/^export OPENAI_API_KEY='shm_[^']+'$/m);
  });
});

/** A child that records every signal (and what happens after) in a file, one line each. */
const COUNTER = `
const fs = require('node:fs');
const log = process.argv[2];
const note = (line) => fs.appendFileSync(log, line + '\\n');
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) process.on(sig, () => {
  note(sig);
  if (sig === 'SIGTERM') process.exit(0);
  if (sig === 'SIGHUP') setTimeout(async () => {
    // Still running after the hangup: is the token still good?
    const res = await fetch(process.env.OPENAI_BASE_URL + '/chat/completions', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + process.env.OPENAI_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }),
    });
    note('status ' + res.status);
    note('exit');
    process.exit(0);
  }, 300);
});
note('ready');
setTimeout(() => { note('timeout'); process.exit(3); }, 20000);
`;

interface ExecRun {
  pid: number;
  lines(): Promise<string[]>;
  waitFor(line: string): Promise<void>;
  exited: Promise<{ code: number | null; at: number }>;
}

/** `shimmy exec` in its own process group, as a shell runs a foreground job. */
async function execCounter(name: string): Promise<ExecRun> {
  const script = path.join(scriptDir, 'counter.cjs');
  await fs.writeFile(script, COUNTER);
  const log = path.join(scriptDir, `${name}.log`);
  const child = spawn(
    process.execPath,
    [SHIMMY_BIN, 'exec', '--tool', 'agent', '--data-dir', dataDir, '--', process.execPath, script, log],
    { env, detached: true, stdio: 'ignore' },
  );
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const lines = async () => (await fs.readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const waitFor = async (line: string) => {
    for (let i = 0; i < 300; i++) {
      if ((await lines()).includes(line)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the child never wrote "${line}": ${(await lines()).join(', ')}`);
  };
  await waitFor('ready');
  return { pid: child.pid!, lines, waitFor, exited };
}

describe('signals', slow, () => {
  it('each Ctrl-C (SIGINT to the foreground group) reaches the child once; SIGTERM to exec is forwarded once', async () => {
    const run = await execCounter('int');
    // Three presses, apart: a copy forwarded by exec can merge with the terminal's own signal when
    // the child is not scheduled in between (a busy machine), so one press alone may hide it.
    for (let i = 0; i < 3; i++) {
      process.kill(-run.pid, 'SIGINT');
      await new Promise((r) => setTimeout(r, 400));
    }
    process.kill(run.pid, 'SIGTERM');
    const { code } = await run.exited;
    const lines = await run.lines();
    expect(lines.filter((l) => l === 'SIGINT')).toHaveLength(3);
    expect(lines.filter((l) => l === 'SIGTERM')).toHaveLength(1);
    expect(code).toBe(0);
  });

  it('SIGHUP (terminal closed) is forwarded, the token dies at once, and exec exits after the child', async () => {
    const run = await execCounter('hup');
    process.kill(run.pid, 'SIGHUP');
    const { code } = await run.exited;
    const lines = await run.lines();
    expect(lines.filter((l) => l === 'SIGHUP')).toHaveLength(1);
    // The child outlived the hangup by 300 ms; its token was already revoked (424 would mean
    // a live token that got as far as the missing provider key).
    expect(lines).toContain('status 401');
    expect(lines.at(-1)).toBe('exit');
    expect(code).toBe(0);
  });
});
