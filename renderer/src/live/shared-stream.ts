// One event-stream connection for every dashboard tab of this browser profile. A browser allows six
// connections per host, and a tab's EventSource holds one for good: the seventh tab would never load.
// So tabs elect a leader with a Web Lock; only the leader opens the EventSource and rebroadcasts each
// message on a BroadcastChannel. When the leader tab closes its lock is released and the next tab in
// line takes over (the lock queue is the election). Without those APIs each tab connects itself.
import type { ConnectionState } from '../api/services.js';
import type { ConnectEvents, EventSourceLike } from './event-stream.js';

/** The part of BroadcastChannel we use. */
export interface ChannelLike {
  onmessage: ((ev: MessageEvent) => unknown) | null;
  postMessage(message: unknown): void;
  close(): void;
}
/** The part of navigator.locks we use. */
export interface LocksLike {
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}
export interface TabSharing {
  locks: LocksLike;
  openChannel(name: string): ChannelLike;
}

type Message =
  | { kind: 'event'; data: string }
  /** `fresh`: the stream itself just changed state (not a reply to a new tab's hello). */
  | { kind: 'state'; state: ConnectionState; fresh?: boolean }
  /** A new tab asks the leader for the connection state. */
  | { kind: 'hello' };

export interface StreamHandlers {
  onData(data: string): void;
  /** `fresh` = the connection itself just changed (a reply to a new tab only tells the state). */
  onState(state: ConnectionState, fresh: boolean): void;
}

/** The browser's own APIs, when this page has them (a secure context: loopback http counts). */
export function browserTabSharing(): TabSharing | undefined {
  if (typeof BroadcastChannel === 'undefined' || typeof navigator === 'undefined' || !navigator.locks)
    return undefined;
  return { locks: navigator.locks, openChannel: (name) => new BroadcastChannel(name) };
}

/** Opens the stream (shared across tabs when `sharing` is given); returns the close function. */
export function openStream(
  connect: ConnectEvents,
  url: string,
  handlers: StreamHandlers,
  sharing?: TabSharing,
): () => void {
  const own = (send?: (m: Message) => void): EventSourceLike => {
    const source = connect(url);
    const state = (s: ConnectionState) => {
      handlers.onState(s, true);
      send?.({ kind: 'state', state: s, fresh: true });
    };
    source.onopen = () => state('open');
    source.onerror = () => state('error');
    source.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      handlers.onData(ev.data);
      send?.({ kind: 'event', data: ev.data });
    };
    return source;
  };
  if (!sharing) {
    const source = own();
    return () => source.close();
  }

  const name = `shimmy-events ${url}`;
  const channel = sharing.openChannel(name);
  const abort = new AbortController();
  let source: EventSourceLike | null = null;
  let lastState: ConnectionState = 'connecting';
  let release: (() => void) | null = null;
  const send = (m: Message) => {
    if (m.kind === 'state') lastState = m.state;
    channel.postMessage(m);
  };
  channel.onmessage = (ev: MessageEvent) => {
    const m = ev.data as Message;
    if (m.kind === 'event') handlers.onData(m.data);
    else if (m.kind === 'state') handlers.onState(m.state, m.fresh === true);
    else if (m.kind === 'hello' && source) channel.postMessage({ kind: 'state', state: lastState });
  };
  sharing.locks
    .request(name, { signal: abort.signal }, () => {
      // Leader until this tab closes: the promise holds the lock. Every tab hears that the stream is
      // (re)connecting: events sent while no tab held it are lost, so views resync once it is open.
      handlers.onState('connecting', true);
      send({ kind: 'state', state: 'connecting', fresh: true });
      source = own(send);
      return new Promise<void>((resolve) => (release = resolve));
    })
    .catch(() => undefined); // aborted while waiting in line: this tab closed first
  channel.postMessage({ kind: 'hello' } satisfies Message);

  return () => {
    abort.abort();
    source?.close();
    release?.();
    channel.close();
  };
}
