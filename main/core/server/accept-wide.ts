// More descriptors for the one listening socket, so a busy event loop accepts several connections
// per poll instead of one. Why: libuv 1.45+ (Node 20.20 ships 1.46) accepts ONE connection each
// time it polls a listening socket (libuv PR #3696). When hundreds of agents stream at once the
// loop is saturated — each poll returns a full batch of 1,024 events, tens of ms of work — and the
// accept queue drains one connection per batch: 1,000 streams opened together waited seconds in it
// (`strace`: one accept4 per wake-up, the queue 500–700 deep for 5–20 s; ARCHITECTURE.md).
//
// Each descriptor of the same socket is polled on its own, so N of them drain the queue N per
// poll. Node 20 has no dup(), and `reusePort` (Node 22.12+) would open separate sockets that a
// second instance could also bind, silently sharing the port. So a short-lived child process
// receives the listening handle over IPC and sends it back `extra` times: each one arrives here
// as a new descriptor of the same socket (SCM_RIGHTS), which a plain net.Server polls and whose
// connections are handed to the HTTP server like its own.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** Sends the handle it is given back `n` times, then leaves. `on`, not `once`: the IPC channel
 *  keeps the child alive only while a 'message' listener is left, and each handle sent waits for
 *  the parent's acknowledgement. */
const CHILD_SOURCE = `process.on('message', (m, h) => {
  let n = m.n;
  const next = () => (n-- > 0 && h ? process.send({}, h, next) : process.disconnect());
  next();
});`;

export interface WideAccept {
  /** Descriptors polled for new connections (1 until the extra ones arrive). */
  descriptors(): number;
  /** Resolves once every extra descriptor arrived (or the attempt ended without them). */
  ready: Promise<void>;
  /** Stops polling the extra descriptors (the socket itself stays open: the server owns it). */
  close(): void;
}

export interface WideAcceptOptions {
  /** Extra descriptors to poll. */
  extra: number;
  /** The socket's listen backlog: each `listen()` on a descriptor of it sets the socket's own. */
  backlog: number;
  /** How long to wait for the child before keeping what arrived. */
  timeoutMs?: number;
}

export function widenAccept(server: net.Server, opts: WideAcceptOptions): WideAccept {
  const handle = (server as unknown as { _handle?: object | null })._handle;
  const extras: net.Server[] = [];
  let child: ChildProcess | undefined;
  let closed = false;
  const done = () => {
    clearTimeout(timer);
    if (child && child.exitCode === null && child.signalCode === null) child.kill();
    child = undefined;
  };
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve) => {
    if (!handle || opts.extra <= 0) return resolve();
    const finish = () => {
      done();
      resolve();
    };
    try {
      // Not the parent's environment or flags: the child needs neither, and NODE_OPTIONS could
      // make it load what the user meant for Shimmy. ELECTRON_RUN_AS_NODE: under Electron,
      // execPath is the app itself.
      child = spawn(process.execPath, ['-e', CHILD_SOURCE], {
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
    } catch {
      return finish();
    }
    timer = setTimeout(finish, opts.timeoutMs ?? 5_000);
    timer.unref();
    child.on('error', finish);
    // 'close', not 'exit': it comes after the last message the child sent.
    child.on('close', finish);
    child.on('message', (_m: unknown, dup: unknown) => {
      if (!dup) return;
      if (closed) return void (dup as { close(): void }).close();
      const s = net.createServer();
      s.on('connection', (socket) => server.emit('connection', socket));
      s.on('error', () => s.close());
      s.listen(dup as net.Server, opts.backlog);
      extras.push(s);
      if (extras.length >= opts.extra) finish();
    });
    // A raw handle, not the net.Server: a child given a server would start accepting on it.
    child.send({ n: opts.extra }, handle as net.Server, (err) => err && finish());
  });
  return {
    descriptors: () => 1 + extras.length,
    ready,
    close() {
      closed = true;
      done();
      for (const s of extras.splice(0)) s.close();
    },
  };
}
