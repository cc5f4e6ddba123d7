import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZERO_USAGE } from '../../../shared/usage.js';
import {
  openResponseCache,
  type CachedResponse,
  type ResponseCache,
} from '../../../main/core/cache/index.js';

const k = (name: string) => createHash('sha256').update(name).digest('hex');

function response(text: string, over: Partial<CachedResponse> = {}): CachedResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(text),
    streamed: false,
    usage: { ...ZERO_USAGE, inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 },
    costUsd: 0.000435,
    model: 'gpt-4o-mini',
    storedAt: 0,
    ...over,
  };
}

let dir: string;
let t: number;
const open: ResponseCache[] = [];
const now = () => t;
const DAY = 86_400_000;

async function openCache(
  over: { maxEntries?: number; maxBytes?: number; ttl?: number; persistDelayMs?: number } = {},
) {
  const cache = await openResponseCache({
    dir,
    maxEntries: over.maxEntries ?? 100,
    maxBytes: over.maxBytes ?? 1_000_000,
    ttlMs: () => over.ttl ?? DAY,
    now,
    persistDelayMs: over.persistDelayMs,
  });
  open.push(cache);
  return cache;
}

const binFiles = async () => (await readdir(dir)).filter((n) => n.endsWith('.bin')).sort();

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shimmy-cache-'));
  t = Date.UTC(2025, 0, 1);
});

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await rm(dir, { recursive: true, force: true });
});

describe('get / set', () => {
  it('returns what was stored and counts hits and misses', async () => {
    const cache = await openCache();
    expect(await cache.get(k('a'))).toBeUndefined();
    cache.set(k('a'), response('hello', { storedAt: t }));
    const got = await cache.get(k('a'));
    expect(got?.body.toString()).toBe('hello');
    expect(got?.costUsd).toBe(0.000435);
    await cache.get(k('a'));
    await cache.get(k('b'));
    expect(cache.stats()).toEqual({
      entries: 1,
      bytes: 5,
      hits: 2,
      misses: 2,
      savedUsd: 0,
      maxEntries: 100,
      maxBytes: 1_000_000,
    });
  });

  it('replaces an entry under the same key without double-counting its bytes', async () => {
    const cache = await openCache();
    cache.set(k('a'), response('12345', { storedAt: t }));
    cache.set(k('a'), response('123', { storedAt: t }));
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 3 });
    expect((await cache.get(k('a')))?.body.toString()).toBe('123');
  });

  it('refuses error responses and entries bigger than maxBytes', async () => {
    const cache = await openCache({ maxBytes: 10 });
    cache.set(k('err'), response('{"error":{}}'.slice(0, 5), { status: 429, storedAt: t }));
    cache.set(k('500'), response('x', { status: 500, storedAt: t }));
    cache.set(k('big'), response('01234567890', { storedAt: t }));
    cache.set(k('fits'), response('0123456789', { storedAt: t }));
    expect(await cache.get(k('err'))).toBeUndefined();
    expect(await cache.get(k('500'))).toBeUndefined();
    expect(await cache.get(k('big'))).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 10 });
    await cache.flush();
    expect(await binFiles()).toEqual([`${k('fits')}.bin`]);
  });

  it('stores only replayable headers', async () => {
    const cache = await openCache();
    cache.set(
      k('a'),
      response('x', {
        storedAt: t,
        headers: {
          'Content-Type': 'text/event-stream',
          'set-cookie': 'a=b',
          'content-length': '1',
          'x-request-id': 'r1',
        },
      }),
    );
    expect((await cache.get(k('a')))?.headers).toEqual({
      'content-type': 'text/event-stream',
      'x-request-id': 'r1',
    });
  });

  it('rejects keys that are not sha256 hex (they become file names)', async () => {
    const cache = await openCache();
    expect(() => cache.set('../../etc/passwd', response('x'))).toThrow(/invalid cache key/);
    expect(await cache.get('../../etc/passwd')).toBeUndefined();
  });

  it('adds saved money exactly and refuses negative amounts', async () => {
    const cache = await openCache();
    for (let i = 0; i < 10; i++) cache.recordSaved(0.1);
    cache.recordSaved(0.000435);
    expect(cache.stats().savedUsd).toBe(1.000435);
    expect(() => cache.recordSaved(-1)).toThrow(RangeError);
    expect(() => cache.recordSaved(Number.NaN)).toThrow(RangeError);
  });
});

describe('LRU eviction', () => {
  it('evicts the least recently used entry past maxEntries', async () => {
    const cache = await openCache({ maxEntries: 3 });
    for (const n of ['a', 'b', 'c']) cache.set(k(n), response(n, { storedAt: t }));
    expect(await cache.get(k('a'))).toBeDefined(); // a is now the most recent; b the least
    cache.set(k('d'), response('d', { storedAt: t }));
    expect(await cache.get(k('b'))).toBeUndefined();
    expect((await cache.get(k('a')))?.body.toString()).toBe('a');
    expect((await cache.get(k('c')))?.body.toString()).toBe('c');
    expect((await cache.get(k('d')))?.body.toString()).toBe('d');
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: 3 });
    await cache.flush();
    expect(await binFiles()).toEqual([k('a'), k('c'), k('d')].map((x) => `${x}.bin`).sort());
  });

  it('evicts as many least recently used entries as needed past maxBytes', async () => {
    const cache = await openCache({ maxBytes: 10 });
    cache.set(k('a'), response('aaaa', { storedAt: t })); // 4
    cache.set(k('b'), response('bbb', { storedAt: t })); // 7
    cache.set(k('c'), response('cc', { storedAt: t })); // 9
    cache.set(k('d'), response('dddddddd', { storedAt: t })); // 17 -> drop a (13), b (10)
    expect(await cache.get(k('a'))).toBeUndefined();
    expect(await cache.get(k('b'))).toBeUndefined();
    expect(await cache.get(k('c'))).toBeDefined();
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 10 });
  });

  it('lets expired entries go before live ones', async () => {
    const cache = await openCache({ maxEntries: 2, ttl: 1000 });
    cache.set(k('old'), response('o', { storedAt: t - 1000 })); // already expired
    cache.set(k('live'), response('l', { storedAt: t }));
    cache.set(k('new'), response('n', { storedAt: t }));
    expect(await cache.get(k('live'))).toBeDefined();
    expect(await cache.get(k('new'))).toBeDefined();
  });
});

describe('TTL', () => {
  it('serves an entry until ttl has passed since it was stored, then drops it', async () => {
    let ttl = 60_000;
    const cache = await openResponseCache({ dir, maxEntries: 10, maxBytes: 1000, ttlMs: () => ttl, now });
    open.push(cache);
    cache.set(k('a'), response('a', { storedAt: t }));
    t += 59_999;
    expect(await cache.get(k('a'))).toBeDefined(); // a hit does not extend the TTL
    t += 1;
    expect(await cache.get(k('a'))).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0, hits: 1, misses: 1 });
    await cache.flush();
    expect(await binFiles()).toEqual([]);

    // A shorter TTL applies to entries already stored.
    cache.set(k('b'), response('b', { storedAt: t }));
    t += 10_000;
    ttl = 5_000;
    expect(cache.stats().entries).toBe(0);
  });
});

describe('persistence', () => {
  it('keeps entries, their order and the counters across a restart', async () => {
    const first = await openCache({ maxEntries: 3 });
    const sse = Buffer.from('data: {"id":"1"}\n\ndata: [DONE]\n\n');
    first.set(k('a'), response('a', { storedAt: t }));
    t += 1;
    first.set(k('b'), response('', { body: sse, streamed: true, storedAt: t, costUsd: null }));
    t += 1;
    first.set(k('c'), response('c', { storedAt: t }));
    t += 1;
    await first.get(k('a')); // LRU order now b, c, a
    await first.get(k('zz'));
    first.recordSaved(0.000435);
    await first.close();

    const second = await openCache({ maxEntries: 3 });
    expect(second.stats()).toEqual({
      entries: 3,
      bytes: 1 + sse.length + 1,
      hits: 1,
      misses: 1,
      savedUsd: 0.000435,
      maxEntries: 3,
      maxBytes: 1_000_000,
    });
    const b = await second.get(k('b'));
    expect(b?.body.equals(sse)).toBe(true);
    expect(b).toMatchObject({ streamed: true, costUsd: null, status: 200, model: 'gpt-4o-mini' });
    expect(b?.usage).toEqual({ ...ZERO_USAGE, inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 });
    // Order is now c, a, b: a new entry evicts c.
    second.set(k('d'), response('d', { storedAt: t }));
    expect(await second.get(k('c'))).toBeUndefined();
    expect(await second.get(k('a'))).toBeDefined();
  });

  it('persists in the background without an explicit flush', async () => {
    const cache = await openResponseCache({
      dir,
      maxEntries: 10,
      maxBytes: 1000,
      ttlMs: () => DAY,
      now,
      persistDelayMs: 5,
    });
    open.push(cache);
    cache.set(k('a'), response('a', { storedAt: t }));
    await expect.poll(async () => binFiles()).toEqual([`${k('a')}.bin`]);
    await expect
      .poll(async () => JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8').catch(() => '{}')))
      .toMatchObject({ version: 2, keys: [k('a')], slots: [t, t, 1] });
  });

  it('drops entries that expired while closed and applies lowered bounds on open', async () => {
    const first = await openCache();
    first.set(k('old'), response('o', { storedAt: t - DAY + 10 }));
    for (const n of ['a', 'b', 'c']) {
      first.set(k(n), response(n, { storedAt: t }));
      t += 1;
    }
    await first.close();
    t += 7; // `old` is now exactly DAY old
    const second = await openCache({ maxEntries: 2 });
    expect(second.stats()).toMatchObject({ entries: 2, bytes: 2 });
    expect(await second.get(k('c'))).toBeDefined();
    expect(await second.get(k('b'))).toBeDefined();
    await second.flush();
    expect(await binFiles()).toEqual([k('b'), k('c')].map((x) => `${x}.bin`).sort());
  });

  it('ignores corrupt, truncated, renamed and half-written files instead of failing', async () => {
    const first = await openCache();
    for (const n of ['good', 'trunc', 'flip', 'moved'])
      first.set(k(n), response(`body of ${n}`, { storedAt: t }));
    await first.close();

    const file = (n: string) => path.join(dir, `${k(n)}.bin`);
    const trunc = await readFile(file('trunc'));
    await writeFile(file('trunc'), trunc.subarray(0, trunc.length - 3));
    const flip = await readFile(file('flip'));
    flip.writeUInt8(flip.readUInt8(flip.length - 1) ^ 0xff, flip.length - 1);
    await writeFile(file('flip'), flip);
    await writeFile(file('moved'), await readFile(file('good'))); // a valid entry under the wrong name
    await writeFile(file('garbage'), 'not an entry');
    await writeFile(path.join(dir, `.${k('tmp')}.1234.tmp`), 'half written');
    await writeFile(path.join(dir, 'index.json'), '{"version":1,"lastAcc');

    const second = await openCache();
    // A flipped body byte is only seen when the body is read, at the entry's first hit.
    const size = 'body of good'.length;
    expect(second.stats()).toMatchObject({ entries: 2, bytes: size * 2, hits: 0, misses: 0 });
    expect(await second.get(k('flip'))).toBeUndefined();
    expect(second.stats()).toMatchObject({ entries: 1, bytes: size, hits: 0, misses: 1 });
    expect((await second.get(k('good')))?.body.toString()).toBe('body of good');
    await second.flush();
    expect((await readdir(dir)).sort()).toEqual([`${k('good')}.bin`, 'index.json']);
  });

  it('reads a restored body on its first hit: a file spoiled after the start is a miss, and deleted', async () => {
    const first = await openCache();
    first.set(k('a'), response('body of a', { storedAt: t }));
    first.set(k('b'), response('body of b', { storedAt: t }));
    await first.close();

    const second = await openCache();
    expect(second.stats()).toMatchObject({ entries: 2, bytes: 18 });
    // Spoiled once the cache is open: a cache that read every body at start would still serve it.
    const file = path.join(dir, `${k('a')}.bin`);
    const bytes = await readFile(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(file, bytes);
    expect(await second.get(k('a'))).toBeUndefined();
    expect((await second.get(k('b')))?.body.toString()).toBe('body of b');
    expect(second.stats()).toMatchObject({ entries: 1, bytes: 9, hits: 1, misses: 1 });
    await second.flush();
    expect(await binFiles()).toEqual([`${k('b')}.bin`]);
  });

  it('answers a body in memory at once, and reads a restored one without holding the caller', async () => {
    const first = await openCache();
    first.set(k('a'), response('body of a', { storedAt: t }));
    await first.close();
    const second = await openCache();
    // Restored: its body is read on the first hit, so the answer is a promise.
    const pending = second.get(k('a'));
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending)?.body.toString()).toBe('body of a');
    // Now in memory: answered in the same turn, no promise.
    const again = second.get(k('a'));
    expect(again).not.toBeInstanceOf(Promise);
    expect((again as CachedResponse | undefined)?.body.toString()).toBe('body of a');
    expect(second.get(k('missing'))).toBeUndefined();
    expect(second.stats()).toMatchObject({ hits: 2, misses: 1 });
  });

  it('reads a restored entry once for concurrent first hits', async () => {
    const first = await openCache();
    first.set(k('a'), response('body of a', { storedAt: t }));
    await first.close();
    const second = await openCache();
    const both = [second.get(k('a')), second.get(k('a'))];
    expect(both[1]).toBeInstanceOf(Promise); // the second waits for the first one's read
    const [x, y] = await Promise.all(both);
    // One read: both hits share the buffer it filled (two reads would fill two).
    expect(x?.body).toBe(y?.body);
    expect(second.stats()).toMatchObject({ entries: 1, bytes: 9, hits: 2, misses: 0 });
  });

  it('does not bring back an entry evicted while its file was read, and keeps the byte count exact', async () => {
    const first = await openCache();
    for (const n of ['a', 'b']) first.set(k(n), response(`body of ${n}`, { storedAt: t }));
    await first.close();
    const second = await openCache({ maxEntries: 2 });
    const pending = second.get(k('a')); // moves a up: b is now the least recently used
    second.set(k('c'), response('cc', { storedAt: t })); // evicts b
    second.set(k('d'), response('ddd', { storedAt: t })); // evicts a, whose read is under way
    expect(await pending).toBeUndefined();
    expect(second.stats()).toMatchObject({ entries: 2, bytes: 5, hits: 0, misses: 1 });
    expect(second.get(k('a'))).toBeUndefined();
    await second.flush();
    expect(await binFiles()).toEqual([k('c'), k('d')].map((x) => `${x}.bin`).sort());
  });

  it('answers a read that a clear overtook as a miss, and one that a new answer overtook with it', async () => {
    const first = await openCache();
    for (const n of ['a', 'b']) first.set(k(n), response(`body of ${n}`, { storedAt: t }));
    await first.close();
    const second = await openCache();
    const replaced = second.get(k('b'));
    second.set(k('b'), response('new b', { storedAt: t }));
    expect((await replaced)?.body.toString()).toBe('new b');
    const cleared = second.get(k('a'));
    await second.clear();
    expect(await cleared).toBeUndefined();
    expect(second.stats()).toMatchObject({ entries: 0, bytes: 0, misses: 1 });
    await second.flush();
    expect(await binFiles()).toEqual([]);
  });

  it('takes stored-at time and size from the file when the index is stale, and expires by them', async () => {
    const first = await openCache({ ttl: 1000 });
    first.set(k('a'), response('aaaa', { storedAt: t }));
    first.set(k('b'), response('bb', { storedAt: t + 500 }));
    await first.close();
    const indexPath = path.join(dir, 'index.json');
    expect(JSON.parse(await readFile(indexPath, 'utf8'))).toMatchObject({
      keys: [k('a'), k('b')],
      slots: [t, t, 4, t, t + 500, 2],
    });
    // As if each entry had been rewritten and a crash kept the index from learning it: the files
    // say `a` is older and `b` bigger than the index does.
    const stale = { keys: [k('a'), k('b')], slots: [t, t + 500, 4, t, t + 500, 1] };
    await writeFile(indexPath, JSON.stringify({ version: 2, ...stale, hits: 0, misses: 0, savedUsd: 0 }));
    t += 600;

    const second = await openCache({ ttl: 1000 });
    expect(second.stats()).toMatchObject({ entries: 2, bytes: 5 });
    t += 400; // 1000 after `a` was really stored, 900 by the index
    expect(await second.get(k('a'))).toBeUndefined();
    expect((await second.get(k('b')))?.body.toString()).toBe('bb');
    expect(second.stats()).toMatchObject({ entries: 1, bytes: 2 });
  });

  it('restores an entry the index never heard of from its head, and writes it into the index', async () => {
    const first = await openCache();
    first.set(k('a'), response('aaa', { storedAt: t }));
    await first.close();
    const indexPath = path.join(dir, 'index.json');
    const before = await readFile(indexPath, 'utf8');
    const second = await openCache();
    t += 1;
    second.set(k('b'), response('bbbbb', { storedAt: t }));
    await second.flush();
    await second.close();
    // The index as a crash before its write left it: `b` is not in it.
    await writeFile(indexPath, before);

    const third = await openCache({ persistDelayMs: 5 });
    expect(third.stats()).toMatchObject({ entries: 2, bytes: 8 });
    await expect
      .poll(async () => JSON.parse(await readFile(indexPath, 'utf8')))
      .toMatchObject({ keys: [k('a'), k('b')], slots: [t - 1, t - 1, 3, t, t, 5] });
    expect((await third.get(k('b')))?.body.toString()).toBe('bbbbb');
  });

  it('opens an index an older version wrote (last-access times only) in its LRU order', async () => {
    const first = await openCache();
    for (const n of ['a', 'b', 'c']) first.set(k(n), response(n, { storedAt: t }));
    await first.close();
    // Round 19's index: b, then c, then a were used last.
    const lastAccess = { [k('a')]: t + 30, [k('b')]: t + 10, [k('c')]: t + 20 };
    const v1 = { version: 1, lastAccess, hits: 4, misses: 2, savedUsd: 0.5 };
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(v1));

    const second = await openCache({ maxEntries: 3 });
    expect(second.stats()).toMatchObject({ entries: 3, bytes: 3, hits: 4, misses: 2, savedUsd: 0.5 });
    second.set(k('d'), response('d', { storedAt: t })); // evicts the least recently used: b
    expect(await second.get(k('b'))).toBeUndefined();
    for (const n of ['a', 'c', 'd']) expect((await second.get(k(n)))?.body.toString()).toBe(n);
  });

  it('clear removes every entry from memory and disk and zeroes the counters', async () => {
    const cache = await openCache();
    cache.set(k('a'), response('a', { storedAt: t }));
    cache.set(k('b'), response('b', { storedAt: t }));
    await cache.get(k('a'));
    cache.recordSaved(1);
    await cache.clear();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0, hits: 0, misses: 0, savedUsd: 0 });
    expect(await binFiles()).toEqual([]);
    cache.set(k('a'), response('again', { storedAt: t }));
    await cache.close();
    const reopened = await openCache();
    expect((await reopened.get(k('a')))?.body.toString()).toBe('again');
    expect(reopened.stats()).toMatchObject({ entries: 1, hits: 1, misses: 0, savedUsd: 0 });
  });

  it('reports a failed background write on flush', async () => {
    const cache = await openCache();
    await rm(dir, { recursive: true, force: true });
    cache.set(k('a'), response('a', { storedAt: t }));
    await expect(cache.flush()).rejects.toThrow(/ENOENT/);
    expect((await cache.get(k('a')))?.body.toString()).toBe('a'); // memory still serves it
    await mkdir(dir);
    await cache.flush(); // the failure was reported once; the index can be written again
  });
});
