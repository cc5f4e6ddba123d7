// Stage 1, authenticate: the tool token → the tool, and whether it may send anything now.
import type { IncomingMessage } from 'node:http';
import type { Config, Tool } from '../../../../shared/config.js';
import { tokenFromRequest } from '../../auth/tool-auth.js';
import type { PathClass } from '../../route/classify-path.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { Refused } from '../refused.js';

/** The tool the request's token belongs to, or undefined (the handler answers 401). */
export function authenticate(
  deps: ProxyDeps,
  req: IncomingMessage,
  search: string,
  time: Date,
): Tool | undefined {
  return deps.auth.authenticate(tokenFromRequest(req.headers, search), time);
}

/** Refuses every request while the proxy or the tool is paused. */
export function checkNotPaused(config: Config, tool: Tool): void {
  if (config.settings.paused)
    throw new Refused(
      'proxy_paused',
      'Shimmy is paused: every request is refused until it is resumed from the tray or the dashboard.',
      'auth',
    );
  if (tool.paused)
    throw new Refused(
      'tool_paused',
      `Tool "${tool.name}" is paused. Resume it with: shimmy tool resume ${tool.name}`,
      'auth',
    );
}

/** Unknown paths get a JSON 404 in the caller's format (never an HTML page, never passed on);
 *  a WebSocket upgrade (Codex's preferred Responses transport) is refused at once, so the
 *  client falls back to HTTP streaming without waiting. */
export function checkKnownPath(req: IncomingMessage, cls: PathClass): void {
  if (req.headers.upgrade !== undefined)
    throw new Refused(
      'upgrade_not_supported',
      'Shimmy serves this API over HTTP (streaming with server-sent events), not WebSocket.',
      'bad_request',
    );
  if (cls.unknown)
    throw new Refused(
      'not_found',
      `Unknown API path ${cls.upstreamPath}. Shimmy serves the OpenAI API under /v1, the Anthropic API at /v1/messages and the Gemini API under /v1beta.`,
      'bad_request',
    );
}
