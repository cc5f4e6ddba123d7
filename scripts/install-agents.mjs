// Installs the pinned coding agents (test/agents/agent-packages.json) exactly as
// test/agents/agents-lock.json says (every transitive version and integrity hash), outside git and
// outside the project's node_modules, and points .cache/agents at them. One install per lock per
// machine, in ~/.cache/shimmy-test-agents/<lock hash> (or $SHIMMY_AGENTS_CACHE): a fresh clone
// (CI) or another worktree finds it there and only links it (~1.2 GB, minutes to unpack).
//   node scripts/install-agents.mjs               install if needed, link .cache/agents
//   node scripts/install-agents.mjs --update-lock re-resolve after editing agent-packages.json
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const link = path.join(root, '.cache', 'agents');
const lockFile = path.join(root, 'test', 'agents', 'agents-lock.json');
const cacheRoot = process.env.SHIMMY_AGENTS_CACHE || path.join(os.homedir(), '.cache', 'shimmy-test-agents');
const { packages } = JSON.parse(fs.readFileSync(path.join(root, 'test/agents/agent-packages.json'), 'utf8'));

const manifest = `${JSON.stringify({ name: 'shimmy-test-agents', private: true, dependencies: packages }, null, 2)}\n`;
// No update notice, funding or audit calls: only the registry fetches the install itself needs.
const npm = (args, dir) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error', '--prefix', dir], {
    stdio: 'inherit',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
const scratchDir = (name) => fs.mkdtempSync(path.join(os.tmpdir(), `shimmy-${name}-`));

if (process.argv.includes('--update-lock')) {
  // Resolved in an empty folder, so nothing already installed shapes the result.
  const scratch = scratchDir('agents-lock');
  fs.writeFileSync(path.join(scratch, 'package.json'), manifest);
  npm(['install', '--package-lock-only'], scratch);
  fs.copyFileSync(path.join(scratch, 'package-lock.json'), lockFile);
  fs.rmSync(scratch, { recursive: true, force: true });
  console.log(`agents: wrote ${path.relative(root, lockFile)}`);
  process.exit(0);
}

const lock = fs.readFileSync(lockFile, 'utf8');
const sorted = (deps) => JSON.stringify(Object.entries(deps ?? {}).sort(([a], [b]) => a.localeCompare(b)));
if (sorted(JSON.parse(lock).packages?.['']?.dependencies) !== sorted(packages)) {
  console.error(
    'agents: agent-packages.json and agents-lock.json differ; run: node scripts/install-agents.mjs --update-lock',
  );
  process.exit(1);
}
const stamp = createHash('sha256').update(manifest).update(lock).digest('hex').slice(0, 16);
const target = path.join(cacheRoot, stamp);

if (fs.existsSync(path.join(target, '.installed'))) {
  console.log(`agents: the locked versions are installed (${target})`);
} else {
  console.log(
    `agents: installing ${Object.entries(packages)
      .map(([n, v]) => `${n}@${v}`)
      .join(' ')} into ${target}`,
  );
  fs.mkdirSync(cacheRoot, { recursive: true });
  // Built beside the target and renamed into place: two runs at once never see half an install.
  const building = fs.mkdtempSync(path.join(cacheRoot, `${stamp}.building-`));
  fs.writeFileSync(path.join(building, 'package.json'), manifest);
  fs.writeFileSync(path.join(building, 'package-lock.json'), lock);
  // `install` with the lock in place installs the locked versions (`ci` refuses this lock: npm
  // leaves other platforms' optional binaries out of it). --prefer-offline: a tarball already in
  // npm's cache is not fetched again.
  npm(['install', '--prefer-offline'], building);
  fs.writeFileSync(path.join(building, '.installed'), `${new Date().toISOString()}\n`);
  try {
    fs.renameSync(building, target);
  } catch {
    fs.rmSync(building, { recursive: true, force: true }); // another run got there first
  }
  // Earlier locks' installs are not used by this checkout any more (another checkout reinstalls).
  for (const old of fs.readdirSync(cacheRoot))
    if (old !== stamp && !old.includes('.building-'))
      fs.rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
}

fs.mkdirSync(path.dirname(link), { recursive: true });
let current = null;
try {
  current = fs.readlinkSync(link);
} catch {
  fs.rmSync(link, { recursive: true, force: true }); // missing, or a real folder from an older script
}
if (current !== target) {
  fs.rmSync(link, { force: true });
  fs.symlinkSync(target, link, 'dir');
}
