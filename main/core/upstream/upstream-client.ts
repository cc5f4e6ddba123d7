// upstream: one pooled keep-alive client (undici) for every provider, with the configured
// timeouts. Failures are classified so the proxy can answer 502 (unreachable) or 504 (timeout).
import { Agent, request, errors } from 'undici';

export interface UpstreamRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer> & {
    destroy(err?: Error): void;
    on(event: 'error', listener: (err: Error) => void): unknown;
  };
}

/** Drops an answer nobody will read. undici reports the drop as an error event; expected here. */
export function discardBody(res: UpstreamResponse): void {
  res.body.on('error', () => undefined);
  res.body.destroy();
}

export type UpstreamClient = (req: UpstreamRequest) => Promise<UpstreamResponse>;

export type UpstreamFailure = 'timeout' | 'unreachable' | 'aborted';

export function classifyUpstreamError(err: unknown): UpstreamFailure {
  if (err instanceof errors.RequestAbortedError || (err as Error)?.name === 'AbortError') return 'aborted';
  if (
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError ||
    err instanceof errors.ConnectTimeoutError
  ) {
    return 'timeout';
  }
  return 'unreachable';
}

/** A readable cause for error messages and logs: `ECONNREFUSED 127.0.0.1:9`, `headers timeout`. */
export function describeUpstreamError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return e?.cause?.code ?? e?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

export function createUpstreamClient(): { client: UpstreamClient; close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 128, pipelining: 1 });
  const client: UpstreamClient = async (req) => {
    const res = await request(req.url, {
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      dispatcher: agent,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body as UpstreamResponse['body'] };
  };
  return { client, close: () => agent.close() };
}
