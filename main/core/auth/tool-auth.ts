// auth: the first step of the request path. Finds the tool a request's token belongs to.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Config, Tool, ToolToken } from '../../../shared/config.js';
import { hashToken } from './tokens.js';

/** A tool token arrives as `Authorization: Bearer …` (OpenAI clients) or `x-api-key` (Anthropic clients). */
export function tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (m) return m[1]!.trim();
  }
  const key = headers['x-api-key'];
  return typeof key === 'string' && key ? key.trim() : undefined;
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
