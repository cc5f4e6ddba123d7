// Writes to the client respecting back-pressure, without hanging if the client goes away.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

export async function writeChunk(res: ServerResponse, chunk: Buffer, signal: AbortSignal): Promise<void> {
  if (chunk.length === 0 || res.destroyed) return;
  if (res.write(chunk)) return;
  await once(res, 'drain', { signal }).catch(() => undefined);
}
