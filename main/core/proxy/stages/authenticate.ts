// Stage 1, authenticate: the tool token → the tool, and whether it may send anything now.
import type { IncomingMessage } from 'node:http';
import type { Config, Tool } from '../../../../shared/config.js';
import { tokenFromHeaders } from '../../auth/tool-auth.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { Refused } from '../refused.js';

/** The tool the request's token belongs to, or undefined (the handler answers 401). */
export function authenticate(deps: ProxyDeps, req: IncomingMessage, time: Date): Tool | undefined {
  return deps.auth.authenticate(tokenFromHeaders(req.headers), time);
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
