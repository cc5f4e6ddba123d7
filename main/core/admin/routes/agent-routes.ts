// The dashboard's Tools page: copy-ready settings per coding agent, or connect/disconnect in one
// click (the core runs on the user's own machine, so it can write the agent's config files).
import type { Express } from 'express';
import { AgentIdSchema, type AgentId } from '../../../../shared/agents.js';
import { createAgentService } from '../../agents/agent-service.js';
import { ConnectError } from '../../agents/agent-writer.js';
import { mintToken } from '../../auth/tokens.js';
import type { AdminDeps } from '../admin-deps.js';
import { AdminError, defineRoute } from '../define-route.js';
import { findTool } from './tool-routes.js';

export function registerAgentRoutes(app: Express, deps: AdminDeps): void {
  const { config, events, now } = deps;
  const agents = createAgentService({
    env: deps.agentEnv ?? process.env,
    dataDir: deps.dataDir ?? '.',
    baseUrl: () => deps.info().url,
    async mint(tool, ttlSeconds, label) {
      const { token, record } = mintToken({ now: now(), ttlMs: ttlSeconds * 1000, label });
      await config.update((c) => {
        const t = findTool(c, tool);
        t.tokens = t.tokens.filter((k) => !k.expiresAt || Date.parse(k.expiresAt) > now().getTime());
        t.tokens.push(record);
      });
      events.emit({ type: 'config', what: 'tools' });
      return {
        token,
        revoke: async () => {
          await config.update((c) => {
            const t = c.tools.find((x) => x.name === tool);
            if (t) t.tokens = t.tokens.filter((k) => k.id !== record.id);
          });
        },
      };
    },
  });
  const agentOf = (value: string | undefined): AgentId => {
    const r = AgentIdSchema.safeParse(value);
    if (!r.success) throw new AdminError(404, `No agent named "${value}"`);
    return r.data;
  };

  defineRoute(app, 'listAgents', ({ query }) => agents.list(query.tool));

  defineRoute(app, 'connectAgent', async ({ params, body }) => {
    const agent = agentOf(params.agent);
    const tool = body.tool ?? agent;
    const found = findTool(config.get(), tool);
    if (body.plan && !found.plan)
      throw new AdminError(409, `Tool "${tool}" does not use its own plan login; turn that on first`, 'plan');
    try {
      const { plan, discard } = await agents.plan(agent, tool, {
        dryRun: body.dryRun === true,
        plan: body.plan === true,
      });
      if (body.dryRun || plan.diff === '') {
        await discard();
        return { agent, tool, file: plan.file, diff: plan.diff, written: false };
      }
      return await agents.commit(plan);
    } catch (err) {
      if (err instanceof ConnectError) throw new AdminError(409, err.message);
      throw err;
    }
  });

  defineRoute(app, 'disconnectAgent', ({ params }) => agents.disconnect(agentOf(params.agent)));
}
