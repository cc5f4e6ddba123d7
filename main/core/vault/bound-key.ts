// A provider key is stored together with the base URL it was given for, inside the same keychain
// entry, and is only ever sent there. Whoever can change a provider's base URL (anything holding
// the admin secret in instance.json) therefore cannot redirect the real key to a server of its
// own: after a repoint the key must be given again. Keeping the binding in the keychain entry
// itself (not in the data dir) means it is as hard to forge as the key is to read.

export interface BoundKey {
  key: string;
  /** Normalized base URL; null for an entry written by a version before binding (migrated on load). */
  baseUrl: string | null;
}

const VERSION = 1;

/** One spelling per URL: `https://API.x.com/v1/` and `https://api.x.com/v1` are the same target. */
export function normalizeBaseUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return url.trim();
  }
}

export function encodeBoundKey(key: string, baseUrl: string): string {
  return JSON.stringify({ shimmyKey: VERSION, baseUrl: normalizeBaseUrl(baseUrl), key });
}

/** Reads what the keychain holds: a bound entry, or a bare key from before binding existed. */
export function decodeBoundKey(stored: string): BoundKey {
  if (stored.startsWith('{')) {
    try {
      const v = JSON.parse(stored) as { shimmyKey?: unknown; baseUrl?: unknown; key?: unknown };
      if (v.shimmyKey === VERSION && typeof v.key === 'string' && typeof v.baseUrl === 'string')
        return { key: v.key, baseUrl: v.baseUrl };
    } catch {
      // Not ours: treat it as a bare key, like any other legacy entry.
    }
  }
  return { key: stored, baseUrl: null };
}
