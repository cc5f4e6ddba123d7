// The live event stream of this window, fanned out to subscribers. The connection is shared with the
// other dashboard tabs (shared-stream.ts); reconnects are EventSource's own job. We only report the
// connection state so the top bar can say when live data is stale.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ShimmyEvent } from '../../../shared/events.js';
import type { ConnectionState, EventListener } from '../api/services.js';
import { openStream, type TabSharing } from './shared-stream.js';

/** The part of EventSource we use, so tests can hand in their own source. */
export interface EventSourceLike {
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(): void;
}
export type ConnectEvents = (url: string) => EventSourceLike;

export const browserEventSource: ConnectEvents = (url) => new EventSource(url, { withCredentials: true });

/** Every event type the core sends (shared/events.ts); the compiler keeps this list complete. */
const EVENT_TYPES: { [T in ShimmyEvent['type']]: true } = {
  'request.start': true,
  'request.end': true,
  'alert.budget': true,
  'alert.blocked': true,
  spend: true,
  config: true,
  plan: true,
  'alert.plan': true,
};

/**
 * Parses one SSE `data:` payload (one event, or an array of them); junk or unknown event types are
 * dropped, not thrown. Not checked
 * field by field with zod: the stream comes from the core that served this page (same build, same
 * shared types), at up to a thousand events a second per dashboard, and zod is not in the page's
 * first chunk (api/contract.ts).
 */
export function parseEventData(data: unknown): ShimmyEvent[] {
  if (typeof data !== 'string') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return [];
  }
  // `?batch=1` (the URL the app opens): one message per flush, an array of events.
  return (Array.isArray(parsed) ? parsed : [parsed]).filter(isEvent);
}

function isEvent(value: unknown): value is ShimmyEvent {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' && Object.hasOwn(EVENT_TYPES, type);
}

export function useEventStream(connect: ConnectEvents, url: string, sharing?: TabSharing) {
  const listeners = useRef(new Set<EventListener>());
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  // Times the stream opened again after this window had it open: events may have been missed.
  const [resyncs, setResyncs] = useState(0);
  const wasOpen = useRef(false);

  useEffect(
    () =>
      openStream(
        connect,
        url,
        {
          onState: (state, fresh) => {
            setConnection(state);
            if (state !== 'open') return;
            if (fresh && wasOpen.current) setResyncs((n) => n + 1);
            wasOpen.current = true;
          },
          onData: (data) => {
            for (const event of parseEventData(data)) for (const l of listeners.current) l(event);
          },
        },
        sharing,
      ),
    [connect, url, sharing],
  );

  const subscribe = useCallback((listener: EventListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  return { subscribe, connection, resyncs };
}
