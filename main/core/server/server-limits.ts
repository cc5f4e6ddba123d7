// The server's timeouts and connection caps. The cap follows the process's descriptor limit: every
// proxied request holds two descriptors (the client's socket and the upstream one), and the ledger,
// cache and keychain need some of their own, so connections stay far enough below the limit that
// accept() never fails with EMFILE (which resets every new connection, well-behaved ones included).
import fs from 'node:fs';
import type { ConnectionLimits } from './connection-guard.js';

export interface ServerLimits extends ConnectionLimits {
  /** From a request's start to its last body byte: a stalled upload is cut after this. */
  requestTimeoutMs: number;
}

/** Descriptors kept for everything that is not a client or upstream socket. */
const RESERVED_FDS = 128;
const MAX_CONNECTIONS = 1024;
const MIN_CONNECTIONS = 16;

/** The soft RLIMIT_NOFILE (Node raises it to the hard limit at start-up), where it can be read. */
export function descriptorLimit(read = (f: string) => fs.readFileSync(f, 'utf8')): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(read('/proc/self/limits'));
    if (!m || m[1] === 'unlimited') return undefined;
    return Number(m[1]);
  } catch {
    return undefined; // not Linux: macOS and Windows limits are far above MAX_CONNECTIONS for Node
  }
}

export function defaultServerLimits(fdLimit = descriptorLimit()): ServerLimits {
  const fromFds = fdLimit === undefined ? MAX_CONNECTIONS : Math.floor((fdLimit - RESERVED_FDS) / 2);
  const maxConnections = Math.max(MIN_CONNECTIONS, Math.min(MAX_CONNECTIONS, fromFds));
  return {
    headersTimeoutMs: 15_000,
    requestTimeoutMs: 60_000,
    // Longer than the idle timeout of common HTTP clients, so we never close a socket a client is
    // just about to reuse.
    keepAliveTimeoutMs: 65_000,
    maxConnections,
    maxPerClient: Math.max(MIN_CONNECTIONS, Math.floor(maxConnections / 4)),
  };
}
