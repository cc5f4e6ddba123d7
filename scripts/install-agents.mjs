// Installs the pinned coding agents (test/agents/agent-packages.json) into .cache/agents, outside
// git and outside the project's node_modules, unless exactly those versions are already there.
// Used by .ci/run and by the agents suite when the cache is missing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prefix = path.join(root, '.cache', 'agents');
const { packages } = JSON.parse(fs.readFileSync(path.join(root, 'test/agents/agent-packages.json'), 'utf8'));

function installedVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(prefix, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

const missing = Object.entries(packages).filter(([name, version]) => installedVersion(name) !== version);
if (missing.length === 0) {
  console.log('agents: pinned versions already in .cache/agents');
} else {
  fs.mkdirSync(prefix, { recursive: true });
  const specs = missing.map(([name, version]) => `${name}@${version}`);
  console.log(`agents: installing ${specs.join(' ')} into .cache/agents`);
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', ...specs],
    { stdio: 'inherit', env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
}
