import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { BudgetAlertEvent } from '../../../shared/events.js';
import { postWebhook } from '../../../main/core/limits/index.js';
import { harness, makeTool, type Harness } from './fixtures.js';

const budgetAlerts = (h: Harness) =>
  h.events
    .filter((e): e is BudgetAlertEvent => e.type === 'alert.budget')
    .map((e) => [e.scope.tool, e.scope.period, e.threshold, e.periodKey]);

/** One request of `usd` for `tool`: admit, ledger append, settle — in that order, as the proxy does. */
function spend(h: Harness, toolName: string, usd: number, limits = { dailyUsd: 10 }): void {
  const r = h.limiter.admit(makeTool(toolName, limits), {
    model: 'm',
    estimatedTokens: 10,
    worstCaseUsd: null,
  });
  if (!r.ok) throw new Error(r.refusal.message);
  const day = new Date(h.clock.ms).toISOString().slice(0, 10);
  h.spend.add(toolName, day, usd);
  r.reservation.settle({ costUsd: usd, tokens: 10 });
}

describe('budget alerts', () => {
  it('fire once per threshold per period, and again in the next period', () => {
    const h = harness();
    spend(h, 'a', 4.99);
    expect(budgetAlerts(h)).toEqual([]);
    spend(h, 'a', 0.01); // exactly 50% of $10
    expect(budgetAlerts(h)).toEqual([['a', 'day', 50, '2026-11-25']]);
    spend(h, 'a', 1);
    spend(h, 'a', 2); // $8.00 = 80%
    spend(h, 'a', 1.5);
    const inFlight = h.limiter.admit(makeTool('a', { dailyUsd: 10 }), {
      model: 'm',
      estimatedTokens: 1,
      worstCaseUsd: null,
    });
    spend(h, 'a', 0.5); // $10.00 = 100%
    // A request admitted before the limit ends past it: spend grows, but 100% already fired.
    if (!inFlight.ok) throw new Error(inFlight.refusal.message);
    h.spend.add('a', '2026-11-25', 3);
    inFlight.reservation.settle({ costUsd: 3, tokens: 1 });
    expect(budgetAlerts(h)).toEqual([
      ['a', 'day', 50, '2026-11-25'],
      ['a', 'day', 80, '2026-11-25'],
      ['a', 'day', 100, '2026-11-25'],
    ]);
    expect(h.events[1]).toEqual({
      type: 'alert.budget',
      scope: { tool: 'a', period: 'day' },
      threshold: 80,
      spentUsd: 8,
      limitUsd: 10,
      periodKey: '2026-11-25',
      time: '2026-11-25T12:00:00.000Z',
    });
    h.clock.ms = Date.parse('2026-11-26T08:00:00.000Z');
    spend(h, 'a', 6);
    expect(budgetAlerts(h).slice(3)).toEqual([['a', 'day', 50, '2026-11-26']]);
  });

  it('a jump past several thresholds fires each of them, lowest first, for tool and global scopes', () => {
    const h = harness({ globalMonthlyUsd: 20 });
    h.spend.add('other', '2026-11-02', 4);
    spend(h, 'a', 11, { dailyUsd: 10 });
    expect(budgetAlerts(h)).toEqual([
      ['a', 'day', 50, '2026-11-25'],
      ['a', 'day', 80, '2026-11-25'],
      ['a', 'day', 100, '2026-11-25'],
      [null, 'month', 50, '2026-11'],
    ]);
    expect(h.events[3]).toMatchObject({ spentUsd: 15, limitUsd: 20 });
  });

  it('uses exact thresholds: 79.99% is not 80%', () => {
    const h = harness();
    spend(h, 'a', 0.2399, { dailyUsd: 0.3 });
    expect(budgetAlerts(h)).toEqual([['a', 'day', 50, '2026-11-25']]);
    spend(h, 'a', 0.0001, { dailyUsd: 0.3 });
    expect(budgetAlerts(h).map((a) => a[2])).toEqual([50, 80]);
  });

  it('does not re-fire alerts passed in as already fired (after a restart)', () => {
    const h = harness({}, '2026-11-25T12:00:00.000Z', {
      firedAlerts: [{ scope: { tool: 'a', period: 'day' }, threshold: 50, periodKey: '2026-11-25' }],
    });
    spend(h, 'a', 8);
    expect(budgetAlerts(h)).toEqual([['a', 'day', 80, '2026-11-25']]);
  });

  it('release does not fire alerts; unpriced settles do not crash', () => {
    const h = harness();
    h.spend.add('a', '2026-11-25', 9);
    const r = h.limiter.admit(makeTool('a', { dailyUsd: 10 }), {
      model: 'm',
      estimatedTokens: 1,
      worstCaseUsd: 0.5,
    });
    if (!r.ok) throw new Error(r.refusal.message);
    r.reservation.release();
    expect(h.events).toEqual([]);
    spend(h, 'a', 0);
    expect(budgetAlerts(h).map((a) => a[2])).toEqual([50, 80]);
  });
});

describe('alert webhook', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
  });

  function listen(handler: (req: IncomingMessage, body: string) => number | null): Promise<string> {
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const status = handler(req, body);
        if (status !== null) res.writeHead(status).end();
      });
    });
    servers.push(server);
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`),
      ),
    );
  }

  it('POSTs each budget alert as JSON to settings.alertWebhookUrl', async () => {
    const received: Array<{ method?: string; url?: string; type?: string; body: unknown }> = [];
    let gotTwo!: () => void;
    const two = new Promise<void>((resolve) => (gotTwo = resolve));
    const url = await listen((req, body) => {
      received.push({
        method: req.method,
        url: req.url,
        type: req.headers['content-type'],
        body: JSON.parse(body),
      });
      if (received.length === 2) gotTwo();
      return 204;
    });
    const h = harness({ alertWebhookUrl: url });
    spend(h, 'a', 8);
    await two;
    expect(received.map((r) => [r.method, r.url, r.type])).toEqual([
      ['POST', '/hook', 'application/json'],
      ['POST', '/hook', 'application/json'],
    ]);
    expect(
      received.map((r) => r.body).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toEqual(h.events.slice().sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))));
    expect(h.events).toHaveLength(2);
  });

  it('logs, never throws, when the endpoint fails, errors or hangs', async () => {
    const logs: string[] = [];
    const log = (m: string) => logs.push(m);
    const url = await listen((req) => (req.url === '/hang' ? null : 500));
    await postWebhook(url, { x: 1 }, fetch, log);
    expect(logs).toEqual([`[shimmy] alert webhook ${url} answered 500`]);
    await postWebhook('http://127.0.0.1:1/closed', { x: 1 }, fetch, log);
    expect(logs[1]).toMatch(/^\[shimmy\] alert webhook http:\/\/127\.0\.0\.1:1\/closed failed: /);
    const hang = url.replace('/hook', '/hang');
    await postWebhook(hang, { x: 1 }, fetch, log, 50);
    expect(logs[2]).toMatch(/failed: .*(timeout|aborted)/i);
    // servers.close() waits for the hung connection: end it.
    for (const s of servers) s.closeAllConnections();
  });
});
