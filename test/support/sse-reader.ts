// Reads the admin event stream the way a dashboard does (one long GET, `data:` lines), collecting
// the parsed events and how many network reads brought them.
import type { ShimmyEvent } from '../../shared/events.js';

export interface SseReader {
  events: ShimmyEvent[];
  /** Network reads that carried at least one event. */
  reads: number;
  /** SSE messages (`data:` blocks); with `?batch=1` each carries an array of events. */
  messages: number;
  /** Messages whose data was a JSON array. */
  arrays: number;
  close(): void;
}

export async function readEvents(url: string, adminSecret: string): Promise<SseReader> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${adminSecret}` }, signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`GET ${url} → ${res.status}`);
  const reader: SseReader = { events: [], reads: 0, messages: 0, arrays: 0, close: () => abort.abort() };
  const decoder = new TextDecoder();
  let buffered = '';
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        const blocks = buffered.split('\n\n');
        buffered = blocks.pop() ?? '';
        const data = blocks.filter((b) => b.startsWith('data: '));
        if (data.length > 0) reader.reads += 1;
        for (const b of data) {
          const parsed = JSON.parse(b.slice(6)) as ShimmyEvent | ShimmyEvent[];
          reader.messages += 1;
          if (Array.isArray(parsed)) {
            reader.arrays += 1;
            reader.events.push(...parsed);
          } else reader.events.push(parsed);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return reader;
}
