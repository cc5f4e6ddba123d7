// A typed client for the admin API, built from the shared route table. Bodies are validated before
// sending (so forms get field errors at once); answers are typed by shared/'s types and checked
// against the contract in the background, off the first paint (drift is reported, loudly, through
// `onDrift`, console.error by default). zod loads on demand (contract.ts), never with the first page.
import type { z } from 'zod';
import type { AdminRouteName, AdminRoutes, PathParams } from '../../../shared/admin-api.js';
import { adminPaths, fillPath } from '../../../shared/admin-paths.js';

type Contract = typeof import('./contract.js');

/** The part of `fetch` the client uses; tests pass an in-process server with the same contract. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export class AdminApiError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  constructor(message: string, status: number, field?: string) {
    super(message);
    this.name = 'AdminApiError';
    this.status = status;
    this.field = field;
  }
}

type ParamsArg<P extends string> = keyof PathParams<P> extends never ? unknown : { params: PathParams<P> };
type QueryArg<R> = R extends { query: infer Q extends z.ZodType } ? { query?: z.input<Q> } : unknown;
type BodyArg<R> = R extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : unknown;

export type CallArgs<N extends AdminRouteName> = ParamsArg<AdminRoutes[N]['path']> &
  QueryArg<AdminRoutes[N]> &
  BodyArg<AdminRoutes[N]>;
export type CallResult<N extends AdminRouteName> = z.output<AdminRoutes[N]['response']>;

type MaybeArgs<N extends AdminRouteName> =
  Record<string, never> extends CallArgs<N> ? [args?: CallArgs<N>] : [args: CallArgs<N>];

export interface ApiClient {
  call<N extends AdminRouteName>(name: N, ...args: MaybeArgs<N>): Promise<CallResult<N>>;
  /** Absolute URL of a path on the core (for EventSource and display). */
  url(path: string): string;
}

interface LooseArgs {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

function firstIssue(error: z.ZodError): { message: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { message: 'invalid input' };
  const field = issue.path.map(String).join('.');
  return { message: field ? `${field}: ${issue.message}` : issue.message, field: field || undefined };
}

/** The admin error shape (`{ error: { message, field? } }`), read without zod. */
function apiError(json: unknown): { message: string; field?: string } | undefined {
  const error = (json as { error?: { message?: unknown; field?: unknown } } | undefined)?.error;
  if (typeof error?.message !== 'string') return undefined;
  return { message: error.message, field: typeof error.field === 'string' ? error.field : undefined };
}

function defaultWhenIdle(fn: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2_000 });
  else setTimeout(fn, 0);
}

export function createApiClient(deps: {
  fetch: FetchLike;
  baseUrl: string;
  /** An answer that breaks the contract (checked in the background); default console.error. */
  onDrift?: (message: string) => void;
  /** Runs the background checks when the page has nothing better to do; default: the browser's
   *  idle callback (at most 2 s late), else a timer. */
  whenIdle?: (fn: () => void) => void;
}): ApiClient {
  const base = deps.baseUrl.replace(/\/+$/, '');
  let contract: Promise<Contract> | undefined;
  const loadContract = () => (contract ??= import('./contract.js'));
  const drift = deps.onDrift ?? ((message: string) => console.error(message));

  const whenIdle = deps.whenIdle ?? defaultWhenIdle;

  /**
   * Checks an answer against its schema once zod is loaded; never delays the answer itself, nor the
   * first paint: loading and evaluating zod (~100 KB) when the first answers arrive competed with
   * rendering them, so it waits for an idle moment.
   */
  const checkLater = (name: AdminRouteName, what: string, json: unknown) =>
    whenIdle(
      () =>
        void loadContract().then(
          (c) => {
            const parsed = c.adminRoutes[name].response.safeParse(json);
            if (!parsed.success) drift(`Unexpected answer from ${what}: ${firstIssue(parsed.error).message}`);
          },
          () => undefined, // the chunk failed to load (a rebuilt core): nothing to check against
        ),
    );

  async function call(name: AdminRouteName, args: LooseArgs = {}): Promise<unknown> {
    const route = adminPaths[name];
    const path = fillPath(route.path, args.params ?? {});
    const init: RequestInit = {
      method: route.method,
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    };
    if (route.body) {
      const schema = (await loadContract()).adminRoutes[name] as { body: z.ZodType };
      const parsed = schema.body.safeParse(args.body ?? {});
      if (!parsed.success) {
        const { message, field } = firstIssue(parsed.error);
        throw new AdminApiError(message, 400, field);
      }
      init.body = JSON.stringify(parsed.data);
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    }

    let res: Response;
    try {
      res = await deps.fetch(`${base}${path}${queryString(args.query)}`, init);
    } catch (err) {
      throw new AdminApiError(`Shimmy is not reachable: ${(err as Error).message}`, 0);
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // handled below: a non-JSON answer is an error either way
    }
    if (!res.ok) {
      const err = apiError(json);
      if (err) throw new AdminApiError(err.message, res.status, err.field);
      throw new AdminApiError(`${route.method} ${path} failed with HTTP ${res.status}`, res.status);
    }
    // The page and the API come from the same core, so an answer has the shared types; the check
    // against the schema still runs, after the fact, so drift shows up (and fails the e2e tests).
    if (json === undefined) throw new AdminApiError(`Empty answer from ${route.method} ${path}`, res.status);
    checkLater(name, `${route.method} ${path}`, json);
    return json;
  }

  return {
    call: call as ApiClient['call'],
    url: (path) => `${base}${path}`,
  };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
