// keytar reaches the keychain on Linux through the Secret Service, a D-Bus service on the user's
// session bus. On a machine with no session bus to find (a server, a container, CI), its native
// module can only fail, and loading it (libsecret, GLib, GIO) was ~25 ms of every headless start
// (issue 16: `serve` to first 200). The bus is looked for as GLib looks for it.
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BusProbe {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Whether `file` is a Unix socket (default: a stat of it). */
  isSocket?: (file: string) => boolean;
}

const isSocketFile = (file: string) => {
  try {
    return statSync(file).isSocket();
  } catch {
    return false;
  }
};

/** Why no session bus can be reached, or null when one may be (then keytar is tried). GLib's
 *  order: DBUS_SESSION_BUS_ADDRESS; the socket `bus` in the user's runtime dir (XDG_RUNTIME_DIR,
 *  else the cache dir, as g_get_user_runtime_dir falls back); then dbus-launch's autolaunch, which
 *  needs an X11 DISPLAY. Other platforms' keychains need no bus. */
export function sessionBusMissing({ platform, env, isSocket = isSocketFile }: BusProbe): string | null {
  if (platform !== 'linux') return null;
  if (env.DBUS_SESSION_BUS_ADDRESS) return null;
  const runtimeDir =
    env.XDG_RUNTIME_DIR || env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  if (isSocket(path.join(runtimeDir, 'bus'))) return null;
  if (env.DISPLAY) return null;
  return `no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS and DISPLAY are unset and ${path.join(runtimeDir, 'bus')} is not a socket`;
}
