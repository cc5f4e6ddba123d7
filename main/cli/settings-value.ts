// `shimmy settings set KEY VALUE`: VALUE is text on a command line; the admin API's own PATCH
// schema (shared/admin-api.ts) decides what it may be, so the CLI and the dashboard accept the same.
import { z } from 'zod';
import { PatchSettingsSchema, type PatchSettings } from '../../shared/admin-api.js';
import { parseDuration } from '../core/cache/parse-duration.js';
import { CliError } from './cli-error.js';

export const SETTABLE_KEYS = Object.keys(PatchSettingsSchema.shape) as Array<keyof PatchSettings>;

export function unknownKey(key: string, known: readonly string[]): CliError {
  return new CliError(`No setting named "${key}". Settings: ${known.join(', ')}`);
}

/** Numbers, booleans, `null` (clears an optional setting), lists and objects are read as JSON;
 *  anything else is a string. `…Ms` settings also take a duration such as 90s or 10m. */
function readText(key: string, text: string): unknown {
  if (key.endsWith('Ms') && /^\d+\s*(ms|s|m|h|d)$/i.test(text.trim())) {
    try {
      return parseDuration(text);
    } catch (err) {
      throw new CliError(`${key}: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The one-field PATCH body for `settings set KEY VALUE`, validated by the admin API's schema. */
export function settingsPatchFor(key: string, text: string): PatchSettings {
  if (!(SETTABLE_KEYS as string[]).includes(key)) throw unknownKey(key, SETTABLE_KEYS);
  const body = { [key]: readText(key, text) };
  const r = PatchSettingsSchema.safeParse(body);
  if (r.success) return r.data;
  throw new CliError(
    `${key}: ${z
      .prettifyError(r.error)
      .replace(/^✖ /, '')
      .replace(/\n\s*→ at .*/g, '')}`,
  );
}
