// Changes a few top-level members of a JSON body in its own bytes: the rest goes upstream exactly
// as the client sent it (whitespace, key order, escapes), and a 20 MB body costs one copy instead
// of a parse-and-stringify of all of it (issue 16: re-serializing for include_usage ran at 10% of
// raw throughput and held the event loop for 240–440 ms).
import type { ObjectSpan } from './json-scan.js';

/**
 * `bytes` with each member named in `set` given the serialized JSON value beside it: the member's
 * last occurrence (the one JSON.parse keeps) gets the new value, earlier repeats of the key are
 * removed (so a parser that keeps the first cannot see the old value), and a missing key is added
 * as the object's last member.
 */
export function spliceMembers(bytes: Buffer, top: ObjectSpan, set: Record<string, string>): Buffer {
  return Buffer.concat(splicePieces(bytes, top, set));
}

/** As spliceMembers, as the pieces to send one after the other: views of `bytes` and the new
 *  text, never a copy of the whole body (20 MB copied at once held the event loop ~350 ms here). */
export function splicePieces(bytes: Buffer, top: ObjectSpan, set: Record<string, string>): Buffer[] {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const appended: string[] = [];
  for (const [key, value] of Object.entries(set)) {
    const at: number[] = [];
    top.members.forEach((m, i) => {
      if (m.key === key) at.push(i);
    });
    const last = at.pop();
    if (last === undefined) {
      appended.push(`${JSON.stringify(key)}:${value}`);
      continue;
    }
    const m = top.members[last]!;
    edits.push({ start: m.valueStart, end: m.valueEnd, text: value });
    // An earlier repeat is cut from its key to the next member's key (its comma goes with it).
    for (const i of at)
      edits.push({ start: top.members[i]!.keyStart, end: top.members[i + 1]!.keyStart, text: '' });
  }
  if (appended.length > 0) {
    // Right after the last member's value: whitespace before the closing brace stays where it was.
    const lastMember = top.members.at(-1);
    const at = lastMember ? lastMember.valueEnd : top.close;
    edits.push({ start: at, end: at, text: (lastMember ? ',' : '') + appended.join(',') });
  }
  edits.sort((a, b) => a.start - b.start);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const e of edits) {
    pieces.push(bytes.subarray(at, e.start), Buffer.from(e.text));
    at = e.end;
  }
  pieces.push(bytes.subarray(at));
  return pieces;
}
