// Runs a real coding agent as a child process: HOME in a temp dir, telemetry and update checks
// off, nothing of the parent's credentials in its environment, output captured with the time
// each piece arrived (to see streaming), killed by its pid if it overruns.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const AGENTS_BIN = path.join(root, '.cache', 'agents', 'node_modules', '.bin');
export const SHIMMY_BIN = path.join(root, 'bin', 'shimmy.js');

/** Installs the pinned agents into .cache/agents if they are not there yet (CI does it first). */
export function ensureAgents(): void {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'install-agents.mjs')], { stdio: 'inherit' });
}

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** [ms since start, text] per stdout chunk. */
  chunks: Array<[number, string]>;
}

/** The quiet switches each agent documents: no telemetry, no update checks, no non-essential traffic. */
const QUIET: Record<string, string> = {
  DISABLE_TELEMETRY: '1',
  DISABLE_ERROR_REPORTING: '1',
  DISABLE_AUTOUPDATER: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
  OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
  GEMINI_CLI_TRUST_WORKSPACE: 'true',
  NO_UPDATE_NOTIFIER: '1',
  // opencode looks up its plugin package on the npm registry at every start: keep that on loopback
  // (it fails at once and opencode goes on).
  npm_config_registry: 'http://127.0.0.1:9/',
  NO_COLOR: '1',
  CI: '1',
};

export function makeHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'shimmy-agent-home-'));
  // Gemini CLI: no usage statistics, telemetry or update checks.
  fs.mkdirSync(path.join(home, '.gemini'));
  fs.writeFileSync(
    path.join(home, '.gemini', 'settings.json'),
    JSON.stringify({
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      general: { disableAutoUpdate: true, disableUpdateNag: true },
    }),
  );
  return home;
}

/** PATH (agents first), HOME and the quiet switches; none of the parent's keys or base URLs. */
export function agentEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'LANG', 'TERM', 'TMPDIR', 'DBUS_SESSION_BUS_ADDRESS'])
    if (process.env[k]) env[k] = process.env[k];
  env.PATH = `${AGENTS_BIN}${path.delimiter}${env.PATH ?? ''}`;
  env.HOME = home;
  env.XDG_CONFIG_HOME = path.join(home, '.config');
  env.XDG_DATA_HOME = path.join(home, '.local', 'share');
  env.XDG_CACHE_HOME = path.join(home, '.cache');
  env.XDG_STATE_HOME = path.join(home, '.local', 'state');
  // Error reports and scratch files stay in the temp home too.
  env.TMPDIR = path.join(home, 'tmp');
  fs.mkdirSync(env.TMPDIR, { recursive: true });
  return { ...env, ...QUIET, ...extra };
}

/** How long one agent run may take before the test kills it: a run that retries a refusal for
 *  ever ends here. Ample for a loaded 2-core machine (opencode alone starts in 30–80 s there). */
export const AGENT_RUN_LIMIT_MS = 150_000;

export function runAgent(
  argv: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): Promise<AgentRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      env: opts.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout ends the agent's children too
    });
    const run: AgentRun = { code: null, stdout: '', stderr: '', chunks: [] };
    child.stdout.on('data', (b: Buffer) => {
      run.stdout += b.toString('utf8');
      run.chunks.push([performance.now() - started, b.toString('utf8')]);
    });
    child.stderr.on('data', (b: Buffer) => (run.stderr += b.toString('utf8')));
    const timer = setTimeout(() => {
      run.stderr += `\n[test: killed after ${opts.timeoutMs ?? AGENT_RUN_LIMIT_MS} ms]`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, opts.timeoutMs ?? AGENT_RUN_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    });
  });
}

/** `node bin/shimmy.js ARGS` as argv (the compiled CLI; `npm test` builds it first). */
export const shimmy = (...args: string[]) => [process.execPath, SHIMMY_BIN, ...args];
