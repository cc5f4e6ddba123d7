// A client path read the way a provider's router reads it, so the proxy classifies (and meters)
// the very endpoint the provider will serve, and sends that same path upstream. Providers decode
// %-escapes, treat `\` as `/` (WHATWG URL parsing), drop empty and dot segments and trailing
// slashes: `/v1//chat/completions/.` and `/v1/chat/%63ompletions` are chat completions there.
// What cannot be read one way only — an escaped `/`, `%00`, a double escape, `;` parameters
// (stripped by some routers, kept by others), a path that climbs out of its root — is refused.

export type NormalizedPath = { ok: true; path: string } | { ok: false; reason: string };

/** Characters a path may hold once decoded (RFC 3986 pchar minus `;`, plus `/`). */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,=:@/]*$/;
/** Escapes decoded in place: unreserved characters (RFC 3986 §2.3) and `:` `@`, which no
 *  provider path gives a meaning different from their literal form. */
const DECODABLE = /^[A-Za-z0-9\-._~:@]$/;

/** Already normal: non-empty segments, none `.` or `..`, no escape, backslash or `;`. */
const NORMAL = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,=:@]+)+$/;

export function normalizePath(raw: string): NormalizedPath {
  if (NORMAL.test(raw)) return { ok: true, path: raw }; // the common case, one regex test
  let decoded = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '%') {
      decoded += c === '\\' ? '/' : c;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    const ch = /^[0-9A-Fa-f]{2}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : '';
    if (!DECODABLE.test(ch))
      return { ok: false, reason: `the path holds the escape "%${hex}", which Shimmy does not forward` };
    decoded += ch;
    i += 2;
  }
  if (!PATH_CHARS.test(decoded)) {
    const bad = [...decoded].find((c) => !PATH_CHARS.test(c)) ?? '';
    return {
      ok: false,
      reason: `the path holds the character ${JSON.stringify(bad)}, which Shimmy does not forward`,
    };
  }
  const segments: string[] = [];
  for (const s of decoded.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      // The first segment is the API root the server dispatched on (`/v1`): never climb out of it.
      if (segments.length <= 1) return { ok: false, reason: 'the path climbs out of its API root' };
      segments.pop();
      continue;
    }
    segments.push(s);
  }
  return { ok: true, path: `/${segments.join('/')}` };
}
