// The overview as pushed by the core: fetched once, then replaced by the overview every `spend` event
// carries (no refetch per request), with unchanged parts keeping their identity so memoized cards
// skip re-rendering. Refetched only when the stream reconnects (events may have been missed: a lost
// connection, or the tab holding it closed) or an older core sends spend events without an overview.
import { useEffect, useRef, useState } from 'react';
import type { Overview } from '../../../shared/admin-api.js';
import type { ShimmyEvent } from '../../../shared/events.js';
import { useServices } from '../api/services.js';
import { useRoute, type RouteState } from '../api/use-route.js';
import { keepUnchanged } from '../ui/keep-unchanged.js';

const spendWithoutOverview = (e: ShimmyEvent) => e.type === 'spend' && !e.overview;

export function useOverview(): RouteState<Overview> {
  const { subscribe, resyncs } = useServices();
  const fetched = useRoute('overview', undefined, spendWithoutOverview);
  const [pushed, setPushed] = useState<Overview>();
  // The first push shares what did not change with the fetched overview, later ones with the last push.
  const fetchedRef = useRef(fetched.data);
  useEffect(() => {
    fetchedRef.current = fetched.data;
  }, [fetched.data]);
  useEffect(
    () =>
      subscribe((e) => {
        if (e.type !== 'spend' || !e.overview) return;
        const next = e.overview;
        setPushed((prev) => keepUnchanged(prev ?? fetchedRef.current, next));
      }),
    [subscribe],
  );

  const { reload } = fetched;
  useEffect(() => {
    if ((resyncs ?? 0) > 0) reload();
  }, [resyncs, reload]);

  // Whichever is newer wins: a fetch answered after a push must not roll it back, nor the reverse.
  const data = pushed && (!fetched.data || pushed.now >= fetched.data.now) ? pushed : fetched.data;
  return { ...fetched, data };
}
