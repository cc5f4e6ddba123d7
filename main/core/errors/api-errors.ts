// Every error the proxy itself answers with is built here, in the caller's API family format:
// OpenAI {"error":{message,type,param,code}}, Anthropic {"type":"error","error":{type,message}},
// Gemini {"error":{code,message,status}} (Google's RPC status names). A final refusal (budget spent,
// plan window used up) is shaped here too for the clients that would otherwise retry it or hide
// its message (refusal-audience.ts).
import type { ServerResponse } from 'node:http';
import type { ApiFamily } from '../../../shared/usage.js';
import type { RefusalAudience } from './refusal-audience.js';

export type ProxyErrorKind =
  | 'invalid_api_key'
  | 'tool_paused'
  | 'proxy_paused'
  | 'model_not_allowed'
  | 'model_unpriced'
  | 'invalid_json'
  | 'invalid_request'
  | 'body_too_large'
  | 'no_provider_key'
  | 'route_error'
  | 'budget_exceeded'
  | 'unpriced_endpoint'
  | 'rate_limit_exceeded'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'not_found'
  | 'upgrade_not_supported'
  | 'plan_limit'
  | 'shutting_down'
  | 'ledger_unavailable'
  | 'limits_unavailable'
  | 'internal_error';

interface ErrorShape {
  status: number;
  openaiType: string;
  anthropicType: string;
  /** Google RPC status; when absent, the one HTTP maps to (GEMINI_STATUS). */
  geminiStatus?: string;
}

/** Google's canonical mapping of HTTP status to RPC status (google.rpc.Code). */
const GEMINI_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  424: 'FAILED_PRECONDITION',
  500: 'INTERNAL',
  429: 'RESOURCE_EXHAUSTED',
  502: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const SHAPES: Record<ProxyErrorKind, ErrorShape> = {
  invalid_api_key: {
    status: 401,
    openaiType: 'invalid_request_error',
    anthropicType: 'authentication_error',
  },
  tool_paused: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error' },
  proxy_paused: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error' },
  model_not_allowed: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error' },
  model_unpriced: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error' },
  invalid_json: { status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error' },
  invalid_request: {
    status: 400,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
  },
  body_too_large: { status: 413, openaiType: 'invalid_request_error', anthropicType: 'request_too_large' },
  no_provider_key: {
    status: 424,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
  },
  route_error: { status: 400, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error' },
  budget_exceeded: { status: 429, openaiType: 'insufficient_quota', anthropicType: 'rate_limit_error' },
  unpriced_endpoint: { status: 403, openaiType: 'permission_error', anthropicType: 'permission_error' },
  rate_limit_exceeded: { status: 429, openaiType: 'requests', anthropicType: 'rate_limit_error' },
  upstream_unreachable: { status: 502, openaiType: 'api_error', anthropicType: 'api_error' },
  upstream_timeout: { status: 504, openaiType: 'api_error', anthropicType: 'timeout_error' },
  not_found: { status: 404, openaiType: 'invalid_request_error', anthropicType: 'not_found_error' },
  plan_limit: { status: 429, openaiType: 'rate_limit_exceeded', anthropicType: 'rate_limit_error' },
  upgrade_not_supported: {
    status: 426,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
    geminiStatus: 'FAILED_PRECONDITION',
  },
  shutting_down: { status: 503, openaiType: 'api_error', anthropicType: 'api_error' },
  ledger_unavailable: { status: 503, openaiType: 'api_error', anthropicType: 'api_error' },
  limits_unavailable: { status: 503, openaiType: 'api_error', anthropicType: 'api_error' },
  internal_error: { status: 500, openaiType: 'api_error', anthropicType: 'api_error' },
};

/** Codex shows a 400's body as sent and stops; it hides a 429's message and retries a 403 five
 *  times. These refusals cannot succeed on a retry before their reset, so Codex gets a 400. */
const CODEX_FINAL = new Set<ProxyErrorKind>([
  'budget_exceeded',
  'plan_limit',
  'model_unpriced',
  'unpriced_endpoint',
]);

/** The AI SDK and Continue retry every 429: their final refusals go out as 402 (Anthropic's
 *  `billing_error`; not RESOURCE_EXHAUSTED for Gemini, which opencode reads as "retry"). */
const RETRIES_429_FINAL: Partial<Record<ProxyErrorKind, ErrorShape>> = {
  budget_exceeded: {
    status: 402,
    openaiType: 'insufficient_quota',
    anthropicType: 'billing_error',
    geminiStatus: 'FAILED_PRECONDITION',
  },
  plan_limit: {
    status: 402,
    openaiType: 'rate_limit_exceeded',
    anthropicType: 'billing_error',
    geminiStatus: 'FAILED_PRECONDITION',
  },
};

function shapeOf(kind: ProxyErrorKind, audience: RefusalAudience): ErrorShape {
  if (audience === 'codex' && CODEX_FINAL.has(kind)) return { ...SHAPES[kind], status: 400 };
  if (audience === 'retries-429') return RETRIES_429_FINAL[kind] ?? SHAPES[kind];
  return SHAPES[kind];
}

export function errorStatus(kind: ProxyErrorKind, audience: RefusalAudience = 'default'): number {
  return shapeOf(kind, audience).status;
}

export interface ErrorOptions {
  param?: string | null;
  audience?: RefusalAudience;
  /** Seconds until a retry can succeed (the refusal's Retry-After). Gemini bodies carry it as
   *  google.rpc.RetryInfo, as Google's own quota errors do: Gemini CLI waits that long when it is
   *  under 5 minutes and stops with the message otherwise (without it, it retries ten times). */
  retryAfterSeconds?: number;
}

export function errorBody(
  family: ApiFamily,
  kind: ProxyErrorKind,
  message: string,
  opts: ErrorOptions = {},
): string {
  const shape = shapeOf(kind, opts.audience ?? 'default');
  if (family === 'gemini') {
    const status = shape.geminiStatus ?? GEMINI_STATUS[shape.status] ?? 'UNKNOWN';
    const details =
      opts.retryAfterSeconds !== undefined
        ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${opts.retryAfterSeconds}s` }]
        : undefined;
    return JSON.stringify({
      error: { code: shape.status, message, status, ...(details ? { details } : {}) },
    });
  }
  if (family === 'anthropic') {
    return JSON.stringify({ type: 'error', error: { type: shape.anthropicType, message } });
  }
  return JSON.stringify({
    error: { message, type: shape.openaiType, param: opts.param ?? null, code: kind },
  });
}

/** One SSE event that ends a stream with an error, in the family's streaming format. */
export function errorEvent(family: ApiFamily, kind: ProxyErrorKind, message: string): string {
  const body = errorBody(family, kind, message);
  return family === 'anthropic' ? `event: error\ndata: ${body}\n\n` : `data: ${body}\n\n`;
}

export function sendError(
  res: ServerResponse,
  family: ApiFamily,
  kind: ProxyErrorKind,
  message: string,
  headers: Record<string, string> = {},
  audience: RefusalAudience = 'default',
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const retryAfter = Number(headers['retry-after']);
  const body = errorBody(family, kind, message, {
    audience,
    ...(Number.isInteger(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
  });
  res.writeHead(errorStatus(kind, audience), {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
