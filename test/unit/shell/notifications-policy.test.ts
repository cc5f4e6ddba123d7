import { describe, expect, it } from 'vitest';
import type { BudgetAlertEvent, PlanAlertEvent, ToolBlockedEvent } from '../../../shared/events.js';
import { createNotificationPolicy } from '../../../main/shell/notifications-policy.js';

const budget = (over: Partial<BudgetAlertEvent> = {}): BudgetAlertEvent => ({
  type: 'alert.budget',
  scope: { tool: 'aider', period: 'day' },
  threshold: 80,
  spentUsd: 4,
  limitUsd: 5,
  periodKey: '2026-11-25',
  time: '2026-11-25T10:00:00.000Z',
  ...over,
});

const blocked = (over: Partial<ToolBlockedEvent> = {}): ToolBlockedEvent => ({
  type: 'alert.blocked',
  tool: 'aider',
  reason: 'rate_limit',
  message: 'Limit: 10 requests per minute.',
  time: '2026-11-25T10:00:00.000Z',
  ...over,
});

function clock(start = Date.parse('2026-11-25T10:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('budget alert notifications', () => {
  it('words 50/80% as progress and 100% as a stop', () => {
    const p = createNotificationPolicy({ now: clock().now });
    expect(p.decide(budget({ threshold: 50, spentUsd: 2.5 }))).toEqual({
      title: 'aider: 50% of daily budget',
      body: '$2.50 of $5.00 spent (50% of the daily budget).',
      key: 'budget:aider:day:2026-11-25:50',
    });
    expect(
      p.decide(
        budget({
          threshold: 100,
          spentUsd: 5.0001,
          scope: { tool: null, period: 'month' },
          periodKey: '2026-11',
          limitUsd: 5,
        }),
      ),
    ).toEqual({
      title: 'All tools: monthly budget reached',
      body: '$5.00 of $5.00. Requests are refused until the month ends or the budget is raised.',
      key: 'budget:*:month:2026-11:100',
    });
  });

  it('shows each threshold once per period, again in the next period', () => {
    const p = createNotificationPolicy({ now: clock().now });
    expect(p.decide(budget())).not.toBeNull();
    expect(p.decide(budget({ spentUsd: 4.2 }))).toBeNull();
    expect(p.decide(budget({ threshold: 100, spentUsd: 5 }))).not.toBeNull();
    expect(p.decide(budget({ scope: { tool: 'aider', period: 'month' } }))).not.toBeNull();
    expect(p.decide(budget({ scope: { tool: 'zed', period: 'day' } }))).not.toBeNull();
    expect(p.decide(budget({ periodKey: '2026-11-26' }))).not.toBeNull();
  });
});

describe('blocked tool notifications', () => {
  it('says why the tool was blocked', () => {
    const p = createNotificationPolicy({ now: clock().now });
    expect(p.decide(blocked())).toEqual({
      title: 'aider was blocked',
      body: 'A request was refused because it hit its rate limit. Limit: 10 requests per minute.',
      key: 'blocked:aider:rate_limit',
    });
    expect(p.decide(blocked({ reason: 'forbidden_model', message: '' }))?.body).toBe(
      'A request was refused because it asked for a model it may not use.',
    );
  });

  it('throttles repeats per tool and reason, then lets one through after the window', () => {
    const c = clock();
    const p = createNotificationPolicy({ now: c.now, blockedThrottleMs: 60_000 });
    expect(p.decide(blocked())).not.toBeNull();
    c.advance(59_999);
    expect(p.decide(blocked())).toBeNull();
    // Another reason or another tool is news.
    expect(p.decide(blocked({ reason: 'budget' }))).not.toBeNull();
    expect(p.decide(blocked({ tool: 'zed' }))).not.toBeNull();
    c.advance(1);
    expect(p.decide(blocked())).not.toBeNull();
    c.advance(30_000);
    expect(p.decide(blocked())).toBeNull();
  });

  it('uses a 10 minute window by default', () => {
    const c = clock();
    const p = createNotificationPolicy({ now: c.now });
    expect(p.decide(blocked())).not.toBeNull();
    c.advance(9 * 60_000);
    expect(p.decide(blocked())).toBeNull();
    c.advance(60_000);
    expect(p.decide(blocked())).not.toBeNull();
  });

  it('stays quiet for paused tools (the user paused them) and for other events', () => {
    const p = createNotificationPolicy({ now: clock().now });
    expect(p.decide(blocked({ reason: 'paused' }))).toBeNull();
    expect(p.decide({ type: 'spend', todayUsd: 1, monthUsd: 2 })).toBeNull();
    expect(p.decide({ type: 'config', what: 'tools' })).toBeNull();
  });
});

describe('plan alert notifications', () => {
  const planAlert = (over: Partial<PlanAlertEvent> = {}): PlanAlertEvent => ({
    type: 'alert.plan',
    provider: 'anthropic',
    window: '5h',
    threshold: 80,
    usedPercent: 81.4,
    resetsAt: '2026-11-25T15:00:00.000Z',
    time: '2026-11-25T10:00:00.000Z',
    ...over,
  });

  it('notifies a crossed plan threshold with the used percent and reset time', () => {
    const policy = createNotificationPolicy(clock());
    const n = policy.decide(planAlert());
    expect(n?.title).toBe('anthropic 5-hour plan window: 80% used');
    expect(n?.body).toContain('81%');
    expect(n?.body).toContain('2026-11-25T15:00:00.000Z');
  });

  it('notifies each threshold of a window once, and again after the window resets', () => {
    const policy = createNotificationPolicy(clock());
    expect(policy.decide(planAlert())).not.toBeNull();
    expect(policy.decide(planAlert({ usedPercent: 85 }))).toBeNull();
    expect(policy.decide(planAlert({ threshold: 95, usedPercent: 96 }))).not.toBeNull();
    expect(policy.decide(planAlert({ window: '7d' }))).not.toBeNull();
    expect(policy.decide(planAlert({ resetsAt: '2026-11-25T20:00:00.000Z' }))).not.toBeNull();
  });
});
