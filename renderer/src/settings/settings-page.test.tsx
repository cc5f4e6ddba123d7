// The Settings page's timeout, shutdown grace and price refresh fields: shown in seconds, saved as
// the ms the admin API takes, through the fake server that validates with the shared (strict)
// PATCH schema.
import { afterEach, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderApp } from '../test-support/render-app.js';

afterEach(cleanup);

it('sets upstreamTimeoutMs, shutdownGraceMs and priceRefresh from the page', async () => {
  const { server } = renderApp({ page: 'settings' });
  const timeout = (await screen.findByTestId('settings-upstreamTimeoutS')) as HTMLInputElement;
  // The default 600,000 ms shows as 600 seconds.
  await waitFor(() => expect(timeout.value).toBe('600'));
  expect((screen.getByTestId('settings-shutdownGraceS') as HTMLInputElement).value).toBe('30');
  expect((screen.getByTestId('settings-priceRefresh') as HTMLInputElement).checked).toBe(true);

  fireEvent.change(timeout, { target: { value: '120' } });
  fireEvent.change(screen.getByTestId('settings-shutdownGraceS'), { target: { value: '5' } });
  fireEvent.click(screen.getByLabelText(/Refresh the price list/));
  fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
  await screen.findByText('Saved.');
  expect(server.calls.find((c) => c.name === 'patchSettings')?.body).toEqual({
    upstreamTimeoutMs: 120_000,
    shutdownGraceMs: 5_000,
    priceRefresh: false,
  });
  await waitFor(() =>
    expect((screen.getByTestId('settings-upstreamTimeoutS') as HTMLInputElement).value).toBe('120'),
  );
});

it('refuses a timeout of 0 on the field, before anything is sent', async () => {
  const { server } = renderApp({ page: 'settings' });
  const timeout = (await screen.findByTestId('settings-upstreamTimeoutS')) as HTMLInputElement;
  await waitFor(() => expect(timeout.value).toBe('600'));
  fireEvent.change(timeout, { target: { value: '0' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
  await screen.findByText(/upstream timeout must be a number of seconds above 0/);
  expect(timeout.getAttribute('aria-invalid')).toBe('true');
  expect(server.calls.some((c) => c.name === 'patchSettings')).toBe(false);
});
