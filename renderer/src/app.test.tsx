import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderApp } from './test-support/render-app.js';
import { pageFromHash } from './hash-route.js';

afterEach(cleanup);

describe('App shell', () => {
  it('has a labelled link per page and follows the hash', async () => {
    renderApp();
    await screen.findByTestId('page-overview');
    const names = screen.getAllByRole('link', { current: false }).map((a) => a.getAttribute('aria-label'));
    expect(names).toEqual(expect.arrayContaining(['Live', 'Tools', 'Providers', 'Prices', 'Settings']));
    expect(screen.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');

    window.location.hash = '#/settings';
    await screen.findByTestId('page-settings');
    expect(screen.getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');
  });

  it('maps hashes to pages, defaulting to overview', () => {
    expect(pageFromHash('#/live')).toBe('live');
    expect(pageFromHash('#live')).toBe('live');
    expect(pageFromHash('#/tools?x=1')).toBe('tools');
    expect(pageFromHash('#/nope')).toBe('overview');
    expect(pageFromHash('')).toBe('overview');
  });

  it('settings: shows the port read-only and saves only what changed', async () => {
    const { server } = renderApp({ page: 'settings' });
    const port = (await screen.findByTestId('settings-port')) as HTMLInputElement;
    await waitFor(() => expect(port.value).toBe('4141'));
    expect(port.readOnly).toBe(true);
    fireEvent.click(screen.getByLabelText('Log request and response bodies'));
    fireEvent.change(screen.getByLabelText('All tools: daily budget (USD)'), { target: { value: '12.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    expect(server.calls.find((c) => c.name === 'patchSettings')?.body).toEqual({
      logBodies: true,
      globalDailyUsd: 12.5,
    });
    await waitFor(() =>
      expect((screen.getByLabelText('All tools: daily budget (USD)') as HTMLInputElement).value).toBe('12.5'),
    );
    // The form re-mounts with the server's settings; the confirmation must survive that.
    await waitFor(() => expect(server.calls.filter((c) => c.name === 'getSettings')).toHaveLength(2));
    expect(screen.getByText('Saved.')).toBeTruthy();
  });
});
