// auth: the first step of the request path. Finds the tool a request's token belongs to.
import type { IncomingHttpHeaders } from 'node:http';
import type { Config, Tool, ToolToken } from '../../../shared/config.js';
import { hashToken } from './tokens.js';

/** A tool token arrives as `Authorization: Bearer …` (OpenAI clients), `x-api-key` (Anthropic
 *  clients) or `x-goog-api-key` (Gemini clients; they may also send it as `?key=`). */
export function tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  // Plan tools send their Shimmy token apart: their Authorization is their own plan credential.
  const explicit = headers['x-shimmy-token'];
  if (typeof explicit === 'string' && explicit) return explicit.trim();
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (m) return m[1]!.trim();
  }
  const key = headers['x-api-key'] ?? headers['x-goog-api-key'];
  return typeof key === 'string' && key ? key.trim() : undefined;
}

/** The token from the headers, else from a Gemini client's `?key=` query parameter. */
export function tokenFromRequest(headers: IncomingHttpHeaders, search: string): string | undefined {
  const fromHeaders = tokenFromHeaders(headers);
  if (fromHeaders || !search.includes('key=')) return fromHeaders;
  return new URLSearchParams(search).get('key')?.trim() || undefined;
}

export interface ToolAuth {
  /** The tool for a token, or undefined for a missing, unknown or expired one. */
  authenticate(token: string | undefined, now: Date): Tool | undefined;
  /** Rebuild the hash index after a config change. */
  reindex(config: Config): void;
}

export function createToolAuth(config: Config): ToolAuth {
  let byHash = new Map<string, { tool: Tool; token: ToolToken; expiresMs: number }>();
  const reindex = (c: Config) => {
    const next = new Map<string, { tool: Tool; token: ToolToken; expiresMs: number }>();
    for (const tool of c.tools)
      for (const token of tool.tokens)
        next.set(token.hash, {
          tool,
          token,
          expiresMs: token.expiresAt ? Date.parse(token.expiresAt) : Infinity,
        });
    byHash = next;
  };
  reindex(config);
  return {
    reindex,
    authenticate(token, now) {
      if (!token) return undefined;
      // The lookup keys on the token's sha256, which the caller cannot steer toward a stored one, so
      // a hit is an exact match of the whole digest: no compare is left to make constant-time (the
      // timingSafeEqual that was here compared a string with itself, two buffer copies per request).
      const hit = byHash.get(hashToken(token));
      if (!hit) return undefined;
      // NaN (an unreadable expiry) never compares <=: such a token does not expire, as before.
      if (hit.expiresMs <= now.getTime()) return undefined;
      return hit.tool;
    },
  };
}
