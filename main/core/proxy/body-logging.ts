// Optional request/response body capture (settings.logBodies) for one exchange.
import type { IncomingMessage } from 'node:http';
import { BodyCapture, safeHeaders, type LoggedMessage } from '../body-log/body-log.js';
import type { ProxyDeps } from './proxy-deps.js';

export interface BodyLogging {
  request: LoggedMessage;
  response: BodyCapture;
  responseHeaders: Record<string, string>;
}

export function startBodyLogging(req: IncomingMessage, bodyBytes: Buffer | null): BodyLogging {
  const reqBody = new BodyCapture();
  if (bodyBytes) reqBody.add(bodyBytes);
  return {
    request: {
      headers: safeHeaders(req.headers),
      body: reqBody.text(),
      ...(reqBody.truncated ? { truncated: true } : {}),
    },
    response: new BodyCapture(),
    responseHeaders: {},
  };
}

export function saveBodyLogging(deps: ProxyDeps, id: string, time: Date, logging: BodyLogging): void {
  const response: LoggedMessage = {
    headers: logging.responseHeaders,
    body: logging.response.text(),
    ...(logging.response.truncated ? { truncated: true } : {}),
  };
  deps.bodyLog.save(id, time, { request: logging.request, response });
}
