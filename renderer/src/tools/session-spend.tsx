// What each agent session cost over the last 7 days: one row per session (Claude Code, Codex and
// opencode name theirs; Shimmy records it with each request), so a user sees what one task cost.
import { useState } from 'react';
import { formatUsd } from '../format/money.js';
import { onConfig, useRoute } from '../api/use-route.js';
import { ErrorNote } from '../ui/bits.js';

const WEEK_MS = 7 * 86_400_000;

export function SessionSpend() {
  // Fixed when the page opens, so the query (and the route's cache key) is stable across renders.
  const [since] = useState(() => new Date(Date.now() - WEEK_MS).toISOString());
  const rows = useRoute('usage', { query: { by: 'session', since } }, onConfig('tools'));
  const sessions = rows.data?.filter((r) => r.session) ?? [];
  if (!rows.error && sessions.length === 0) return null;
  return (
    <section className="card" data-testid="session-spend" aria-label="Agent sessions">
      <h2>Agent sessions, last 7 days</h2>
      <ErrorNote error={rows.error} />
      <table>
        <thead>
          <tr>
            <th>Tool</th>
            <th>Client</th>
            <th>Session</th>
            <th>Requests</th>
            <th>Cost</th>
          </tr>
        </thead>
        <tbody>
          {sessions.slice(0, 50).map((r) => (
            <tr key={`${r.tool}/${r.session}`}>
              <td>{r.tool}</td>
              <td>{r.client ?? '-'}</td>
              <td>
                <code title={r.session}>{r.session!.slice(0, 12)}</code>
              </td>
              <td>{r.requests}</td>
              <td>{formatUsd(r.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
