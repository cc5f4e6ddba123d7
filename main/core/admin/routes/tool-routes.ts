import type { Express } from 'express';
import type { ToolView } from '../../../../shared/admin-api.js';
import type { Config, Tool } from '../../../../shared/config.js';
import { mintToken } from '../../auth/tokens.js';
import type { AdminDeps } from '../admin-deps.js';
import { AdminError, defineRoute } from '../define-route.js';

export function toolView(tool: Tool, now: Date): ToolView {
  const tokens = tool.tokens.map(({ hash: _hash, ...t }) => t);
  const activeTokens = tool.tokens.filter(
    (t) => !t.expiresAt || Date.parse(t.expiresAt) > now.getTime(),
  ).length;
  return {
    name: tool.name,
    createdAt: tool.createdAt,
    paused: tool.paused,
    limits: tool.limits,
    ...(tool.cache !== undefined ? { cache: tool.cache } : {}),
    ...(tool.modelOverride ? { modelOverride: tool.modelOverride } : {}),
    ...(tool.plan ? { plan: true } : {}),
    tokens,
    activeTokens,
  };
}

export function findTool(config: Config, name: string): Tool {
  const tool = config.tools.find((t) => t.name === name);
  if (!tool) throw new AdminError(404, `No tool named "${name}". List them with: shimmy tool list`);
  return tool;
}

export function registerToolRoutes(app: Express, deps: AdminDeps): void {
  const { config, events, now } = deps;
  const changed = () => events.emit({ type: 'config', what: 'tools' });

  defineRoute(app, 'listTools', () => config.get().tools.map((t) => toolView(t, now())));

  defineRoute(app, 'createTool', async ({ body }) => {
    if (config.get().tools.some((t) => t.name === body.name))
      throw new AdminError(409, `A tool named "${body.name}" already exists`, 'name');
    const { token, record } = mintToken({ now: now(), label: 'main' });
    const tool: Tool = {
      name: body.name,
      createdAt: now().toISOString(),
      paused: false,
      limits: body.limits,
      tokens: [record],
      ...(body.cache !== undefined ? { cache: body.cache } : {}),
      ...(body.modelOverride ? { modelOverride: body.modelOverride } : {}),
      ...(body.plan ? { plan: true } : {}),
    };
    // Checked again inside the change: it runs on the newest config, which another request (or,
    // on a shared database, another replica) may have given a tool of this name meanwhile.
    await config.update((c) => {
      if (c.tools.some((t) => t.name === body.name))
        throw new AdminError(409, `A tool named "${body.name}" already exists`, 'name');
      c.tools.push(tool);
    });
    changed();
    return { tool: toolView(tool, now()), token };
  });

  defineRoute(app, 'patchTool', async ({ params, body }) => {
    findTool(config.get(), params.name!);
    const next = await config.update((c) => {
      const tool = findTool(c, params.name!);
      if (body.limits) tool.limits = body.limits;
      if (body.paused !== undefined) tool.paused = body.paused;
      if (body.cache === null) delete tool.cache;
      else if (body.cache !== undefined) tool.cache = body.cache;
      if (body.modelOverride === null) delete tool.modelOverride;
      else if (body.modelOverride !== undefined) tool.modelOverride = body.modelOverride;
      if (body.plan === false) delete tool.plan;
      else if (body.plan) tool.plan = true;
    });
    changed();
    return toolView(findTool(next, params.name!), now());
  });

  defineRoute(app, 'rotateTool', async ({ params }) => {
    findTool(config.get(), params.name!);
    const { token, record } = mintToken({ now: now(), label: 'main' });
    await config.update((c) => {
      findTool(c, params.name!).tokens = [record];
    });
    changed();
    return { token };
  });

  defineRoute(app, 'deleteTool', async ({ params }) => {
    findTool(config.get(), params.name!);
    await config.update((c) => {
      c.tools = c.tools.filter((t) => t.name !== params.name);
    });
    changed();
    return { ok: true as const };
  });

  defineRoute(app, 'mintToken', async ({ params, body }) => {
    findTool(config.get(), params.name!);
    const { token, record } = mintToken({
      now: now(),
      ttlMs: body.ttlSeconds * 1000,
      ...(body.label ? { label: body.label } : {}),
    });
    await config.update((c) => {
      const tool = findTool(c, params.name!);
      // Expired session tokens are dropped whenever a new one is minted, so they never pile up.
      tool.tokens = tool.tokens.filter((t) => !t.expiresAt || Date.parse(t.expiresAt) > now().getTime());
      tool.tokens.push(record);
    });
    changed();
    return { id: record.id, token, expiresAt: record.expiresAt! };
  });

  defineRoute(app, 'revokeToken', async ({ params }) => {
    const tool = findTool(config.get(), params.name!);
    if (!tool.tokens.some((t) => t.id === params.id))
      throw new AdminError(404, `Tool "${params.name}" has no token ${params.id}`);
    await config.update((c) => {
      const t = findTool(c, params.name!);
      t.tokens = t.tokens.filter((k) => k.id !== params.id);
    });
    changed();
    return { ok: true as const };
  });
}
