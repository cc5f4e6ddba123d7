// Management commands act on the running instance for a data dir, through its admin API, using
// the URL and admin secret it wrote to <dataDir>/instance.json (mode 0600).
import http from 'node:http';
import type { z } from 'zod';
import type { AdminRouteName, AdminRoutes } from '../../shared/admin-api.js';
import type { InstanceInfo } from '../core/instance-file.js';
import { adminPaths, fillPath } from '../../shared/admin-paths.js';
import { CliError } from './cli-error.js';

type Def<N extends AdminRouteName> = AdminRoutes[N];
export interface CallArgs<N extends AdminRouteName> {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: Def<N> extends { body: infer B extends z.ZodType } ? z.input<B> : never;
}

export interface AdminClient {
  url: string;
  call<N extends AdminRouteName>(name: N, args?: CallArgs<N>): Promise<z.infer<Def<N>['response']>>;
  /** Raw authenticated GET (event streams, exports). */
  fetchRaw(path: string): Promise<Response>;
}

function notRunning(dataDir: string): CliError {
  return new CliError(
    `No Shimmy instance is running for data dir ${dataDir}.\nStart one with: shimmy serve --data-dir ${JSON.stringify(dataDir)}`,
  );
}

/** One request on node:http: the global fetch would first load Node's bundled undici and its
 *  WebAssembly HTTP parser, ~40% of a management command's own start-up (issue 16). */
function send(url: string, init: { method: string; headers: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(url, { method: init.method, headers: init.headers }, (res) => {
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export async function connectAdmin(dataDir: string): Promise<AdminClient> {
  const { readInstance } = await import('./read-instance.js');
  const info: InstanceInfo | undefined = await readInstance(dataDir);
  if (!info) throw notRunning(dataDir);
  const headers = { authorization: `Bearer ${info.secret}` };
  // A failure to connect: the file outlived its process (crash, kill -9).
  const reach = <T>(p: Promise<T>) =>
    p.catch(() => {
      throw notRunning(dataDir);
    });
  return {
    url: info.url,
    async call(name, args = {}) {
      const def = adminPaths[name];
      const url = new URL(fillPath(def.path, args.params ?? {}), info.url);
      for (const [k, v] of Object.entries(args.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
      const res = await reach(
        send(url.href, {
          method: def.method,
          headers: { ...headers, ...(args.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(args.body !== undefined ? { body: JSON.stringify(args.body) } : {}),
        }),
      );
      const text = res.text;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new CliError(
          `The instance answered ${res.status} with something that is not JSON: ${text.slice(0, 200)}`,
        );
      }
      if (res.status < 200 || res.status > 299) {
        const message = (json as { error?: { message?: string } })?.error?.message ?? `HTTP ${res.status}`;
        throw new CliError(message);
      }
      // Not checked against the route's zod schema: building the contract's schemas cost most of a
      // command's own start-up (issue 16), and the answer comes from the instance of this data dir.
      return json as never;
    },
    fetchRaw: (path) => reach(fetch(new URL(path, info.url).href, { headers })),
  };
}
