// Loads the core in two halves before start-core itself. Node's ESM loader reads every file of a
// module graph at the same time, each holding a descriptor while it is read: the core's graph
// (~230 of our files plus its packages') went past macOS's default soft limit of 256 open files,
// and `serve` died with EMFILE before listening (test/reliability/slow-clients.test.ts runs it
// under `ulimit -n 256`). Modules already loaded are not read again, so each step reads only
// what is new.
export async function loadCore(): Promise<typeof import('./start-core.js')> {
  await import('./proxy/proxy-handler.js');
  await import('./store/index.js');
  return import('./start-core.js');
}
