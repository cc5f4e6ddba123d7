// Admin sessions for the dashboard: a session id lives in an HttpOnly, SameSite=Strict cookie.
// A printed dashboard URL carries a one-time login token, exchanged for a session on first use.
import { randomBytes } from 'node:crypto';

const LOGIN_TOKEN_TTL_MS = 10 * 60_000;

export interface Sessions {
  create(): string;
  valid(id: string | undefined): boolean;
  createLoginToken(): string;
  /** Consumes the login token: a second use (or an expired one) gets undefined. */
  exchange(token: string): string | undefined;
}

export function createSessions(now: () => number = Date.now): Sessions {
  const sessions = new Set<string>();
  const loginTokens = new Map<string, number>();
  const random = () => randomBytes(32).toString('base64url');
  return {
    create() {
      const id = random();
      sessions.add(id);
      return id;
    },
    valid: (id) => id !== undefined && sessions.has(id),
    createLoginToken() {
      const t = random();
      loginTokens.set(t, now() + LOGIN_TOKEN_TTL_MS);
      return t;
    },
    exchange(token) {
      const expires = loginTokens.get(token);
      loginTokens.delete(token);
      if (expires === undefined || expires < now()) return undefined;
      const id = random();
      sessions.add(id);
      return id;
    },
  };
}
