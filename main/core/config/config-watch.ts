// How a replica hears that another one changed the shared config: LISTEN on a channel every
// committed change NOTIFYs (delivered within milliseconds), and a short poll behind it for when
// the listening connection is down or a notification is lost (a restart, a pooler that drops
// LISTEN). Either way the reader then loads the newest revision, so a notification carries nothing.
import pg from 'pg';

export const CONFIG_CHANNEL = 'shimmy_config';
/** The poll's period: the bound on how late a revoked token can still pass on another replica
 *  when notifications do not arrive. */
export const CONFIG_POLL_MS = 1000;
const RECONNECT_MS = 1000;

export interface ConfigWatch {
  close(): Promise<void>;
}

export async function watchConfig(opts: {
  url: string;
  /** Loads and adopts the newest revision; called on each notification and poll tick. */
  refresh: () => Promise<void>;
  log: (entry: Record<string, unknown>) => void;
  pollMs?: number;
  /** False leaves only the poll (tests check its bound). */
  listen?: boolean;
}): Promise<ConfigWatch> {
  let closed = false;
  let client: pg.Client | undefined;
  let reconnect: NodeJS.Timeout | undefined;
  let warned = false;
  const refresh = () =>
    opts.refresh().then(
      () => void (warned = false),
      (err: unknown) => {
        // Logged once per outage, not once a second.
        if (!warned) opts.log({ warn: 'could not read the shared config', cause: String(err) });
        warned = true;
      },
    );

  async function listen(): Promise<void> {
    const c = new pg.Client({ connectionString: opts.url });
    client = c;
    const retry = () => {
      if (closed || client !== c) return;
      client = undefined;
      void c.end().catch(() => undefined);
      reconnect = setTimeout(() => void listen().catch(() => undefined), RECONNECT_MS);
      reconnect.unref();
    };
    c.on('error', retry);
    c.on('end', retry);
    c.on('notification', () => void refresh());
    try {
      await c.connect();
      await c.query(`LISTEN ${CONFIG_CHANNEL}`);
    } catch (err) {
      retry();
      throw err;
    }
    // Whatever changed while this connection was not listening.
    await refresh();
  }

  if (opts.listen !== false)
    await listen().catch((err: unknown) =>
      opts.log({
        warn: `config changes of other replicas are polled every ${opts.pollMs ?? CONFIG_POLL_MS} ms: LISTEN failed`,
        cause: String(err),
      }),
    );
  const poll = setInterval(() => void refresh(), opts.pollMs ?? CONFIG_POLL_MS);
  poll.unref();

  return {
    async close() {
      closed = true;
      clearInterval(poll);
      if (reconnect) clearTimeout(reconnect);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
