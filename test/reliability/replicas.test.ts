// Two `shimmy serve` replicas of one team gateway: one ledger in a real Postgres, budgets and rate
// limits in a real Redis (both Debian's, started on loopback by the tests). 50 concurrent
// requests spread over both replicas against room for exactly one: exactly one passes. With Redis
// gone, every request is refused with 503 in the caller's format until it is back.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { cliEnv, freePort } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { writePointedConfig } from '../support/pointed-config.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { redisMissing, startRedis, type TestRedis } from '../support/redis.js';
import { spawnServe, tempDir } from './serve-fixture.js';

const missing = postgresMissing ?? redisMissing;

interface Replica {
  url: string;
  stop(): Promise<void>;
}

let upstream: FakeUpstream;
let pg: TestPostgres;
let redis: TestRedis;
let replicas: Replica[] = [];
const tokens: Record<string, string> = {};

async function startReplica(dataDir: string, env: NodeJS.ProcessEnv): Promise<Replica> {
  const p = spawnServe({ dataDir, port: await freePort(), env });
  const url = await p.listening;
  return {
    url,
    async stop() {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      await p.exited;
    },
  };
}

beforeAll(async () => {
  if (missing) return;
  upstream = await startFakeUpstream();
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env = {
    ...cliEnv().env,
    SHIMMY_DATABASE_URL: await pg.database('replicas'),
    SHIMMY_REDIS_URL: redis.url,
    SHIMMY_KEY_ANTHROPIC: 'sk-ant-replicas-0000000000000000abcd',
  };
  const [dirA, dirB] = await Promise.all([tempDir('shimmy-replica-a-'), tempDir('shimmy-replica-b-')]);
  await writePointedConfig(dirA, upstream.url);
  const a = await startReplica(dirA, env);
  replicas.push(a);
  const admin = await connectAdmin(dirA);
  for (const [name, limits] of [
    ['team-budget', { dailyUsd: 0.001 }],
    ['team-rpm', { rpm: 1 }],
    ['team-free', {}],
  ] as const)
    tokens[name] = (await admin.call('createTool', { body: { name, limits } })).token;
  // The second replica gets the same tools and token hashes (the team's shared configuration).
  await fs.copyFile(path.join(dirA, 'config.json'), path.join(dirB, 'config.json'));
  replicas.push(await startReplica(dirB, env));
}, 180_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  replicas = [];
  await redis?.stop();
  await pg?.stop();
  await upstream?.close();
}, 60_000);

/** 50 chat requests at once, alternating between the replicas; the statuses and bodies. */
async function burst(token: string) {
  return Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const res = await fetch(`${replicas[i % 2]!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          max_tokens: 1000,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code?: string } } };
    }),
  );
}

describe.skipIf(missing !== undefined)(
  'two replicas sharing Postgres and Redis',
  { timeout: 120_000 },
  () => {
    it('a budget with room for one lets exactly one of 50 concurrent requests through', async () => {
      // gpt-4o-mini: $0.15 input / $0.60 output per 1M tokens (openai.com/api/pricing, 2026-11).
      // Worst case of one request: ~10 input tokens + 1000 output ≈ $0.0006; $0.001 has room for
      // one, and what is left after it ($0.0004, ~660 output tokens) is under the 1,024-token floor.
      upstream.usage = { prompt: 10, completion: 1000 };
      const results = await burst(tokens['team-budget']!);
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused).toHaveLength(49);
      for (const r of refused) expect([r.status, r.body.error?.code]).toEqual([429, 'budget_exceeded']);
    });

    it('an RPM of 1 lets exactly one of 50 concurrent requests through', async () => {
      upstream.usage = { prompt: 10, completion: 5 };
      const results = await burst(tokens['team-rpm']!);
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      const refused = results.filter((r) => r.status !== 200);
      for (const r of refused) expect([r.status, r.body.error?.code]).toEqual([429, 'rate_limit_exceeded']);
    });

    it("refuses with 503 in the caller's format while Redis is unreachable, and serves again once it is back", async () => {
      const token = tokens['team-free']!;
      const openaiCall = () =>
        fetch(`${replicas[0]!.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
        });
      expect((await openaiCall()).status).toBe(200);

      const port = redis.port;
      await redis.kill();
      const down = await openaiCall();
      expect(down.status).toBe(503);
      const body = (await down.json()) as { error: { code: string; type: string; message: string } };
      expect(body.error).toMatchObject({ code: 'limits_unavailable', type: 'api_error' });
      expect(body.error.message).toContain(`redis://127.0.0.1:${port}`);
      const anthropic = await fetch(`${replicas[1]!.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': token,
          'anthropic-version': '2023-06-01',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      expect(anthropic.status).toBe(503);
      expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });

      redis = await startRedis({ port });
      // ioredis reconnects within ~2 s; bounded wait.
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        status = (await openaiCall()).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
    });
  },
);
