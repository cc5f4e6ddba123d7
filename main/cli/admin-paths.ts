// The admin API's routes as the CLI calls them: method and path only. The route table in
// shared/admin-api.ts builds every zod schema of the contract when loaded — most of a management
// command's own start-up (issue 16) — and the CLI needs none of them to send a request. The type
// below holds each entry to shared/admin-api.ts: a route added there, or a method or path changed,
// fails the build until this table says the same.
import type { AdminRouteName, AdminRoutes } from '../../shared/admin-api.js';

type Paths = {
  readonly [N in AdminRouteName]: {
    readonly method: AdminRoutes[N]['method'];
    readonly path: AdminRoutes[N]['path'];
  };
};

export const adminPaths = {
  info: { method: 'GET', path: '/api/info' },
  overview: { method: 'GET', path: '/api/overview' },
  plans: { method: 'GET', path: '/api/plans' },
  createLoginLink: { method: 'POST', path: '/api/login-links' },
  dailySpend: { method: 'GET', path: '/api/spend/daily' },
  listTools: { method: 'GET', path: '/api/tools' },
  createTool: { method: 'POST', path: '/api/tools' },
  patchTool: { method: 'PATCH', path: '/api/tools/:name' },
  rotateTool: { method: 'POST', path: '/api/tools/:name/rotate' },
  deleteTool: { method: 'DELETE', path: '/api/tools/:name' },
  mintToken: { method: 'POST', path: '/api/tools/:name/tokens' },
  revokeToken: { method: 'DELETE', path: '/api/tools/:name/tokens/:id' },
  listProviders: { method: 'GET', path: '/api/providers' },
  addProvider: { method: 'POST', path: '/api/providers' },
  patchProvider: { method: 'PATCH', path: '/api/providers/:name' },
  deleteProvider: { method: 'DELETE', path: '/api/providers/:name' },
  listKeys: { method: 'GET', path: '/api/keys' },
  putKey: { method: 'PUT', path: '/api/keys' },
  deleteKey: { method: 'DELETE', path: '/api/keys/:provider/:label' },
  listPrices: { method: 'GET', path: '/api/prices' },
  priceStatus: { method: 'GET', path: '/api/prices/status' },
  putPrice: { method: 'PUT', path: '/api/prices/:model' },
  deletePrice: { method: 'DELETE', path: '/api/prices/:model' },
  refreshPrices: { method: 'POST', path: '/api/prices/refresh' },
  getSettings: { method: 'GET', path: '/api/settings' },
  patchSettings: { method: 'PATCH', path: '/api/settings' },
  usage: { method: 'GET', path: '/api/usage' },
  listRequests: { method: 'GET', path: '/api/requests' },
  getRequest: { method: 'GET', path: '/api/requests/:id' },
  cacheStats: { method: 'GET', path: '/api/cache' },
  clearCache: { method: 'DELETE', path: '/api/cache' },
  listRoutes: { method: 'GET', path: '/api/routes' },
  addRoute: { method: 'POST', path: '/api/routes' },
  deleteRoute: { method: 'DELETE', path: '/api/routes/:pattern' },
  listAgents: { method: 'GET', path: '/api/agents' },
  connectAgent: { method: 'POST', path: '/api/agents/:agent/connect' },
  disconnectAgent: { method: 'POST', path: '/api/agents/:agent/disconnect' },
} as const satisfies Paths;
