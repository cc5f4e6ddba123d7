// One EventSource for the whole window, fanned out to subscribers. Reconnects are EventSource's own
// job; we only report the connection state so the top bar can say when live data is stale.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ShimmyEventSchema } from '../../../shared/events.js';
import type { ConnectionState, EventListener } from '../api/services.js';

/** The part of EventSource we use, so tests can hand in their own source. */
export interface EventSourceLike {
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(): void;
}
export type ConnectEvents = (url: string) => EventSourceLike;

export const browserEventSource: ConnectEvents = (url) => new EventSource(url, { withCredentials: true });

/** Parses one SSE `data:` payload; junk or unknown event types are dropped, not thrown. */
export function parseEventData(data: unknown) {
  if (typeof data !== 'string') return null;
  try {
    const parsed = ShimmyEventSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function useEventStream(connect: ConnectEvents, url: string) {
  const listeners = useRef(new Set<EventListener>());
  const [connection, setConnection] = useState<ConnectionState>('connecting');

  useEffect(() => {
    const source = connect(url);
    source.onopen = () => setConnection('open');
    source.onerror = () => setConnection('error');
    source.onmessage = (ev) => {
      const event = parseEventData(ev.data);
      if (!event) return;
      for (const l of listeners.current) l(event);
    };
    return () => source.close();
  }, [connect, url]);

  const subscribe = useCallback((listener: EventListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  return { subscribe, connection };
}
