// Providers (where requests go) and their keys (kept in the OS keychain, shown masked).
import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../shared/admin-api.js';
import type { ApiFamily } from '../../../shared/usage.js';
import { errorMessage } from '../api/client.js';
import { useServices } from '../api/services.js';
import { onConfig, useRoute } from '../api/use-route.js';
import { ConfirmButton, EmptyState, ErrorNote, Loading } from '../ui/bits.js';
import { KeysSection } from './keys-section.js';

export function ProvidersPage() {
  const providers = useRoute('listProviders', undefined, onConfig('providers', 'keys'));
  return (
    <div className="page" data-testid="page-providers">
      <h1 className="page-title">Providers &amp; keys</h1>
      <ErrorNote error={providers.error} />
      {!providers.data && !providers.error && <Loading />}
      {providers.data && providers.data.length === 0 && (
        <EmptyState title="No providers">
          <p>Add one below: a name, its API family and base URL.</p>
        </EmptyState>
      )}
      {providers.data && providers.data.length > 0 && (
        <ul className="plain-list">
          {providers.data.map((p) => (
            <ProviderRow key={p.name} p={p} onChanged={providers.reload} />
          ))}
        </ul>
      )}
      <KeysSection providers={providers.data ?? []} onChanged={providers.reload} />
      <AddProviderForm onAdded={providers.reload} />
    </div>
  );
}

function ProviderRow({ p, onChanged }: { p: ProviderView; onChanged: () => void }) {
  const { client } = useServices();
  const [baseUrl, setBaseUrl] = useState<string>();
  const [error, setError] = useState<string>();
  const act = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        setError(undefined);
        setBaseUrl(undefined);
        onChanged();
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  return (
    <li className="card" data-testid={`provider-row-${p.name}`} aria-label={p.name}>
      <div className="card-head">
        <h3>
          {p.name} <span className="badge">{p.kind}</span>{' '}
          {p.isDefault && <span className="badge info">default</span>}{' '}
          {!p.hasKey && !p.keyNeedsReentry && <span className="badge warn">no key</span>}
          {p.keyNeedsReentry && (
            <span className="badge warn" title="The key was given for another base URL">
              enter the key again
            </span>
          )}
        </h3>
        <div className="actions">
          {!p.isDefault && (
            <button
              type="button"
              className="small"
              onClick={() =>
                act(client.call('patchProvider', { params: { name: p.name }, body: { isDefault: true } }))
              }
            >
              Make default
            </button>
          )}
          <button
            type="button"
            className="small"
            aria-expanded={baseUrl !== undefined}
            onClick={() => setBaseUrl(baseUrl === undefined ? p.baseUrl : undefined)}
          >
            Edit URL
          </button>
          {!p.builtin && (
            <ConfirmButton
              label="Remove"
              confirmLabel={`Remove ${p.name}`}
              question="Requests routed to it will fail."
              onConfirm={() => act(client.call('deleteProvider', { params: { name: p.name } }))}
            />
          )}
        </div>
      </div>
      <p className="muted break">{p.baseUrl}</p>
      {baseUrl !== undefined && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(client.call('patchProvider', { params: { name: p.name }, body: { baseUrl } }));
          }}
        >
          <label className="field" htmlFor={`url-${p.name}`}>
            <span>Base URL</span>
            <input
              id={`url-${p.name}`}
              type="url"
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
            />
          </label>
          <button type="submit" className="small primary">
            Save
          </button>
          {/* Keys go only to the URL they were given for: a new URL needs them entered again. */}
          {baseUrl !== p.baseUrl && p.hasKey && (
            <p className="muted">Its keys are not sent to a new URL: you will enter them again.</p>
          )}
        </form>
      )}
      <ErrorNote error={error} />
    </li>
  );
}

function AddProviderForm({ onAdded }: { onAdded: () => void }) {
  const { client } = useServices();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ApiFamily>('openai');
  const [baseUrl, setBaseUrl] = useState('');
  const [isDefault, setIsDefault] = useState(false);
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    client
      .call('addProvider', { body: { name: name.trim(), kind, baseUrl: baseUrl.trim(), isDefault } })
      .then(
        () => {
          setName('');
          setBaseUrl('');
          setIsDefault(false);
          setError(undefined);
          onAdded();
        },
        (err: unknown) => setError(errorMessage(err)),
      );
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="add-provider-title">
      <h2 id="add-provider-title">Add a provider</h2>
      <div className="field-grid">
        <label className="field" htmlFor="provider-name">
          <span>Name</span>
          <input
            id="provider-name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. openrouter"
          />
        </label>
        <label className="field" htmlFor="provider-kind">
          <span>API family</span>
          <select id="provider-kind" value={kind} onChange={(e) => setKind(e.target.value as ApiFamily)}>
            <option value="openai">OpenAI-compatible</option>
            <option value="anthropic">Anthropic</option>
          </select>
        </label>
        <label className="field" htmlFor="provider-url">
          <span>Base URL</span>
          <input
            id="provider-url"
            type="url"
            required
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            placeholder="https://…/v1"
          />
        </label>
        <label className="check" htmlFor="provider-default">
          <input
            id="provider-default"
            type="checkbox"
            checked={isDefault}
            onChange={(e) => setIsDefault(e.target.checked)}
          />
          <span>Default for its family</span>
        </label>
      </div>
      <ErrorNote error={error} />
      <button type="submit" className="primary">
        Add provider
      </button>
    </form>
  );
}
