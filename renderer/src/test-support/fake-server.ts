// An in-process admin server for component tests: a real implementation of fetch's contract
// (url, init) → Response, routed by the shared route table and validating bodies like the core does.
import type { z } from 'zod';
import {
  adminRoutes,
  type AdminRouteName,
  type CreateTool,
  type DailySpend,
  type Info,
  type KeyView,
  type Overview,
  type PatchSettings,
  type PatchTool,
  type PlansView,
  type PutKey,
  type RequestDetail,
  type SettingsView,
  type ToolView,
} from '../../../shared/admin-api.js';
import { DEFAULT_SETTINGS } from '../../../shared/config.js';
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { FetchLike } from '../api/client.js';

export interface FakeState {
  info: Info;
  overview: Overview;
  dailySpend: DailySpend;
  tools: ToolView[];
  requests: LedgerRecord[];
  settings: SettingsView;
  plans: PlansView;
}

export interface FakeCall {
  name: AdminRouteName;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

interface Req {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}
type Handler = (req: Req) => { status?: number; json: unknown };

const notFound = (message: string) => ({ status: 404, json: { error: { message } } });

export function emptyOverview(): Overview {
  return {
    now: '2026-11-25T10:00:00.000Z',
    timeZone: 'UTC',
    today: '2026-11-25',
    month: '2026-11',
    todayUsd: 0,
    monthUsd: 0,
    unpricedToday: 0,
    tools: [],
    global: { day: null, month: null },
    requestsLastMinute: 0,
    paused: false,
  };
}

export function defaultSettings(): SettingsView {
  return { ...DEFAULT_SETTINGS, paused: false };
}

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(a[i]!);
    else if (seg !== a[i]) return null;
  }
  return params;
}

export function createFakeServer(initial: Partial<FakeState> = {}) {
  const state: FakeState = {
    info: { version: '0.1.0', url: 'http://127.0.0.1:4141', port: 4141 },
    overview: emptyOverview(),
    dailySpend: { days: ['2026-11-24', '2026-11-25'], rows: [] },
    tools: [],
    requests: [],
    settings: defaultSettings(),
    plans: { windows: [], week: [] },
    ...initial,
  };
  const calls: FakeCall[] = [];
  const keys: KeyView[] = [];
  let minted = 0;
  const tool = (name: string) => state.tools.find((t) => t.name === name);

  const handlers: Partial<Record<AdminRouteName, Handler>> = {
    info: () => ({ json: state.info }),
    overview: () => ({ json: state.overview }),
    dailySpend: () => ({ json: state.dailySpend }),
    listTools: () => ({ json: state.tools }),
    // No agent connected and no agent sessions yet.
    listAgents: () => ({ json: [] }),
    usage: () => ({ json: [] }),
    createTool: ({ body }) => {
      const b = body as CreateTool;
      if (tool(b.name))
        return { status: 409, json: { error: { message: `tool ${b.name} exists`, field: 'name' } } };
      const token = `shm_test${++minted}_secret`;
      const view: ToolView = {
        name: b.name,
        createdAt: '2026-11-25T10:00:00.000Z',
        paused: false,
        limits: b.limits,
        ...(b.plan ? { plan: true } : {}),
        tokens: [{ id: `t${minted}`, hint: `shm_test…${minted}`, createdAt: '2026-11-25T10:00:00.000Z' }],
        activeTokens: 1,
      };
      state.tools.push(view);
      return { status: 201, json: { tool: view, token } };
    },
    patchTool: ({ params, body }) => {
      const t = tool(params.name!);
      if (!t) return notFound(`no tool ${params.name}`);
      const b = body as PatchTool;
      if (b.paused !== undefined) t.paused = b.paused;
      if (b.limits) t.limits = b.limits;
      if (b.plan !== undefined) t.plan = b.plan;
      return { json: t };
    },
    rotateTool: ({ params }) =>
      tool(params.name!) ? { json: { token: `shm_rotated${++minted}` } } : notFound('no tool'),
    deleteTool: ({ params }) => {
      state.tools = state.tools.filter((t) => t.name !== params.name);
      return { json: { ok: true } };
    },
    listRequests: () => ({ json: { records: state.requests, nextBefore: null } }),
    getRequest: ({ params }) => {
      const record = state.requests.find((r) => r.id === params.id);
      if (!record) return notFound(`no request ${params.id}`);
      const detail: RequestDetail = {
        record,
        request: { headers: { 'content-type': 'application/json' }, body: '{"model":"x"}' },
      };
      return { json: detail };
    },
    getSettings: () => ({ json: state.settings }),
    patchSettings: ({ body }) => {
      for (const [k, v] of Object.entries(body as PatchSettings)) {
        (state.settings as Record<string, unknown>)[k] = v === null ? undefined : v;
      }
      return { json: state.settings };
    },
    plans: () => ({ json: state.plans }),
    listKeys: () => ({ json: keys }),
    putKey: ({ body }) => {
      const b = body as PutKey;
      const view = {
        provider: b.provider,
        label: b.label ?? 'default',
        masked: `${b.key.slice(0, 3)}…${b.key.slice(-4)}`,
        source: 'keychain' as const,
        boundTo: 'https://api.openai.com/v1',
        usable: true,
      };
      keys.push(view);
      return { json: view };
    },
    cacheStats: () => ({ json: { enabled: false, entries: 0, bytes: 0, hits: 0, misses: 0, savedUsd: 0 } }),
  };

  const fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    const method = init.method ?? 'GET';
    const query = Object.fromEntries(u.searchParams);
    const reply = (status: number, json: unknown) =>
      new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
    if (init.credentials !== 'same-origin')
      return reply(401, { error: { message: 'no session cookie sent' } });

    for (const [name, route] of Object.entries(adminRoutes) as Array<
      [AdminRouteName, (typeof adminRoutes)[AdminRouteName]]
    >) {
      if (route.method !== method) continue;
      const params = matchPath(route.path, u.pathname);
      if (!params) continue;
      let body: unknown = undefined;
      if ('body' in route) {
        const parsed = (route.body as z.ZodType).safeParse(
          typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        );
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return reply(400, {
            error: { message: issue?.message ?? 'bad body', field: issue?.path.join('.') },
          });
        }
        body = parsed.data;
      }
      calls.push({ name, method, path: u.pathname, query, body });
      const handler = handlers[name];
      if (!handler) return reply(404, { error: { message: `fake server has no ${name}` } });
      const out = handler({ params, query, body });
      return reply(out.status ?? 200, out.json);
    }
    return reply(404, { error: { message: `no route ${method} ${u.pathname}` } });
  };

  return { state, calls, fetch };
}
