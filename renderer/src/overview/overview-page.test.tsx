import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Overview } from '../../../shared/admin-api.js';
import { emptyOverview } from '../test-support/fake-server.js';
import { ledgerRecord } from '../test-support/ledger-record.js';
import { renderApp } from '../test-support/render-app.js';
import { CHART_LIVE_MS } from './spend-chart.js';

beforeAll(() => {
  // recharts' ResponsiveContainer measures with ResizeObserver, which jsdom lacks.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});
afterEach(cleanup);

const dailySpend = {
  days: ['2026-11-24', '2026-11-25'],
  rows: [
    { day: '2026-11-24', key: 'cli', costUsd: 0.4 },
    { day: '2026-11-25', key: 'cli', costUsd: 0.2 },
  ],
};

/** A finished request of tool "bot", as request.end carries it. */
const liveRecord = ledgerRecord({
  id: 'req-0',
  tool: 'bot',
  ttfbMs: 100,
  streamed: false,
  usage: { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 },
  costUsd: 0.0000045,
});

const overview = {
  ...emptyOverview(),
  todayUsd: 1.5,
  monthUsd: 0.000435,
  requestsLastMinute: 7,
  tools: [
    {
      name: 'cli',
      paused: false,
      todayUsd: 0.85,
      monthUsd: 3,
      day: { limitUsd: 1, spentUsd: 0.85 },
      month: { limitUsd: 10, spentUsd: 3 },
      rpm: { limit: 60, used: 60 },
      tpm: null,
      requestsLastMinute: 60,
    },
    {
      name: 'bot',
      paused: true,
      todayUsd: 0,
      monthUsd: 0,
      day: null,
      month: null,
      rpm: null,
      tpm: null,
      requestsLastMinute: 0,
    },
  ],
};

describe('Overview', () => {
  it("marks a tool's spend incomplete when it used unpriced models", async () => {
    const brave = { ...overview.tools[0]!, name: 'brave', unpricedToday: 2, unpricedMonth: 3 };
    renderApp({ state: { overview: { ...overview, tools: [brave, overview.tools[1]!] } } });
    const note = await screen.findByTestId('spend-incomplete-brave');
    expect(note.textContent).toContain('3 requests this month used a model with no known price');
    expect(screen.queryByTestId('spend-incomplete-bot')).toBeNull();
  });

  it('shows spend tiles and per-tool bars with their levels', async () => {
    renderApp({ state: { overview } });
    expect((await screen.findByTestId('spend-today')).textContent).toContain('$1.50');
    expect(screen.getByTestId('spend-month').textContent).toContain('$0.000435');
    expect(screen.getByTestId('requests-per-minute').textContent).toContain('7');

    expect(screen.getByTestId('budget-bar-cli-day').dataset.level).toBe('warn');
    expect(screen.getByTestId('budget-bar-cli-day').textContent).toContain('$0.85 / $1.00');
    expect(screen.getByTestId('budget-bar-cli-month').dataset.level).toBe('ok');
    expect(screen.getByTestId('rate-bar-cli-rpm').dataset.level).toBe('over');
    expect(screen.queryByTestId('rate-bar-cli-tpm')).toBeNull();

    const bot = screen.getByTestId('tool-card-bot');
    expect(within(bot).getByText('paused')).toBeTruthy();
    expect(within(bot).getByText(/No limits set/)).toBeTruthy();
  });

  it('tells a new user what to do when there are no tools and no spend', async () => {
    renderApp();
    expect((await screen.findByTestId('overview-empty')).textContent).toMatch(/Create a tool/);
    expect((await screen.findByTestId('chart-empty')).textContent).toMatch(/No spend/);
  });

  it('draws the chart and refetches it stacked by model on toggle', async () => {
    const { server } = renderApp({
      state: {
        dailySpend: {
          days: ['2026-11-24', '2026-11-25'],
          rows: [{ day: '2026-11-25', key: 'cli', costUsd: 0.2 }],
        },
      },
    });
    await screen.findByTestId('spend-chart');
    expect(server.calls.find((c) => c.name === 'dailySpend')?.query).toEqual({ days: '30', by: 'tool' });
    fireEvent.click(screen.getByTestId('chart-by-model'));
    await waitFor(() =>
      expect(server.calls.filter((c) => c.name === 'dailySpend').at(-1)?.query.by).toBe('model'),
    );
    expect(screen.getByTestId('chart-by-model').getAttribute('aria-pressed')).toBe('true');
  });

  it('updates from a pushed overview and chart column without refetching either', async () => {
    const { server, events } = renderApp({ state: { overview, dailySpend } });
    await screen.findByTestId('spend-chart');
    expect((await screen.findByTestId('spend-today')).textContent).toContain('$1.50');
    const cli = { ...overview.tools[0]!, todayUsd: 1.6, day: { limitUsd: 1, spentUsd: 1.6 } };
    const pushed = {
      ...overview,
      now: '2026-11-25T10:00:01.000Z',
      todayUsd: 2.25,
      tools: [cli, overview.tools[1]!],
    };
    events.current().emit({
      type: 'spend',
      todayUsd: 2.25,
      monthUsd: 3,
      overview: pushed,
      todaySpend: { day: '2026-11-25', byTool: { cli: 0.5 }, byModel: { 'gpt-4o-mini': 0.5 } },
    });
    await waitFor(() => expect(screen.getByTestId('spend-today').textContent).toContain('$2.25'));
    expect(screen.getByTestId('budget-bar-cli-day').dataset.level).toBe('over');
    await new Promise((r) => setTimeout(r, 500)); // past the old 300 ms refetch debounce
    expect(server.calls.filter((c) => c.name === 'overview')).toHaveLength(1);
    expect(server.calls.filter((c) => c.name === 'dailySpend')).toHaveLength(1);
  });

  it('a live update re-renders only what changed', async () => {
    const renders = new Map<string, number>();
    const probe = (id: string) => renders.set(id, (renders.get(id) ?? 0) + 1);
    const { events } = renderApp({ state: { overview, dailySpend }, probe });
    await waitFor(() => expect(renders.get('spend-bars')).toBeGreaterThan(0));
    await screen.findByTestId('tool-card-bot');
    const push = (o: Overview, cliToday: number) =>
      act(() =>
        events.current().emit({
          type: 'spend',
          todayUsd: o.todayUsd,
          monthUsd: o.monthUsd,
          overview: o,
          todaySpend: { day: '2026-11-25', byTool: { cli: cliToday }, byModel: { 'gpt-4o-mini': cliToday } },
        }),
      );
    // Only cli's request rate moved: its card re-renders; the tiles, the other card and the chart not.
    renders.clear();
    const cli = { ...overview.tools[0]!, rpm: { limit: 60, used: 59 }, requestsLastMinute: 59 };
    const next = { ...overview, now: '2026-11-25T10:00:01.000Z', tools: [cli, overview.tools[1]!] };
    await push(next, 0.2);
    await waitFor(() => expect(screen.getByTestId('rate-bar-cli-rpm').dataset.level).toBe('warn'));
    // (the page holds the pushed overview: its own function runs, no other child of it does; the
    // chart takes its first pushed column, equal to the fetched one, so its bars do not redraw)
    await waitFor(() => expect(renders.get('spend-chart')).toBe(1));
    expect(Object.fromEntries(renders)).toEqual({ 'overview-page': 1, 'tool-card:cli': 1, 'spend-chart': 1 });
    // Only today's chart column moved: no card renders; the chart takes it within CHART_LIVE_MS
    // (the chart follows pushes at most that often), and then the bars redraw once.
    renders.clear();
    await push({ ...next, now: '2026-11-25T10:00:02.000Z' }, 0.3);
    expect(Object.fromEntries(renders)).toEqual({ 'overview-page': 1 });
    await waitFor(() => expect(renders.get('spend-bars')).toBe(1), { timeout: CHART_LIVE_MS + 2_000 });
    expect(Object.fromEntries(renders)).toEqual({ 'overview-page': 1, 'spend-chart': 1, 'spend-bars': 1 });
  }, 20_000);

  it('requests ending elsewhere re-render nothing on the overview; a spend delta only its tool card', async () => {
    const renders = new Map<string, number>();
    const probe = (id: string) => renders.set(id, (renders.get(id) ?? 0) + 1);
    const { events } = renderApp({ state: { overview, dailySpend }, probe });
    await waitFor(() => expect(renders.get('spend-bars')).toBeGreaterThan(0));
    await screen.findByTestId('tool-card-bot');
    // What a busy proxy sends between two spend ticks: request.start/request.end for other requests.
    renders.clear();
    await act(async () => {
      for (let i = 0; i < 20; i++) {
        const id = `req-${i}`;
        const time = `2026-11-25T10:00:0${i % 10}.000Z`;
        events.current().emit({
          type: 'request.start',
          ...{ id, time, tool: 'bot', provider: 'openai', model: 'gpt-4o-mini' },
          ...{ endpoint: 'chat', streamed: false },
        });
        events.current().emit({ type: 'request.end', record: { ...liveRecord, id, time } });
      }
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(Object.fromEntries(renders)).toEqual({});
    // A spend delta for one tool: the page that holds the pushed overview, and that tool's card.
    const cli = { ...overview.tools[0]!, todayUsd: 0.9, day: { limitUsd: 1, spentUsd: 0.9 } };
    const next = { ...overview, now: '2026-11-25T10:00:01.000Z', tools: [cli, overview.tools[1]!] };
    await act(async () => {
      events
        .current()
        .emit({ type: 'spend', todayUsd: next.todayUsd, monthUsd: next.monthUsd, overview: next });
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(screen.getByTestId('tool-card-cli').textContent).toContain('$0.90 today');
    expect(Object.fromEntries(renders)).toEqual({ 'overview-page': 1, 'tool-card:cli': 1 });
  });

  it('refetches when a spend event comes without an overview (an older core)', async () => {
    const { server, events } = renderApp({ state: { overview } });
    await screen.findByTestId('spend-today');
    server.state.overview = { ...overview, todayUsd: 2.25 };
    events.current().emit({ type: 'spend', todayUsd: 2.25, monthUsd: 3 });
    await waitFor(() => expect(screen.getByTestId('spend-today').textContent).toContain('$2.25'), {
      timeout: 5_000,
    });
  });

  it('offers to resume a paused proxy', async () => {
    const { server } = renderApp({ state: { overview: { ...overview, paused: true } } });
    const banner = await screen.findByTestId('paused-banner');
    server.state.overview = { ...overview, paused: false };
    fireEvent.click(within(banner).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(screen.queryByTestId('paused-banner')).toBeNull());
    expect(server.calls.find((c) => c.name === 'patchSettings')?.body).toEqual({ paused: false });
  });
});
