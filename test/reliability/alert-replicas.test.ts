// Budget alerts of a team gateway: two real `shimmy serve` replicas on one real Postgres and Redis,
// a real webhook receiver on loopback counting deliveries. Spend crossing a threshold through
// requests spread over both replicas sends that alert (tool, threshold, period) exactly once — not
// once per replica that sees the crossed spend.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, type AdminClient } from '../../main/cli/admin-client.js';
import type { BudgetAlertEvent } from '../../shared/events.js';
import { cliEnv, freePort } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { writePointedConfig } from '../support/pointed-config.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { redisMissing, startRedis, type TestRedis } from '../support/redis.js';
import { spawnServe, tempDir } from './serve-fixture.js';

const missing = postgresMissing ?? redisMissing;

interface Replica {
  url: string;
  admin: AdminClient;
  stop(): Promise<void>;
}

let upstream: FakeUpstream;
let pg: TestPostgres;
let redis: TestRedis;
let hook: http.Server;
let hookUrl: string;
/** Every webhook body received, in arrival order. */
const deliveries: BudgetAlertEvent[] = [];
let replicas: Replica[] = [];
const tokens: Record<string, string> = {};

async function startReplica(dataDir: string, env: NodeJS.ProcessEnv): Promise<Replica> {
  const p = spawnServe({ dataDir, port: await freePort(), env });
  const url = await p.listening;
  return {
    url,
    admin: await connectAdmin(dataDir),
    async stop() {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      await p.exited;
    },
  };
}

beforeAll(async () => {
  if (missing) return;
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      deliveries.push(JSON.parse(body) as BudgetAlertEvent);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`;
  upstream = await startFakeUpstream();
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env = {
    ...cliEnv().env,
    SHIMMY_DATABASE_URL: await pg.database('alert_replicas'),
    SHIMMY_REDIS_URL: redis.url,
  };
  const [dirA, dirB] = await Promise.all([tempDir('shimmy-alert-a-'), tempDir('shimmy-alert-b-')]);
  await writePointedConfig(dirA, upstream.url);
  const a = await startReplica(dirA, env);
  replicas.push(a);
  for (const name of ['alert-sequential', 'alert-concurrent'])
    tokens[name] = (await a.admin.call('createTool', { body: { name, limits: { dailyUsd: 0.0006 } } })).token;
  await a.admin.call('patchSettings', { body: { alertWebhookUrl: hookUrl } });
  await fs.copyFile(path.join(dirA, 'config.json'), path.join(dirB, 'config.json'));
  const b = await startReplica(dirB, env);
  replicas.push(b);
  // Settings live in Postgres: B must know the webhook before the test (bounded wait).
  for (let i = 0; i < 100; i++) {
    if ((await b.admin.call('getSettings', {})).alertWebhookUrl === hookUrl) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 180_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  replicas = [];
  await redis?.stop();
  await pg?.stop();
  await upstream?.close();
  await new Promise((r) => hook?.close(r));
}, 60_000);

async function chat(replica: Replica, token: string) {
  const res = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      max_tokens: 25,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The thresholds delivered for `tool`, once 3 have arrived (or 15 s passed) and a further
 *  1.5 s brought no duplicate. */
async function thresholdsFor(tool: string): Promise<number[]> {
  const of = () => deliveries.filter((d) => d.scope.tool === tool);
  for (let i = 0; i < 150 && of().length < 3; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1_500));
  for (const d of of()) expect(d).toMatchObject({ type: 'alert.budget', scope: { period: 'day' } });
  return of()
    .map((d) => d.threshold)
    .sort((x, y) => x - y);
}

describe.skipIf(missing !== undefined)(
  'budget alerts across two replicas sharing Postgres and Redis',
  { timeout: 120_000 },
  () => {
    // gpt-4o-mini: $0.15 input / $0.60 output per 1M tokens (openai.com/api/pricing, 2026-11).
    // Each answer reports 400 input + 50 output tokens: 400 × 0.15e-6 + 50 × 0.6e-6 = $0.00009,
    // more than the ~$0.0000165 reserved for "hi" + max_tokens 25 (the input is under-estimated,
    // as a real one can be), so spend can pass the limit. Against $0.0006 a day: 50% ($0.0003)
    // after the 4th request, 80% ($0.00048) after the 6th, 100% after the 7th ($0.00063); then
    // the budget refuses.
    it('requests alternating between the replicas send each threshold exactly once', async () => {
      upstream.usage = { prompt: 400, completion: 50 };
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const status = await chat(replicas[i % 2]!, tokens['alert-sequential']!);
        statuses.push(status);
        if (status !== 200) break;
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
      expect(await thresholdsFor('alert-sequential')).toEqual([50, 80, 100]);
    });

    it('concurrent requests on both replicas send each threshold exactly once', async () => {
      upstream.usage = { prompt: 400, completion: 50 };
      // Rounds of 6 at once (3 per replica) until a whole round is refused, i.e. spend has passed
      // the limit: settles of both replicas land together, so both see each crossed threshold at
      // nearly the same moment. (Round 1: all 6 fit, $0.00054; round 2: 3 fit, $0.00081.)
      let allRefused = false;
      for (let round = 0; round < 10 && !allRefused; round++) {
        const statuses = await Promise.all(
          Array.from({ length: 6 }, (_, i) => chat(replicas[i % 2]!, tokens['alert-concurrent']!)),
        );
        allRefused = statuses.every((s) => s === 429);
      }
      expect(allRefused).toBe(true);
      expect(await thresholdsFor('alert-concurrent')).toEqual([50, 80, 100]);
    });
  },
);

describe.skipIf(missing !== undefined)(
  'budget alerts of a single instance (no Redis)',
  { timeout: 120_000 },
  () => {
    it('sends each threshold exactly once', async () => {
      const dir = await tempDir('shimmy-alert-single-');
      await writePointedConfig(dir, upstream.url);
      const single = await startReplica(dir, cliEnv().env);
      try {
        const { token } = await single.admin.call('createTool', {
          body: { name: 'alert-single', limits: { dailyUsd: 0.0006 } },
        });
        await single.admin.call('patchSettings', { body: { alertWebhookUrl: hookUrl } });
        // The same sums as the replicas' sequential case above: 7 answers of $0.00009, then refused.
        upstream.usage = { prompt: 400, completion: 50 };
        const statuses: number[] = [];
        for (let i = 0; i < 20 && statuses.at(-1) !== 429; i++) statuses.push(await chat(single, token));
        expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
        expect(await thresholdsFor('alert-single')).toEqual([50, 80, 100]);
      } finally {
        await single.stop();
      }
    });
  },
);
