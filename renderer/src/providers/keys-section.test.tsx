// The key form's "Store anyway": the core refuses a key of unusual shape for its provider unless
// the request says force (PUT /api/keys, validated by the shared schema in the fake server).
import { afterEach, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ProviderView } from '../../../shared/admin-api.js';
import { createApiClient } from '../api/client.js';
import { ServicesContext } from '../api/services.js';
import { createFakeServer } from '../test-support/fake-server.js';
import { KeysSection } from './keys-section.js';

afterEach(cleanup);

const provider = {
  name: 'openai',
  kind: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  isDefault: true,
  builtin: true,
  hasKey: false,
  keyNeedsReentry: false,
} as ProviderView;

it('sends force only when "Store anyway" is ticked', async () => {
  const server = createFakeServer();
  const client = createApiClient({ fetch: server.fetch, baseUrl: 'http://127.0.0.1:4141' });
  render(
    <ServicesContext
      value={{ client, subscribe: () => () => undefined, connection: 'open', copy: async () => {} }}
    >
      <KeysSection providers={[provider]} onChanged={() => undefined} />
    </ServicesContext>,
  );
  const save = (key: string) => {
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: key } });
    fireEvent.click(screen.getByRole('button', { name: 'Save key' }));
  };
  save('sk-proj-plain-0000000000000000000000');
  await waitFor(() => expect(server.calls.filter((c) => c.name === 'putKey')).toHaveLength(1));
  fireEvent.click(screen.getByLabelText(/Store anyway/));
  save('odd-shaped-key-0000');
  await waitFor(() => expect(server.calls.filter((c) => c.name === 'putKey')).toHaveLength(2));
  const bodies = server.calls.filter((c) => c.name === 'putKey').map((c) => c.body);
  expect(bodies).toEqual([
    { provider: 'openai', key: 'sk-proj-plain-0000000000000000000000' },
    { provider: 'openai', key: 'odd-shaped-key-0000', force: true },
  ]);
  // Unticked again after a save.
  await waitFor(() =>
    expect((screen.getByLabelText(/Store anyway/) as HTMLInputElement).checked).toBe(false),
  );
});
