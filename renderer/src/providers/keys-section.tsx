// Provider keys: stored in the OS keychain by the core; the page only ever sees them masked.
import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../shared/admin-api.js';
import { errorMessage } from '../api/client.js';
import { useServices } from '../api/services.js';
import { onConfig, useRoute } from '../api/use-route.js';
import { ConfirmButton, EmptyState, ErrorNote } from '../ui/bits.js';

export function KeysSection(props: { providers: ProviderView[]; onChanged: () => void }) {
  const { client } = useServices();
  const keys = useRoute('listKeys', undefined, onConfig('keys'));
  const [provider, setProvider] = useState('');
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  // The core refuses a key not shaped like its service's keys; this stores an unusual one anyway.
  const [force, setForce] = useState(false);
  const [error, setError] = useState<string>();
  const chosen = provider || props.providers[0]?.name || '';

  const changed = () => {
    setError(undefined);
    keys.reload();
    props.onChanged();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    client
      .call('putKey', {
        body: {
          provider: chosen,
          key: key.trim(),
          label: label.trim() || undefined,
          ...(force ? { force: true } : {}),
        },
      })
      .then(
        () => {
          setKey('');
          setLabel('');
          setForce(false);
          changed();
        },
        (err: unknown) => setError(errorMessage(err)),
      );
  };

  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">Keys</h2>
      <ErrorNote error={keys.error} />
      {keys.data && keys.data.length === 0 && (
        <EmptyState title="No provider keys yet" testId="keys-empty">
          <p>
            Add your OpenAI or Anthropic API key below. It goes to the OS keychain; tools only ever see their
            Shimmy token.
          </p>
        </EmptyState>
      )}
      {keys.data && keys.data.length > 0 && (
        <ul className="plain-list">
          {keys.data.map((k) => (
            <li
              key={`${k.provider}/${k.label}`}
              className="key-row"
              data-testid={`key-row-${k.provider}-${k.label}`}
            >
              <span>
                <strong>{k.provider}</strong> · {k.label} · <code>{k.masked}</code>{' '}
                <span className="badge">{k.source === 'env' ? 'from environment' : 'keychain'}</span>{' '}
                {!k.usable && (
                  <span className="badge warn" title={k.boundTo ? `given for ${k.boundTo}` : undefined}>
                    not used: provider moved, enter it again
                  </span>
                )}
              </span>
              {k.source === 'keychain' && (
                <ConfirmButton
                  label="Delete"
                  confirmLabel="Delete key"
                  question={`Remove the ${k.provider} key?`}
                  onConfirm={() =>
                    client
                      .call('deleteKey', { params: { provider: k.provider, label: k.label } })
                      .then(changed, (err: unknown) => setError(errorMessage(err)))
                  }
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} aria-label="Add a key">
        <div className="field-grid">
          <label className="field" htmlFor="key-provider">
            <span>Provider</span>
            <select id="key-provider" value={chosen} onChange={(e) => setProvider(e.target.value)}>
              {props.providers.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field" htmlFor="key-value">
            <span>API key</span>
            <input
              id="key-value"
              type="password"
              autoComplete="off"
              required
              value={key}
              onChange={(e) => setKey(e.target.value)}
            />
          </label>
          <label className="field" htmlFor="key-label">
            <span>Label (optional)</span>
            <input
              id="key-label"
              value={label}
              placeholder="default"
              onChange={(e) => setLabel(e.target.value)}
            />
          </label>
        </div>
        <label className="check" htmlFor="key-force">
          <input
            id="key-force"
            type="checkbox"
            checked={force}
            onChange={(e) => setForce(e.target.checked)}
          />
          <span>Store anyway (a key of unusual shape for this provider)</span>
        </label>
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={!chosen}>
          Save key
        </button>
      </form>
    </section>
  );
}
