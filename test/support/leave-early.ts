// A client that leaves an answer early — at its headers, at its first word — as the tests of what
// such a request is charged, and counted against TPM, do (a hostile tool doing it again and again).
import { expect } from 'vitest';
import type { Harness } from './harness.js';

/** POSTs `body` as JSON to the harness at `path` with `headers`, and leaves once the answer's text
 *  so far holds one of `marks` (no marks: as soon as its headers are in); the status Shimmy
 *  answered. A refusal is read whole. */
export async function leaveAt(
  h: Harness,
  path: string,
  headers: Record<string, string>,
  body: unknown,
  marks: string[],
): Promise<number> {
  const ac = new AbortController();
  const res = await fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: ac.signal,
  });
  if (res.status !== 200) {
    await res.text();
    return res.status;
  }
  if (marks.length > 0) {
    const reader = res.body!.getReader();
    let text = '';
    while (!marks.some((m) => text.includes(m))) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
  }
  ac.abort();
  return res.status;
}

/** Runs `send` ten times for `tool`, each once the last one's record is in; the statuses. */
export async function tenTimes(h: Harness, tool: string, send: () => Promise<number>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) {
    statuses.push(await send());
    await expect
      .poll(
        async () => (await h.admin.call('listRequests', { query: { tool, limit: '100' } })).records.length,
      )
      .toBe(i + 1);
  }
  return statuses;
}
