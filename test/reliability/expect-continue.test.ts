// `Expect: 100-continue` (curl sends it for bodies over 1 MiB): answered, not a 502.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { RELIABILITY_KEY } from './serve-fixture.js';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness({
    keys: false,
    core: { env: { ...process.env, SHIMMY_KEY_OPENAI: RELIABILITY_KEY } },
  });
  token = await h.tool('big');
});
afterAll(() => h.close());

// 1.5 MiB of prompt: over curl's 1 MiB threshold for sending Expect: 100-continue.
const bigBody = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'x'.repeat(1.5 * 1024 * 1024) }],
});

describe('Expect: 100-continue', () => {
  it('curl with a 1.5 MiB body gets the answer', async () => {
    const bodyFile = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-expect-')), 'body.json');
    await fs.writeFile(bodyFile, bigBody);
    const { stdout, stderr } = await promisify(execFile)(
      'curl',
      [
        '-sS',
        '-v',
        '-w',
        '\n%{http_code}',
        '-H',
        `authorization: Bearer ${token}`,
        '-H',
        'content-type: application/json',
        '--data-binary',
        `@${bodyFile}`,
        `${h.core.url}/v1/chat/completions`,
      ],
      { maxBuffer: 4 * 1024 * 1024 },
    ).then(
      (r) => r,
      (err: { stdout: string; stderr: string }) => err,
    );
    expect(stderr).toMatch(/Expect: 100-continue/i);
    expect(stdout.trim().split('\n').at(-1)).toBe('200');
    expect(stdout).toContain('Hello from the fake upstream!');
    expect(h.upstream.received.at(-1)!.headers.expect).toBeUndefined();
  });

  it('node http waits for 100 Continue, then gets the answer', async () => {
    const url = new URL(`${h.core.url}/v1/chat/completions`);
    const result = await new Promise<{ status: number; body: string; continued: boolean }>(
      (resolve, reject) => {
        let continued = false;
        const req = http.request(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(bigBody),
            expect: '100-continue',
          },
        });
        req.on('continue', () => {
          continued = true;
          req.end(bigBody);
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body, continued }));
        });
        req.on('error', reject);
      },
    );
    expect(result.continued).toBe(true);
    expect(result.status).toBe(200);
    expect(result.body).toContain('Hello from the fake upstream!');
  });
});
