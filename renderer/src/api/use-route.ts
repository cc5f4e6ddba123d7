// Loads one admin route and reloads it when a matching live event arrives (coalesced, since a
// busy proxy settles many requests a second).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminRouteName } from '../../../shared/admin-api.js';
import type { ShimmyEvent } from '../../../shared/events.js';
import { errorMessage, type CallArgs, type CallResult } from './client.js';
import { useServices } from './services.js';

export const REFRESH_DEBOUNCE_MS = 300;
export const REFRESH_MIN_INTERVAL_MS = 3_000;

export interface RouteState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

export function useRoute<N extends AdminRouteName>(
  name: N,
  args?: CallArgs<N>,
  refreshOn?: (event: ShimmyEvent) => boolean,
): RouteState<CallResult<N>> {
  const { client, subscribe } = useServices();
  const key = JSON.stringify([name, args ?? {}]);
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ key: string; data?: CallResult<N>; error?: string; done: boolean }>({
    key,
    done: false,
  });

  useEffect(() => {
    let live = true;
    const [n, a] = JSON.parse(key) as [N, CallArgs<N>];
    const call = client.call as (n: N, a: CallArgs<N>) => Promise<CallResult<N>>;
    call(n, a).then(
      (data) => live && setState({ key, data, done: true }),
      (err: unknown) =>
        live &&
        setState((s) => ({
          key,
          data: s.key === key ? s.data : undefined,
          error: errorMessage(err),
          done: true,
        })),
    );
    return () => {
      live = false;
    };
  }, [client, key, version]);

  const refreshRef = useRef(refreshOn);
  useEffect(() => {
    refreshRef.current = refreshOn;
  });
  useEffect(() => {
    // Event-driven reloads: the first 300 ms after the event, then at most one per
    // REFRESH_MIN_INTERVAL_MS however many events arrive, and none while the tab is hidden (one on
    // its return if something changed meanwhile).
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending = false;
    let last = -Infinity;
    const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';
    const fire = () => {
      timer = undefined;
      if (hidden()) return;
      pending = false;
      last = Date.now();
      setVersion((v) => v + 1);
    };
    const schedule = () => {
      pending = true;
      if (timer || hidden()) return;
      timer = setTimeout(fire, Math.max(REFRESH_DEBOUNCE_MS, last + REFRESH_MIN_INTERVAL_MS - Date.now()));
    };
    const off = subscribe((event) => {
      if (refreshRef.current?.(event)) schedule();
    });
    const onVisibility = () => {
      if (pending) schedule();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      off();
      document.removeEventListener('visibilitychange', onVisibility);
      if (timer) clearTimeout(timer);
    };
  }, [subscribe]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || !state.done,
    reload,
  };
}

export const onConfig =
  (...what: Array<Extract<ShimmyEvent, { type: 'config' }>['what']>) =>
  (e: ShimmyEvent) =>
    e.type === 'config' && what.includes(e.what);
