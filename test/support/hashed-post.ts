// Posts a JSON body and reads the answer as it comes, keeping only its size and sha256: a client
// that joined a 32 MB body would hold the event loop itself (the proxy under test runs in it too).
import { createHash } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HashedAnswer {
  status: number;
  /** The x-shimmy-cache header. */
  cache: string;
  bytes: number;
  sha256: string;
  ms: number;
}

export function hashedPost(
  url: string,
  token: string,
  body: unknown,
  agent?: http.Agent,
): Promise<HashedAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        const hash = createHash('sha256');
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          hash.update(chunk);
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            cache: String(res.headers['x-shimmy-cache']),
            bytes,
            sha256: hash.digest('hex'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
