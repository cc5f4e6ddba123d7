// The admin API's doors: admin secret or session cookie, one-time login links, and refusals of
// foreign Hosts (DNS rebinding) and foreign Origins (other web pages in the user's browser).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ keys: false });
});
afterAll(() => h.close());

/** node:http so the test can send any Host header (fetch forbids it). */
function get(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(path, h.core.url);
  return new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

const bearer = () => ({ authorization: `Bearer ${h.core.adminSecret}` });

describe('admin API security', () => {
  it('refuses a request without the admin secret or a session', async () => {
    const res = await get('/api/overview', {});
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.message).toContain('shimmy dashboard');
    expect((await get('/api/overview', { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('accepts the admin secret', async () => {
    expect((await get('/api/overview', bearer())).status).toBe(200);
  });

  it('refuses a non-loopback Host even with the secret (DNS rebinding)', async () => {
    const res = await get('/api/overview', { ...bearer(), host: 'evil.example.com:8484' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.message).toContain('evil.example.com');
  });

  it('refuses a foreign Origin even with the secret', async () => {
    const port = new URL(h.core.url).port;
    expect((await get('/api/overview', { ...bearer(), origin: 'https://evil.example.com' })).status).toBe(
      403,
    );
    expect((await get('/api/overview', { ...bearer(), origin: 'null' })).status).toBe(403);
    expect((await get('/api/overview', { ...bearer(), origin: `http://127.0.0.1:${port}` })).status).toBe(
      200,
    );
  });

  it('exchanges a one-time login link for an HttpOnly, SameSite=Strict session cookie, once', async () => {
    const { url } = await h.admin.call('createLoginLink');
    const link = new URL(url);
    const first = await get(link.pathname + link.search, {});
    expect(first.status).toBe(302);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    expect((await get('/api/overview', { cookie: session })).status).toBe(200);
    // The link is spent.
    expect((await get(link.pathname + link.search, {})).status).toBe(401);
    // A session cookie does not open the door for a foreign page either.
    expect((await get('/api/overview', { cookie: session, origin: 'https://evil.example.com' })).status).toBe(
      403,
    );
  });

  it('answers bad input with a 400 naming the field', async () => {
    const res = await fetch(`${h.core.url}/api/tools`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bad Name!', limits: {} }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.field).toBe('name');
    const bad = await fetch(`${h.core.url}/api/tools`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/Malformed JSON/);
  });

  it('serves the dashboard with a strict Content-Security-Policy', async () => {
    const res = await get('/', {});
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
