// Settings: logging, retention, time zone, global budgets and alerts, price list, cache, pause,
// upstream timeout and shutdown grace.
import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../shared/admin-api.js';
import { AdminApiError, errorMessage } from '../api/client.js';
import { useServices } from '../api/services.js';
import { onConfig, useRoute } from '../api/use-route.js';
import { ErrorNote, Loading } from '../ui/bits.js';
import { CacheSection } from './cache-section.js';
import { fieldsFromSettings, settingsPatch, type SettingsFields } from './settings-fields.js';

export function SettingsPage() {
  const settings = useRoute('getSettings', undefined, onConfig('settings'));
  const info = useRoute('info');
  // Lives here, not in the form: a save re-mounts the form with the server's new settings.
  const [saved, setSaved] = useState(false);
  return (
    <div className="page" data-testid="page-settings">
      <h1 className="page-title">Settings</h1>
      <ErrorNote error={settings.error} />
      {!settings.data && !settings.error && <Loading />}
      {settings.data && (
        // Re-mount the form when the server's settings change so it shows them.
        <SettingsForm
          key={JSON.stringify(settings.data)}
          current={settings.data}
          saved={saved}
          onEdit={() => setSaved(false)}
          onSaved={() => {
            setSaved(true);
            settings.reload();
          }}
        />
      )}
      <section className="card" aria-labelledby="port-title">
        <h2 id="port-title">Server</h2>
        <label className="field" htmlFor="port">
          <span>Port</span>
          <input
            id="port"
            data-testid="settings-port"
            readOnly
            value={info.data ? String(info.data.port) : ''}
          />
        </label>
        <p className="muted small-text">
          Set when Shimmy starts, with <code>--port</code>.
        </p>
      </section>
      <CacheSection />
    </div>
  );
}

function SettingsForm(props: {
  current: SettingsView;
  saved: boolean;
  onEdit: () => void;
  onSaved: () => void;
}) {
  const { current, saved, onEdit, onSaved } = props;
  const { client } = useServices();
  const [f, setF] = useState<SettingsFields>(() => fieldsFromSettings(current));
  const [error, setError] = useState<{ message: string; field?: string }>();
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

  const set = <K extends keyof SettingsFields>(k: K, v: SettingsFields[K]) => {
    onEdit();
    setF({ ...f, [k]: v });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = settingsPatch(current, f);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    if (Object.keys(r.patch).length === 0) return onSaved();
    client.call('patchSettings', { body: r.patch }).then(
      () => {
        setError(undefined);
        onSaved();
      },
      (err: unknown) =>
        setError({ message: errorMessage(err), field: err instanceof AdminApiError ? err.field : undefined }),
    );
  };
  const togglePause = () =>
    client
      .call('patchSettings', { body: { paused: !current.paused } })
      .then(onSaved, (err: unknown) => setError({ message: errorMessage(err) }));

  const text = (
    k: Exclude<keyof SettingsFields, 'logBodies' | 'cacheEnabled' | 'priceRefresh'>,
    label: string,
    extra: { type?: string; inputMode?: 'decimal' | 'numeric'; placeholder?: string; list?: string } = {},
  ) => (
    <label className="field" htmlFor={`settings-${k}`}>
      <span>{label}</span>
      <input
        id={`settings-${k}`}
        data-testid={`settings-${k}`}
        value={f[k]}
        aria-invalid={error?.field === k || undefined}
        {...extra}
        onChange={(e) => set(k, e.target.value)}
      />
    </label>
  );

  return (
    <>
      <section className="card" aria-labelledby="pause-title">
        <h2 id="pause-title">Proxy</h2>
        <p className="muted">
          {current.paused ? 'Paused: every request is refused.' : 'Running: requests are served.'}
        </p>
        <button type="button" data-testid="pause-all" aria-pressed={current.paused} onClick={togglePause}>
          {current.paused ? 'Resume all tools' : 'Pause all tools'}
        </button>
      </section>
      <form className="card" onSubmit={submit} aria-labelledby="settings-title">
        <h2 id="settings-title">Accounting &amp; logging</h2>
        <label className="check" htmlFor="settings-logBodies">
          <input
            id="settings-logBodies"
            data-testid="settings-logBodies"
            type="checkbox"
            checked={f.logBodies}
            onChange={(e) => set('logBodies', e.target.checked)}
          />
          <span>Log request and response bodies</span>
        </label>
        <label className="check" htmlFor="settings-cacheEnabled">
          <input
            id="settings-cacheEnabled"
            data-testid="settings-cacheEnabled"
            type="checkbox"
            checked={f.cacheEnabled}
            onChange={(e) => set('cacheEnabled', e.target.checked)}
          />
          <span>Response cache (exact match)</span>
        </label>
        <label className="check" htmlFor="settings-priceRefresh">
          <input
            id="settings-priceRefresh"
            data-testid="settings-priceRefresh"
            type="checkbox"
            checked={f.priceRefresh}
            onChange={(e) => set('priceRefresh', e.target.checked)}
          />
          <span>Refresh the price list in the background (on start and every 6 h)</span>
        </label>
        <div className="field-grid">
          {text('retentionDays', 'Keep history (days)', { inputMode: 'numeric' })}
          {text('timeZone', 'Time zone for "today" (blank = system)', {
            list: 'time-zones',
            placeholder: 'system',
          })}
          {text('globalDailyUsd', 'All tools: daily budget (USD)', {
            inputMode: 'decimal',
            placeholder: 'no limit',
          })}
          {text('globalMonthlyUsd', 'All tools: monthly budget (USD)', {
            inputMode: 'decimal',
            placeholder: 'no limit',
          })}
          {text('alertWebhookUrl', 'Budget alert webhook URL', { type: 'url', placeholder: 'none' })}
          {text('priceListUrl', 'Price list URL', { type: 'url', placeholder: 'built-in prices only' })}
          {text('bodyLimitMb', 'Largest request body (MB)', { inputMode: 'decimal' })}
          {text('upstreamTimeoutS', 'Upstream timeout (seconds to first byte, and between bytes)', {
            inputMode: 'decimal',
          })}
          {text('shutdownGraceS', 'On quit, let requests in flight finish for (seconds)', {
            inputMode: 'decimal',
          })}
        </div>
        <datalist id="time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <ErrorNote error={error?.message} />
        {saved && (
          <p role="status" className="muted">
            Saved.
          </p>
        )}
        <button type="submit" className="primary" data-testid="settings-save">
          Save settings
        </button>
      </form>
    </>
  );
}
