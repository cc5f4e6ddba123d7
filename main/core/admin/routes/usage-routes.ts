import type { Express } from 'express';
import { addDays } from 'date-fns/addDays'; // not the index: see clock/calendar.ts
import { localDay } from '../../clock/calendar.js';
import type { StatusClass } from '../../ledger/index.js';
import type { AdminDeps } from '../admin-deps.js';
import { AdminError, defineRoute, sendAdminError } from '../define-route.js';
import { buildOverview } from '../overview.js';

/** `YYYY-MM-DD` stays a local day; an ISO time becomes the local day it falls on. */
function toDay(value: string | undefined, tz: string, field: string): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new AdminError(400, `"${value}" is not a date (use YYYY-MM-DD or an ISO time)`, field);
  return localDay(new Date(t), tz);
}

/**
 * The log's status filter, the same for /api/logs and /api/export: `ok` (< 400), `error` (>= 400)
 * or an exact code, matched by the ledger's query itself (not a page filtered afterwards).
 */
function toStatus(value: string | undefined): number | StatusClass | undefined {
  if (!value) return undefined;
  if (value === 'ok' || value === 'error') return value;
  if (/^\d{3}$/.test(value)) return Number(value);
  throw new AdminError(
    400,
    `"${value}" is not a status filter (use ok, error or a code such as 429)`,
    'status',
  );
}

function toDate(value: string | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new AdminError(400, `"${value}" is not a date`, field);
  return new Date(t);
}

export function registerUsageRoutes(app: Express, deps: AdminDeps): void {
  const { config, ledger, now } = deps;
  const tz = () => config.get().settings.timeZone;

  defineRoute(app, 'info', () => ({ version: '0.1.0', ...deps.info() }));

  defineRoute(app, 'overview', () => buildOverview(deps));

  defineRoute(app, 'createLoginLink', () => ({
    url: `${deps.info().url}/login?token=${deps.sessions.createLoginToken()}`,
  }));

  // CSV / JSONL export streams straight from the ledger (not JSON, so not in the route table).
  // since (inclusive) / until (exclusive): ISO times or dates, like listRequests'; a bad one is a 400.
  app.get('/api/export', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const format = q.format === 'csv' ? 'csv' : 'jsonl';
    let since: Date | undefined;
    let until: Date | undefined;
    let status: number | StatusClass | undefined;
    try {
      since = toDate(q.since, 'since');
      until = toDate(q.until, 'until');
      status = toStatus(q.status);
    } catch (err) {
      sendAdminError(res, err);
      return;
    }
    res.type(format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    res.setHeader('content-disposition', `attachment; filename="shimmy-requests.${format}"`);
    await ledger.exportTo(
      format,
      {
        ...(q.tool ? { tool: q.tool } : {}),
        ...(q.model ? { model: q.model } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(q.limit ? { limit: Number(q.limit) } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
      },
      res,
    );
    res.end();
  });

  defineRoute(app, 'dailySpend', async ({ query }) => {
    const days = query.days ?? 30;
    const by = query.by ?? 'tool';
    const end = now();
    const list: string[] = [];
    for (let i = days - 1; i >= 0; i--) list.push(localDay(addDays(end, -i), tz()));
    const rows = (await ledger.usage({ since: list[0]!, by: ['day', by] }))
      .filter((r) => r.costUsd > 0 && r.day && list.includes(r.day))
      .map((r) => ({ day: r.day!, key: (by === 'tool' ? r.tool : r.model) ?? '', costUsd: r.costUsd }));
    return { days: list, rows };
  });

  defineRoute(app, 'usage', ({ query }) => {
    const since = toDay(query.since, tz(), 'since');
    const until = toDay(query.until, tz(), 'until');
    return ledger.usage({ ...(since ? { since } : {}), ...(until ? { until } : {}), by: query.by ?? [] });
  });

  defineRoute(app, 'listRequests', async ({ query }) => {
    const since = toDate(query.since, 'since');
    const until = toDate(query.until, 'until');
    const status = toStatus(query.status);
    const page = await ledger.query({
      ...(query.tool ? { tool: query.tool } : {}),
      ...(query.model ? { model: query.model } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      ...(query.text ? { text: query.text } : {}),
      ...(query.before ? { before: query.before } : {}),
      limit: query.limit ?? 100,
    });
    return { records: page.records, nextBefore: page.nextBefore ?? null };
  });

  defineRoute(app, 'getRequest', async ({ params }) => {
    const record = await ledger.get(params.id!);
    if (!record)
      throw new AdminError(
        404,
        `No request ${params.id} (older records are removed after the retention period)`,
      );
    const bodies = await deps.bodyLog.load(record.id, new Date(record.time));
    return { record, ...(bodies ?? {}) };
  });
}
