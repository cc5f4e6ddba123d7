// Line edits for flat config files that have no library here: `.env` files (KEY=value) and the
// top-level scalar keys of a YAML file (`key: value`). Only whole lines that set one of our keys
// are replaced; every other byte of the file stays as it was.
import { ConnectError } from './agent-writer.js';

export type LineSyntax = 'env' | 'yaml';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** A value written as given (a YAML flow list, say) instead of as a quoted string. */
export interface Raw {
  raw: string;
}

function lineFor(syntax: LineSyntax, key: string, value: string | Raw): string {
  // JSON strings are valid YAML double-quoted scalars; .env values here never need quoting.
  const text = typeof value === 'string' ? (syntax === 'env' ? value : JSON.stringify(value)) : value.raw;
  return syntax === 'env' ? `${key}=${text}` : `${key}: ${text}`;
}

export function setKeyLines(
  current: string | null,
  entries: Record<string, string | Raw>,
  syntax: LineSyntax,
): string {
  const text = current ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const [key, value] of Object.entries(entries)) {
    const re =
      syntax === 'env'
        ? new RegExp(`^\\s*(export\\s+)?${escape(key)}\\s*=`)
        : new RegExp(`^${escape(key)}\\s*:`);
    const at = lines.findIndex((l) => re.test(l));
    if (at === -1) {
      lines.push(lineFor(syntax, key, value));
      continue;
    }
    // A YAML key whose value goes on in indented lines (a block list or map) is not ours to rewrite.
    const next = lines[at + 1];
    if (syntax === 'yaml' && /:\s*(#.*)?$/.test(lines[at]!) && next !== undefined && /^\s+\S|^-/.test(next))
      throw new ConnectError(`"${key}" spans several lines; set it by hand: ${lineFor(syntax, key, value)}`);
    lines[at] = lineFor(syntax, key, value);
    for (let i = lines.length - 1; i > at; i--) if (re.test(lines[i]!)) lines.splice(i, 1);
  }
  return lines.join(eol) + eol;
}
