// Response cache stats and a clear button.
import { useState } from 'react';
import { errorMessage } from '../api/client.js';
import { useServices } from '../api/services.js';
import { onConfig, useRoute } from '../api/use-route.js';
import { formatUsd } from '../format/money.js';
import { formatCount } from '../format/numbers.js';
import { ConfirmButton, ErrorNote } from '../ui/bits.js';

export function CacheSection() {
  const { client, locale } = useServices();
  const stats = useRoute('cacheStats', undefined, onConfig('cache', 'settings'));
  const [error, setError] = useState<string>();
  const s = stats.data;
  return (
    <section className="card" aria-labelledby="cache-title" data-testid="cache-section">
      <h2 id="cache-title">Cache</h2>
      <ErrorNote error={stats.error ?? error} />
      {s && (
        <p className="muted">
          {s.enabled ? 'On' : 'Off'} · {formatCount(s.entries, locale)} entries ·{' '}
          {formatCount(s.hits, locale)} hits / {formatCount(s.misses, locale)} misses · saved{' '}
          {formatUsd(s.savedUsd, locale)}
        </p>
      )}
      <ConfirmButton
        label="Clear cache"
        confirmLabel="Clear"
        question="Drop every cached response?"
        onConfirm={() =>
          client.call('clearCache').then(stats.reload, (e: unknown) => setError(errorMessage(e)))
        }
      />
    </section>
  );
}
