// Registers one admin route from the shared route table: the same zod schemas the dashboard's
// client is typed from validate params, query and body here, so the two cannot drift.
import type { Express, Request, Response } from 'express';
import type { z } from 'zod';
import { adminRoutes, type AdminRouteName, type AdminRoutes } from '../../../shared/admin-api.js';

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Def<N extends AdminRouteName> = AdminRoutes[N];
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteInput<N extends AdminRouteName> {
  params: Record<string, string>;
  query: Def<N> extends { query: infer Q } ? Infer<Q> : undefined;
  body: Def<N> extends { body: infer B } ? Infer<B> : undefined;
}

export type RouteHandler<N extends AdminRouteName> = (
  input: RouteInput<N>,
) => Promise<z.input<Def<N>['response']>> | z.input<Def<N>['response']>;

function parseOr400(schema: z.ZodType, value: unknown, where: string): unknown {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    // A strict body (PATCH /api/settings): name every unknown field, and what is known.
    const known = 'shape' in schema ? Object.keys((schema as z.ZodObject).shape) : [];
    throw new AdminError(
      400,
      `Unknown ${where} field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` +
        (known.length ? `; known: ${known.join(', ')}` : ''),
      issue.keys[0],
    );
  }
  const field = issue.path.join('.') || undefined;
  throw new AdminError(400, `Invalid ${where}${field ? ` field "${field}"` : ''}: ${issue.message}`, field);
}

export function defineRoute<N extends AdminRouteName>(app: Express, name: N, handler: RouteHandler<N>): void {
  const def = adminRoutes[name] as unknown as {
    method: string;
    path: string;
    query?: z.ZodType;
    body?: z.ZodType;
  };
  const method = def.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  app[method](def.path, async (req: Request, res: Response) => {
    try {
      const input = {
        params: req.params as Record<string, string>,
        query: def.query ? parseOr400(def.query, req.query, 'query') : undefined,
        body: def.body ? parseOr400(def.body, req.body, 'body') : undefined,
      } as RouteInput<N>;
      const result = await handler(input);
      res
        .status(def.method === 'POST' && name !== 'refreshPrices' && !name.startsWith('rotate') ? 201 : 200)
        .json(result);
    } catch (err) {
      sendAdminError(res, err);
    }
  });
}

export function sendAdminError(res: Response, err: unknown): void {
  if (err instanceof AdminError) {
    res
      .status(err.status)
      .json({ error: { message: err.message, ...(err.field ? { field: err.field } : {}) } });
    return;
  }
  console.error('[shimmy] admin route failed:', err);
  res.status(500).json({ error: { message: (err as Error)?.message ?? 'internal error' } });
}
