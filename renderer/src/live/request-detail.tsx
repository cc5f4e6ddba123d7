// One request in full: the ledger record and, when body logging was on, what was sent and received.
import type { RequestDetail } from '../../../shared/admin-api.js';
import { useServices } from '../api/services.js';
import { useRoute } from '../api/use-route.js';
import { formatUsd } from '../format/money.js';
import { formatDateTime, formatLatency } from '../format/numbers.js';
import { Dialog } from '../ui/dialog.js';
import { ErrorNote, Loading } from '../ui/bits.js';
import { usageBreakdown } from './usage-breakdown.js';

export function RequestDetailDialog(props: { id: string; onClose: () => void }) {
  const detail = useRoute('getRequest', { params: { id: props.id } });
  return (
    <Dialog title="Request" onClose={props.onClose} testId="request-detail">
      <ErrorNote error={detail.error} />
      {!detail.data && !detail.error && <Loading />}
      {detail.data && <DetailBody d={detail.data} />}
    </Dialog>
  );
}

function DetailBody({ d }: { d: RequestDetail }) {
  const { locale } = useServices();
  const r = d.record;
  const rows: Array<[string, string]> = [
    ['Time', formatDateTime(r.time, locale)],
    ['Tool', r.tool],
    ['Provider', r.provider],
    ['Model', r.model],
    ['Endpoint', `${r.endpoint} (${r.path})`],
    ['Status', r.errorClass ? `${r.status} · ${r.errorClass}` : String(r.status)],
    [
      'Latency',
      `${formatLatency(r.latencyMs, locale)}${r.ttfbMs !== null ? `, first byte ${formatLatency(r.ttfbMs, locale)}` : ''}`,
    ],
    ['Streamed', r.streamed ? 'yes' : 'no'],
    ...usageBreakdown(r.usage, locale),
    [
      'Cost',
      `${formatUsd(r.costUsd, locale)}${r.estimated ? ' (estimated: not read in full, or not priceable)' : ''}`,
    ],
    [
      'Cache',
      r.cacheHit
        ? `hit${r.savedUsd !== undefined ? `, saved ${formatUsd(r.savedUsd, locale)}` : ''}`
        : 'miss',
    ],
  ];
  if (r.user) rows.push(['User', r.user]);
  if (r.project) rows.push(['Project', r.project]);
  if (r.client) rows.push(['Client', r.client]);
  if (r.session) rows.push(['Session', r.session]);
  if (r.keyLabel) rows.push(['Key', r.keyLabel]);
  if (r.failovers?.length) rows.push(['Failed over from', r.failovers.join(', ')]);
  return (
    <>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <Message title="Request" m={d.request} />
      <Message title="Response" m={d.response} />
      {!d.request?.body && !d.response?.body && (
        <p className="muted small-text">
          Bodies are not logged. Turn on body logging in <a href="#/settings">Settings</a>.
        </p>
      )}
    </>
  );
}

function Message({ title, m }: { title: string; m: RequestDetail['request'] }) {
  if (!m) return null;
  return (
    <details className="message">
      <summary>{title}</summary>
      <pre className="code">
        {Object.entries(m.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n')}
      </pre>
      {m.body !== undefined && (
        <pre className="code">
          {m.body}
          {m.truncated ? '\n… (truncated)' : ''}
        </pre>
      )}
    </details>
  );
}
