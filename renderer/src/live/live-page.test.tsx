import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ledgerRecord } from '../test-support/ledger-record.js';
import { renderApp } from '../test-support/render-app.js';

afterEach(cleanup);

const record = ledgerRecord({ latencyMs: 1530, ttfbMs: 200 });

describe('Live', () => {
  it('tells a new user how to get requests flowing', async () => {
    renderApp({ page: 'live' });
    expect((await screen.findByTestId('live-empty')).textContent).toMatch(/Point a tool at Shimmy/);
  });

  it('shows a streaming request in progress, then its cost when it ends', async () => {
    const { events } = renderApp({ page: 'live' });
    await screen.findByTestId('live-empty');
    const source = events.current();
    expect(source.url).toBe('http://127.0.0.1:4141/api/events?batch=1');
    act(() => {
      source.open();
      source.emit({
        type: 'request.start',
        id: 'req-1',
        time: record.time,
        tool: 'cli',
        provider: 'openai',
        model: 'gpt-4o-mini',
        endpoint: 'chat',
        streamed: true,
      });
      source.emit('not json'); // dropped, not thrown
    });
    const row = await screen.findByTestId('live-row');
    expect(row.dataset.state).toBe('pending');
    expect(within(row).getByTestId('live-status-cell').textContent).toBe('streaming…');
    expect(screen.getByTestId('live-status').textContent).toBe('Live · 1 in progress');

    act(() => source.emit({ type: 'request.end', record }));
    await waitFor(() => expect(screen.getByTestId('live-row').dataset.state).toBe('done'));
    const done = screen.getByTestId('live-row');
    expect(within(done).getByTestId('live-tool').textContent).toBe('cli');
    expect(within(done).getByTestId('live-model').textContent).toBe('gpt-4o-mini');
    expect(within(done).getByTestId('live-cost').textContent).toBe('$0.000435');
    expect(within(done).getByTestId('live-tokens').textContent).toBe('1,000 → 500');
    expect(within(done).getByText('1.5 s')).toBeTruthy();
  });

  it('seeds recent history and opens a request in a dialog', async () => {
    const { server } = renderApp({
      page: 'live',
      state: { requests: [{ ...record, costUsd: null, status: 429, errorClass: 'rate_limit' }] },
    });
    const row = await screen.findByTestId('live-row');
    expect(within(row).getByTestId('live-cost').textContent).toBe('unpriced');
    fireEvent.click(within(row).getByRole('button'));
    const dialog = await screen.findByRole('dialog', { name: 'Request' });
    await waitFor(() => expect(within(dialog).getByText('429 · rate_limit')).toBeTruthy());
    expect(server.calls.find((c) => c.name === 'getRequest')?.path).toBe('/api/requests/req-1');
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a finished request renders its own row only, not the shell or the rows already shown', async () => {
    const renders = new Map<string, number>();
    const probe = (id: string) => renders.set(id, (renders.get(id) ?? 0) + 1);
    const { events } = renderApp({ page: 'live', probe });
    await screen.findByTestId('live-empty');
    const end = (i: number) =>
      events.current().emit({
        type: 'request.end',
        record: { ...record, id: `req-${i}`, time: `2026-11-25T10:00:${String(i).padStart(2, '0')}.000Z` },
      });
    act(() => {
      for (let i = 0; i < 5; i++) end(i);
    });
    await waitFor(() => expect(screen.getAllByTestId('live-row')).toHaveLength(5));
    renders.clear();
    act(() => end(5));
    await waitFor(() => expect(screen.getAllByTestId('live-row')).toHaveLength(6));
    expect(Object.fromEntries(renders)).toEqual({ 'live-page': 1, 'live-row': 1 });
  });

  it('takes a batched message (an array of events) as its events in order, dropping junk', async () => {
    const { events } = renderApp({ page: 'live' });
    await screen.findByTestId('live-empty');
    const start = { type: 'request.start', id: 'req-1', time: record.time, tool: 'cli' } as const;
    act(() =>
      events
        .current()
        .emit(
          JSON.stringify([
            { ...start, provider: 'openai', model: 'gpt-4o-mini', endpoint: 'chat', streamed: true },
            { type: 'no.such.event' },
            null,
            { type: 'request.end', record },
          ]),
        ),
    );
    await waitFor(() => expect(screen.getByTestId('live-row').dataset.state).toBe('done'));
    expect(screen.getAllByTestId('live-row')).toHaveLength(1);
  });
});
