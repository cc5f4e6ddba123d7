#!/usr/bin/env node
// Runs a command where the real OS keychain is reachable. On Linux without a session bus (CI, a
// server) it starts a private D-Bus session with an unlocked gnome-keyring, so tests use the real
// Secret Service rather than a mock. Elsewhere it just runs the command.
import { spawnSync } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-keyring.mjs COMMAND [ARGS…]');
  process.exit(2);
}
const needsSession = process.platform === 'linux' && !process.env.SHIMMY_KEYRING_READY;
const run = needsSession
  ? spawnSync(
      'dbus-run-session',
      [
        '--',
        'bash',
        '-c', // A fresh keyring folder per run: an existing login keyring with another password would stay locked.
        'export XDG_DATA_HOME="$(mktemp -d)"; echo -n shimmy-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && SHIMMY_KEYRING_READY=1 exec npx "$@"',
        'with-keyring',
        cmd,
        ...args,
      ],
      { stdio: 'inherit' },
    )
  : spawnSync('npx', [cmd, ...args], { stdio: 'inherit' });
if (run.error) {
  console.error(`with-keyring: ${run.error.message} (install dbus and gnome-keyring: see .ci/run)`);
  process.exit(1);
}
process.exit(run.status ?? 1);
