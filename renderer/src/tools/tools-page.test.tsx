import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../test-support/render-app.js';
import type { ToolView } from '../../../shared/admin-api.js';

afterEach(cleanup);

const cli: ToolView = {
  name: 'cli',
  createdAt: '2026-11-20T09:00:00.000Z',
  paused: false,
  limits: { dailyUsd: 2 },
  tokens: [{ id: 't1', hint: 'shm_ab…wxyz', createdAt: '2026-11-20T09:00:00.000Z' }],
  activeTokens: 1,
};

describe('Tools', () => {
  it('creates a tool and shows its token once, with copy and setup snippets', async () => {
    const { server, copied } = renderApp({ page: 'tools' });
    await screen.findByTestId('tools-empty');

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'claude-code' } });
    fireEvent.change(screen.getByLabelText('Daily budget (USD)'), { target: { value: '2.50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create tool' }));

    const token = await screen.findByTestId('created-token');
    expect(token.textContent).toBe('shm_test1_secret');
    expect(server.calls.find((c) => c.name === 'createTool')?.body).toEqual({
      name: 'claude-code',
      limits: { dailyUsd: 2.5 },
    });
    expect(screen.getByTestId('setup-exec').textContent).toBe('shimmy exec --tool claude-code -- <command>');
    expect(screen.getByTestId('setup-env').textContent).toBe(
      [
        'OPENAI_BASE_URL=http://127.0.0.1:4141/v1',
        'OPENAI_API_KEY=shm_test1_secret',
        'ANTHROPIC_BASE_URL=http://127.0.0.1:4141',
        'ANTHROPIC_API_KEY=shm_test1_secret',
      ].join('\n'),
    );
    fireEvent.click(screen.getByTestId('copy-token'));
    await waitFor(() => expect(copied).toEqual(['shm_test1_secret']));
    expect(await screen.findByTestId('tool-row-claude-code')).toBeTruthy();

    fireEvent.click(screen.getByTestId('token-done'));
    expect(screen.queryByTestId('created-token')).toBeNull();
  });

  it('shows a validation error without calling the server for a bad name or budget', async () => {
    const { server } = renderApp({ page: 'tools' });
    await screen.findByTestId('tools-empty');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Has Spaces' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create tool' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/lowercase/);

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ok' } });
    fireEvent.change(screen.getByLabelText('Daily budget (USD)'), { target: { value: '-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create tool' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(/Daily budget must be a positive/),
    );
    expect(server.calls.filter((c) => c.name === 'createTool')).toHaveLength(0);
  });

  it('pauses and resumes a tool', async () => {
    const { server } = renderApp({ page: 'tools', state: { tools: [structuredClone(cli)] } });
    const pause = await screen.findByTestId('pause-cli');
    expect(pause.textContent).toBe('Pause');
    fireEvent.click(pause);
    await waitFor(() => expect(screen.getByTestId('pause-cli').textContent).toBe('Resume'));
    expect(server.calls.find((c) => c.name === 'patchTool')).toMatchObject({
      path: '/api/tools/cli',
      body: { paused: true },
    });
  });

  it('edits limits, replacing the whole limits object', async () => {
    const { server } = renderApp({ page: 'tools', state: { tools: [structuredClone(cli)] } });
    fireEvent.click(await screen.findByTestId('edit-cli'));
    const form = screen.getByRole('form', { name: 'Limits of cli' });
    expect((within(form).getByLabelText('Daily budget (USD)') as HTMLInputElement).value).toBe('2');
    fireEvent.change(within(form).getByLabelText('Requests / minute'), { target: { value: '30' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save limits' }));
    await waitFor(() => expect(screen.getByTestId('limits-cli').textContent).toBe('$2.00/day · 30 req/min'));
    expect(server.calls.find((c) => c.name === 'patchTool')?.body).toEqual({
      limits: { dailyUsd: 2, rpm: 30 },
    });
  });

  it('lets a budgeted tool opt in to unpriced models', async () => {
    const { server } = renderApp({ page: 'tools', state: { tools: [structuredClone(cli)] } });
    fireEvent.click(await screen.findByTestId('edit-cli'));
    const form = screen.getByRole('form', { name: 'Limits of cli' });
    fireEvent.click(within(form).getByLabelText(/Allow models with no known price/));
    fireEvent.click(within(form).getByRole('button', { name: 'Save limits' }));
    await waitFor(() =>
      expect(screen.getByTestId('limits-cli').textContent).toBe('$2.00/day · unpriced models allowed'),
    );
    expect(server.calls.find((c) => c.name === 'patchTool')?.body).toEqual({
      limits: { dailyUsd: 2, allowUnpriced: true },
    });
  });

  it('removes a tool only after confirmation', async () => {
    const { server } = renderApp({ page: 'tools', state: { tools: [structuredClone(cli)] } });
    fireEvent.click(await screen.findByTestId('remove-cli'));
    expect(server.calls.filter((c) => c.name === 'deleteTool')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('remove-cli-confirm'));
    await screen.findByTestId('tools-empty');
    expect(server.calls.filter((c) => c.name === 'deleteTool')).toHaveLength(1);
  });

  it('rotates a token and shows the new one', async () => {
    renderApp({ page: 'tools', state: { tools: [structuredClone(cli)] } });
    fireEvent.click(await screen.findByTestId('rotate-cli'));
    fireEvent.click(screen.getByTestId('rotate-cli-confirm'));
    expect((await screen.findByTestId('created-token')).textContent).toBe('shm_rotated1');
  });

  it('marks a tool as using its own plan login, shows how it connects, and sets its stop-at limit', async () => {
    const { server } = renderApp({ page: 'tools', state: { tools: [structuredClone(cli)] } });
    const toggle = await screen.findByTestId('plan-cli');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByTestId('plan-hint-cli')).toBeNull();
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId('plan-cli').getAttribute('aria-pressed')).toBe('true'));
    expect(server.calls.find((c) => c.name === 'patchTool')?.body).toEqual({ plan: true });
    const hint = screen.getByTestId('plan-hint-cli').textContent ?? '';
    expect(hint).toContain('x-shimmy-token');
    expect(hint).toContain('shimmy connect claude-code --plan --tool cli');

    fireEvent.click(screen.getByTestId('edit-cli'));
    const form = screen.getByRole('form', { name: 'Limits of cli' });
    const stopAt = within(form).getByLabelText('Plan tools: stop at % of the 5-hour window');
    fireEvent.change(stopAt, { target: { value: '150' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save limits' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/percentage from 1 to 100/);
    fireEvent.change(stopAt, { target: { value: '80' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save limits' }));
    await waitFor(() =>
      expect(screen.getByTestId('limits-cli').textContent).toBe(
        '$2.00/day · stop at 80% of the 5-hour plan window',
      ),
    );
    expect(server.calls.filter((c) => c.name === 'patchTool').at(-1)?.body).toEqual({
      limits: { dailyUsd: 2, planMaxPercent5h: 80 },
    });
  });

  it('creates a plan tool', async () => {
    const { server } = renderApp({ page: 'tools' });
    await screen.findByTestId('tools-empty');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'claude-plan' } });
    fireEvent.click(screen.getByTestId('create-tool-plan'));
    fireEvent.click(screen.getByRole('button', { name: 'Create tool' }));
    await screen.findByTestId('created-token');
    expect(server.calls.find((c) => c.name === 'createTool')?.body).toEqual({
      name: 'claude-plan',
      limits: {},
      plan: true,
    });
    expect(await screen.findByTestId('plan-hint-claude-plan')).toBeTruthy();
  });
});
