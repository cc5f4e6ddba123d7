// Tool tokens: 192 random bits, `shm_` prefix, stored only as a sha256 hash. A fast hash is right
// here (unlike passwords): the token has full entropy, so there is nothing to brute-force.
import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { ToolToken } from '../../../shared/config.js';

export const TOKEN_PREFIX = 'shm_';

export function hashToken(token: string): string {
  // The one-shot crypto.hash (Node ≥ 20.12) is ~4× cheaper than a createHash object, and this
  // runs on every proxied request.
  return hash('sha256', token, 'hex');
}

export function mintToken(opts: { now: Date; ttlMs?: number; label?: string }): {
  token: string;
  record: ToolToken;
} {
  const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const record: ToolToken = {
    id: randomUUID(),
    hash: hashToken(token),
    hint: `${token.slice(0, 8)}…${token.slice(-4)}`,
    createdAt: opts.now.toISOString(),
    ...(opts.ttlMs ? { expiresAt: new Date(opts.now.getTime() + opts.ttlMs).toISOString() } : {}),
    ...(opts.label ? { label: opts.label } : {}),
  };
  return { token, record };
}
