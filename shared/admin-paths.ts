// Method and path of every admin route, without the route table's zod schemas: the CLI's
// management commands and the dashboard's first paint need only these, and building the
// contract's schemas was most of a command's own start-up and a large part of the dashboard's
// initial JavaScript (issue 16). Checked against admin-api.ts by the compiler: a route missing
// here, an extra one, or a method or path that differs there does not type-check.
import type { AdminRouteName, AdminRoutes, adminEvents } from './admin-api.js';

export { fillPath } from './fill-path.js';

type RouteTable = {
  [N in AdminRouteName]: {
    method: AdminRoutes[N]['method'];
    path: AdminRoutes[N]['path'];
  } & (AdminRoutes[N] extends {
    body: unknown;
  }
    ? { body: true }
    : { body?: never });
};

export const adminPaths: RouteTable = {
  info: { method: 'GET', path: '/api/info' },
  overview: { method: 'GET', path: '/api/overview' },
  plans: { method: 'GET', path: '/api/plans' },
  createLoginLink: { method: 'POST', path: '/api/login-links' },
  dailySpend: { method: 'GET', path: '/api/spend/daily' },
  listTools: { method: 'GET', path: '/api/tools' },
  createTool: { method: 'POST', path: '/api/tools', body: true },
  patchTool: { method: 'PATCH', path: '/api/tools/:name', body: true },
  rotateTool: { method: 'POST', path: '/api/tools/:name/rotate' },
  deleteTool: { method: 'DELETE', path: '/api/tools/:name' },
  mintToken: { method: 'POST', path: '/api/tools/:name/tokens', body: true },
  revokeToken: { method: 'DELETE', path: '/api/tools/:name/tokens/:id' },
  listProviders: { method: 'GET', path: '/api/providers' },
  addProvider: { method: 'POST', path: '/api/providers', body: true },
  patchProvider: { method: 'PATCH', path: '/api/providers/:name', body: true },
  deleteProvider: { method: 'DELETE', path: '/api/providers/:name' },
  listKeys: { method: 'GET', path: '/api/keys' },
  putKey: { method: 'PUT', path: '/api/keys', body: true },
  deleteKey: { method: 'DELETE', path: '/api/keys/:provider/:label' },
  listPrices: { method: 'GET', path: '/api/prices' },
  priceStatus: { method: 'GET', path: '/api/prices/status' },
  putPrice: { method: 'PUT', path: '/api/prices/:model', body: true },
  deletePrice: { method: 'DELETE', path: '/api/prices/:model' },
  refreshPrices: { method: 'POST', path: '/api/prices/refresh', body: true },
  getSettings: { method: 'GET', path: '/api/settings' },
  patchSettings: { method: 'PATCH', path: '/api/settings', body: true },
  usage: { method: 'GET', path: '/api/usage' },
  listRequests: { method: 'GET', path: '/api/requests' },
  getRequest: { method: 'GET', path: '/api/requests/:id' },
  cacheStats: { method: 'GET', path: '/api/cache' },
  clearCache: { method: 'DELETE', path: '/api/cache' },
  listRoutes: { method: 'GET', path: '/api/routes' },
  addRoute: { method: 'POST', path: '/api/routes', body: true },
  deleteRoute: { method: 'DELETE', path: '/api/routes/:pattern' },
  listAgents: { method: 'GET', path: '/api/agents' },
  connectAgent: { method: 'POST', path: '/api/agents/:agent/connect', body: true },
  disconnectAgent: { method: 'POST', path: '/api/agents/:agent/disconnect' },
};

/** The live event stream (Server-Sent Events). */
export const EVENTS_PATH: (typeof adminEvents)['path'] = '/api/events';
