// Where Shimmy keeps config, ledger and cache: the platform's app-data folder, or SHIMMY_DATA_DIR.
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SHIMMY_DATA_DIR) return path.resolve(env.SHIMMY_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Shimmy');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Shimmy');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Shimmy');
}

export const DEFAULT_PORT = 8484;
