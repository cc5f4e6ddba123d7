// Request bodies are read whole, up to the configured limit: the proxy needs the JSON to route,
// price and reserve, and a buffered body can be re-sent to a fallback key or provider.
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.reject(
      new BodyTooLargeError(`Request body of ${declared} bytes is over the ${limitBytes}-byte limit`),
    );
  }
  // Listeners, not `for await`: the async iterator costs more per request than the read itself.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off('data', onData);
        req.resume();
        reject(new BodyTooLargeError(`Request body is over the ${limitBytes}-byte limit`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('The client closed the connection before sending the whole body'));
    });
  });
}
