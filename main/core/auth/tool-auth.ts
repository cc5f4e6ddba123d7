// auth: the first step of the request path. Finds the tool a request's token belongs to.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Config, Tool, ToolToken } from '../../../shared/config.js';
import { hashToken } from './tokens.js';

/** A tool token arrives as `Authorization: Bearer …` (OpenAI clients), `x-api-key` (Anthropic
 *  clients) or `x-goog-api-key` (Gemini clients; they may also send it as `?key=`). */
export function tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
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
  let byHash = new Map<string, { tool: Tool; token: ToolToken }>();
  const reindex = (c: Config) => {
    const next = new Map<string, { tool: Tool; token: ToolToken }>();
    for (const tool of c.tools) for (const token of tool.tokens) next.set(token.hash, { tool, token });
    byHash = next;
  };
  reindex(config);
  return {
    reindex,
    authenticate(token, now) {
      if (!token) return undefined;
      const hash = hashToken(token);
      const hit = byHash.get(hash);
      if (!hit) return undefined;
      // The map lookup keys on a hash the caller cannot steer; the final compare is constant-time anyway.
      if (!timingSafeEqual(Buffer.from(hit.token.hash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
      if (hit.token.expiresAt && Date.parse(hit.token.expiresAt) <= now.getTime()) return undefined;
      return hit.tool;
    },
  };
}
