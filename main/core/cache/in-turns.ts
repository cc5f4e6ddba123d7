// A big answer is joined and hashed for the cache a bounded number of bytes per event-loop turn
// (copy-turns.ts's budget, shared with every other big body): a 32 MB answer hashed and joined in
// one turn held every other request ~35 ms (issue 16). A small one still takes a single turn.
import { inTurns } from '../proxy/copy-turns.js';
import { newBodyHash } from './entry-codec.js';

/** The sha256 (hex) of `body`, as newBodyHash().update(body) gives it. */
export async function hashInTurns(body: Buffer): Promise<string> {
  const hash = newBodyHash();
  for await (const view of inTurns([body])) hash.update(view);
  return hash.digest('hex');
}

/** `pieces` joined into one buffer of `bytes` bytes, as Buffer.concat(pieces, bytes) gives it. */
export async function joinInTurns(pieces: readonly Buffer[], bytes: number): Promise<Buffer> {
  // Unzeroed: every byte is copied into it before it is returned.
  const body = Buffer.allocUnsafe(bytes);
  let at = 0;
  for await (const view of inTurns(pieces)) at += view.copy(body, at);
  return body;
}
