// A hand-driven EventSource for tests: `emit` delivers one SSE message the way the browser would.
import type { ShimmyEvent } from '../../../shared/events.js';
import type { EventSourceLike } from '../live/event-stream.js';

export class FakeEventSource implements EventSourceLike {
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  open() {
    this.onopen?.(new Event('open'));
  }
  /** One SSE message: an event, an array of them (what `?batch=1` sends), or raw text. */
  emit(event: ShimmyEvent | ShimmyEvent[] | string) {
    const data = typeof event === 'string' ? event : JSON.stringify(event);
    this.onmessage?.(new MessageEvent('message', { data }));
  }
  close() {
    this.closed = true;
  }
}

export function fakeEventSources() {
  const sources: FakeEventSource[] = [];
  const connect = (url: string) => {
    const s = new FakeEventSource(url);
    sources.push(s);
    return s;
  };
  const current = () => {
    const live = sources.filter((s) => !s.closed);
    const s = live[live.length - 1];
    if (!s) throw new Error('no open event source');
    return s;
  };
  return { sources, connect, current };
}
