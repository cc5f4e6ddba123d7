// Model prices (USD per 1M tokens): the @pydantic/genai-prices catalog (bundled or refreshed), the
// user's overrides, where the catalog comes from, and the models seen in traffic with no price.
import { useDeferredValue, useState, type FormEvent } from 'react';
import type { PriceRefreshResult, PriceStatus, PriceView } from '../../../shared/admin-api.js';
import type { Price } from '../../../shared/prices.js';
import { errorMessage } from '../api/client.js';
import { useServices } from '../api/services.js';
import { onConfig, useRoute } from '../api/use-route.js';
import { parseOptionalNumber } from '../format/numbers.js';
import { ConfirmButton, EmptyState, ErrorNote, Loading } from '../ui/bits.js';

const perM = (n: number | undefined) => (n === undefined ? '—' : `$${n}`);

export function PricesPage() {
  const prices = useRoute('listPrices', undefined, onConfig('prices'));
  const status = useRoute('priceStatus', undefined, onConfig('prices'));
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter.trim().toLowerCase());
  const [editing, setEditing] = useState<PriceView>();
  const shown = (prices.data ?? []).filter((p) => p.model.toLowerCase().includes(deferred));
  return (
    <div className="page" data-testid="page-prices">
      <h1 className="page-title">Prices</h1>
      <p className="muted small-text">
        USD per million tokens, from the price catalog of the provider that serves each request. Your
        overrides always win.
      </p>
      {status.data && <CatalogStatus status={status.data} />}
      <RefreshForm
        onDone={() => {
          prices.reload();
          status.reload();
        }}
      />
      <OverrideForm
        key={editing?.model ?? 'new'}
        initial={editing}
        onSaved={() => {
          setEditing(undefined);
          prices.reload();
          status.reload();
        }}
      />
      <label className="field" htmlFor="price-filter">
        <span>Filter models</span>
        <input id="price-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <ErrorNote error={prices.error} />
      {!prices.data && !prices.error && <Loading />}
      {prices.data && shown.length === 0 && (
        <EmptyState title={prices.data.length ? 'No model matches' : 'No prices known'}>
          <p>
            Refresh the price list or add an override above; requests to unpriced models are logged as
            "unpriced".
          </p>
        </EmptyState>
      )}
      {shown.length > 0 && (
        <div className="table-wrap">
          <table data-testid="prices-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="hide-narrow">
                  Provider
                </th>
                <th scope="col" className="num">
                  Input
                </th>
                <th scope="col" className="num hide-narrow">
                  Cached
                </th>
                <th scope="col" className="num hide-narrow">
                  Cache write
                </th>
                <th scope="col" className="num">
                  Output
                </th>
                <th scope="col" className="hide-narrow">
                  Other
                </th>
                <th scope="col">Source</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={`${p.source}:${p.provider ?? ''}:${p.model}`} data-testid={`price-row-${p.model}`}>
                  <td className="ellipsis">{p.model}</td>
                  <td className="hide-narrow">{p.provider ?? '—'}</td>
                  <td className="num">{perM(p.price.input)}</td>
                  <td className="num hide-narrow">{perM(p.price.cachedInput)}</td>
                  <td className="num hide-narrow">{perM(p.price.cacheWrite)}</td>
                  <td className="num">{perM(p.price.output)}</td>
                  <td className="hide-narrow small-text units-cell">{otherUnits(p)}</td>
                  <td>
                    <span className={p.source === 'user' ? 'badge info' : 'badge'}>{p.source}</span>
                  </td>
                  <td>
                    <span className="actions">
                      <button type="button" className="small" onClick={() => setEditing(p)}>
                        Override
                      </button>
                      {p.source === 'user' && <ResetOverride model={p.model} onDone={prices.reload} />}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Long-context tiers and units other than tokens, in the catalog's own names. */
function otherUnits(p: PriceView): string {
  const parts = Object.entries(p.units ?? {}).map(([k, v]) => `${k} ${v}`);
  if (p.tiered) parts.unshift('long-context tiers');
  return parts.join(', ') || '—';
}

function CatalogStatus({ status }: { status: PriceStatus }) {
  const c = status.catalog;
  return (
    <section className="card catalog-card" aria-labelledby="catalog-title" data-testid="price-catalog">
      <h2 id="catalog-title">Price catalog</h2>
      <p>
        {c.source === 'refreshed'
          ? `${c.library} data, refreshed ${c.fetchedAt} from ${c.url}${c.lastModified ? ` (published ${c.lastModified})` : ''}`
          : `Bundled with ${c.library}`}
      </p>
      <p className="muted small-text">
        {c.autoRefresh
          ? `Refreshed in the background every 6 h from ${c.refreshUrl}.`
          : 'Background refresh is off.'}
      </p>
      {c.problem && (
        <p role="alert" className="error-note">
          {c.problem}
        </p>
      )}
      {c.lastRefresh && !c.lastRefresh.ok && (
        <p className="error-note">
          Last refresh failed at {c.lastRefresh.at}: {c.lastRefresh.error}
        </p>
      )}
      {status.unpriced.length > 0 && (
        <>
          <h3>Models with no price</h3>
          <p className="muted small-text">Their requests are recorded as unpriced. Price one with:</p>
          <ul data-testid="unpriced-models">
            {status.unpriced.map((u) => (
              <li key={`${u.provider}/${u.model}`}>
                <strong>{u.model}</strong> ({u.provider}, {u.requests} requests): <code>{u.command}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ResetOverride({ model, onDone }: { model: string; onDone: () => void }) {
  const { client } = useServices();
  return (
    <ConfirmButton
      label="Reset"
      confirmLabel="Reset"
      question={`Drop your price for ${model}?`}
      onConfirm={() => void client.call('deletePrice', { params: { model } }).then(onDone, onDone)}
    />
  );
}

type PriceFields = Record<keyof Price, string>;
const str = (n: number | undefined) => (n === undefined ? '' : String(n));

function OverrideForm(props: { initial?: PriceView; onSaved: () => void }) {
  const { client } = useServices();
  const [model, setModel] = useState(props.initial?.model ?? '');
  const p = props.initial?.price;
  const [f, setF] = useState<PriceFields>({
    input: str(p?.input),
    output: str(p?.output),
    cachedInput: str(p?.cachedInput),
    cacheWrite: str(p?.cacheWrite),
    cacheWrite1h: str(p?.cacheWrite1h),
  });
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const price: Partial<Price> = {};
    for (const k of ['input', 'output', 'cachedInput', 'cacheWrite', 'cacheWrite1h'] as const) {
      const n = parseOptionalNumber(f[k]);
      if (n === undefined) continue;
      if (!Number.isFinite(n) || n < 0) return setError(`${k}: enter a price of 0 or more`);
      price[k] = n;
    }
    if (price.input === undefined || price.output === undefined)
      return setError('Input and output prices are required');
    client.call('putPrice', { params: { model: model.trim() }, body: price as Price }).then(
      () => {
        setError(undefined);
        props.onSaved();
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  };
  const input = (k: keyof Price, label: string) => (
    <label className="field" htmlFor={`price-${k}`}>
      <span>{label}</span>
      <input
        id={`price-${k}`}
        inputMode="decimal"
        value={f[k]}
        onChange={(e) => setF({ ...f, [k]: e.target.value })}
      />
    </label>
  );
  return (
    <form className="card" onSubmit={submit} aria-labelledby="override-title">
      <h2 id="override-title">
        {props.initial ? `Override ${props.initial.model}` : 'Add a price override'}
      </h2>
      <div className="field-grid">
        <label className="field" htmlFor="price-model">
          <span>Model</span>
          <input id="price-model" required value={model} onChange={(e) => setModel(e.target.value)} />
        </label>
        {input('input', 'Input $/1M')}
        {input('output', 'Output $/1M')}
        {input('cachedInput', 'Cached input $/1M (optional)')}
        {input('cacheWrite', 'Cache write $/1M (optional)')}
        {input('cacheWrite1h', '1-hour cache write $/1M (optional)')}
      </div>
      <ErrorNote error={error} />
      <button type="submit" className="primary">
        Save price
      </button>
    </form>
  );
}

function RefreshForm({ onDone }: { onDone: () => void }) {
  const { client } = useServices();
  const [url, setUrl] = useState('');
  const [result, setResult] = useState<PriceRefreshResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    client
      .call('refreshPrices', { body: { url: url.trim() || undefined } })
      .then(
        (r) => {
          setResult(r);
          setError(undefined);
          onDone();
        },
        (err: unknown) => setError(errorMessage(err)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Refresh prices">
      <label className="field" htmlFor="refresh-url">
        <span>Catalog URL (blank = the one in Settings, else the catalog's own)</span>
        <input id="refresh-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
      </label>
      <button type="submit" className="small" disabled={busy}>
        Refresh prices
      </button>
      <ErrorNote error={error} />
      {result && (
        <p role="status" className={result.ok ? 'muted' : 'error-note'}>
          {result.ok
            ? `Updated ${result.models} models from ${result.url}`
            : `Refresh failed: ${result.message}`}
        </p>
      )}
    </form>
  );
}
