import { InvalidArgumentError, type Command } from 'commander';
import path from 'node:path';
import { defaultDataDir } from '../core/config/data-dir.js';

export function dataDirOption(cmd: Command): Command {
  return cmd.option(
    '--data-dir <dir>',
    'data directory (default: $SHIMMY_DATA_DIR or the platform app-data folder)',
  );
}

export function resolveDataDir(dir: string | undefined): string {
  return dir ? path.resolve(dir) : defaultDataDir();
}

export function intOption(flag: string) {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} takes a whole number, got "${value}"`);
    return Number(value);
  };
}

export function usdOption(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0))
      throw new InvalidArgumentError(`${flag} takes a positive USD amount such as 5 or 2.50, got "${value}"`);
    return n;
  };
}
