// Every error the proxy itself answers with is built here, in the caller's API family format:
// OpenAI {"error":{message,type,param,code}}, Anthropic {"type":"error","error":{type,message}},
// Gemini {"error":{code,message,status}} (Google's RPC status names).
import type { ServerResponse } from 'node:http';
import type { ApiFamily } from '../../../shared/usage.js';

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
  | 'limits_unavailable';

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
};

export function errorStatus(kind: ProxyErrorKind): number {
  return SHAPES[kind].status;
}

export function errorBody(
  family: ApiFamily,
  kind: ProxyErrorKind,
  message: string,
  param: string | null = null,
): string {
  const shape = SHAPES[kind];
  if (family === 'gemini') {
    const status = shape.geminiStatus ?? GEMINI_STATUS[shape.status] ?? 'UNKNOWN';
    return JSON.stringify({ error: { code: shape.status, message, status } });
  }
  if (family === 'anthropic') {
    return JSON.stringify({ type: 'error', error: { type: shape.anthropicType, message } });
  }
  return JSON.stringify({ error: { message, type: shape.openaiType, param, code: kind } });
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
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = errorBody(family, kind, message);
  res.writeHead(SHAPES[kind].status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
