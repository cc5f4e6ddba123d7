// A typed client for the admin API, built from the shared route table. It validates bodies before
// sending (so forms get field errors at once) and responses after (so drift shows up loudly).
import type { z } from 'zod';
import {
  ApiErrorSchema,
  adminRoutes,
  fillPath,
  type AdminRouteName,
  type AdminRoutes,
  type PathParams,
} from '../../../shared/admin-api.js';

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

export function createApiClient(deps: { fetch: FetchLike; baseUrl: string }): ApiClient {
  const base = deps.baseUrl.replace(/\/+$/, '');

  async function call(name: AdminRouteName, args: LooseArgs = {}): Promise<unknown> {
    const route = adminRoutes[name];
    const path = fillPath(route.path, args.params ?? {});
    const init: RequestInit = {
      method: route.method,
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    };
    if ('body' in route) {
      const parsed = route.body.safeParse(args.body ?? {});
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
      const err = ApiErrorSchema.safeParse(json);
      if (err.success) throw new AdminApiError(err.data.error.message, res.status, err.data.error.field);
      throw new AdminApiError(`${route.method} ${path} failed with HTTP ${res.status}`, res.status);
    }
    const parsed = route.response.safeParse(json);
    if (!parsed.success) {
      throw new AdminApiError(
        `Unexpected answer from ${route.method} ${path}: ${firstIssue(parsed.error).message}`,
        res.status,
      );
    }
    return parsed.data;
  }

  return {
    call: call as ApiClient['call'],
    url: (path) => `${base}${path}`,
  };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
