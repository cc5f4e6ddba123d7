// Requests as they happen; in-progress ones (streams) show until their request.end arrives.
import { memo, useState, useSyncExternalStore } from 'react';
import { useRenderProbe, useServices } from '../api/services.js';
import { formatUsd } from '../format/money.js';
import { formatCount, formatLatency, formatTime } from '../format/numbers.js';
import { EmptyState } from '../ui/bits.js';
import { inProgress, type LiveRequest } from './live-requests.js';
import type { LiveStore } from './live-store.js';
import { RequestDetailDialog } from './request-detail.js';

export function LivePage(props: { store: LiveStore; error?: string }) {
  useRenderProbe('live-page');
  const [openId, setOpenId] = useState<string>();
  const { connection } = useServices();
  const { items } = useSyncExternalStore(props.store.subscribe, props.store.get);
  const pending = inProgress(items);
  return (
    <div className="page" data-testid="page-live">
      <div className="page-head">
        <h1 className="page-title">Live</h1>
        <span className="muted" data-testid="live-status">
          {connection === 'open' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          {pending > 0 && ` · ${pending} in progress`}
        </span>
      </div>
      {props.error && (
        <p className="error-note" role="alert">
          {props.error}
        </p>
      )}
      {items.length === 0 ? (
        <EmptyState title="No requests yet" testId="live-empty">
          <p>
            Point a tool at Shimmy with its token (see <a href="#/tools">Tools</a>); each request appears here
            as it happens.
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="live-table" data-testid="live-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Tool</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col" className="num hide-narrow">
                  Latency
                </th>
                <th scope="col" className="num hide-narrow">
                  Tokens
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <LiveRow key={r.id} r={r} onOpen={setOpenId} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {openId && <RequestDetailDialog id={openId} onClose={() => setOpenId(undefined)} />}
    </div>
  );
}

// Memoized: a new request adds one row; the rows already shown keep their identity and skip rendering.
const LiveRow = memo(function LiveRow({ r, onOpen }: { r: LiveRequest; onOpen: (id: string) => void }) {
  useRenderProbe('live-row');
  const { locale } = useServices();
  const rec = r.record;
  const failed = rec ? rec.status >= 400 : false;
  return (
    <tr
      data-testid="live-row"
      data-id={r.id}
      data-state={rec ? 'done' : 'pending'}
      className={failed ? 'row-error' : undefined}
    >
      <td>
        {/* The time is the row's button: one tab stop per row, opens the detail. */}
        <button
          type="button"
          className="link"
          onClick={() => onOpen(r.id)}
          aria-label={`Details of ${r.model} request at ${formatTime(r.time, locale)}`}
        >
          {formatTime(r.time, locale)}
        </button>
      </td>
      <td data-testid="live-tool" className="ellipsis">
        {r.tool}
      </td>
      <td data-testid="live-model" className="ellipsis">
        {r.model || '—'}
      </td>
      <td data-testid="live-status-cell" className="wrap">
        {rec ? (
          <span className={failed ? 'badge over' : 'badge ok'} title={rec.errorClass ?? undefined}>
            {rec.status}
          </span>
        ) : (
          <span className="badge pending">{r.streamed ? 'streaming…' : 'in progress…'}</span>
        )}
        {rec?.cacheHit && (
          <span className="badge info" data-testid="live-cache-hit">
            cache
          </span>
        )}
      </td>
      <td className="num hide-narrow">{rec ? formatLatency(rec.latencyMs, locale) : ''}</td>
      <td className="num hide-narrow" data-testid="live-tokens">
        {rec
          ? `${formatCount(rec.usage.inputTokens, locale)} → ${formatCount(rec.usage.outputTokens, locale)}`
          : ''}
      </td>
      <td className="num" data-testid="live-cost">
        {rec ? formatUsd(rec.costUsd, locale) : ''}
        {rec?.estimated && (
          <span title="cost estimated: the answer was not read in full, or its price has no rate for part of it">
            *
          </span>
        )}
      </td>
    </tr>
  );
});
