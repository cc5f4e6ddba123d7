// `shimmy serve`'s log: one JSON line per entry, `{"t":<ISO time>,...entry}`, on stdout. A pipe's
// write is synchronous on Linux (a terminal's too), so one write per finished request was one
// syscall on the event loop each; the lines of one turn are joined and written once, at the end of
// that turn. What is still held when the core closes, or the process exits, is written then.
import { isoTime } from './proxy/iso-time.js';

export interface LineSink {
  write(text: string): unknown;
}

export interface JsonLinesLog {
  log(entry: Record<string, unknown>): void;
  /** Writes the lines held now (close and process exit do it too). */
  flush(): void;
  /** Flushes, and stops watching the process's exit. */
  close(): void;
}

/** One line, as `JSON.stringify({ t: time.toISOString(), ...entry })` writes it, without the copy
 *  of the entry the spread made, and with the minute's prefix of the time reused (isoTime). */
export function jsonLine(time: Date, entry: Record<string, unknown>): string {
  // An entry with its own `t` replaces the time's value (in the time's place): rare, kept exact.
  if ('t' in entry) return JSON.stringify({ t: time.toISOString(), ...entry });
  const json = JSON.stringify(entry);
  const head = '{"t":"' + isoTime(time) + '"';
  return json.length === 2 ? head + '}' : head + ',' + json.slice(1);
}

export function openJsonLinesLog(sink: LineSink = process.stdout): JsonLinesLog {
  let held = '';
  let turn: NodeJS.Immediate | undefined;
  const flush = () => {
    if (turn) clearImmediate(turn);
    turn = undefined;
    if (held === '') return;
    const text = held;
    held = '';
    sink.write(text);
  };
  // A process that exits (process.exit after a signal's drain, an uncaught error) runs no more
  // turns: what it held is written now; stdout to a pipe, file or terminal is synchronous here.
  process.on('exit', flush);
  return {
    log(entry) {
      held += jsonLine(new Date(), entry) + '\n';
      turn ??= setImmediate(flush);
    },
    flush,
    close() {
      flush();
      process.off('exit', flush);
    },
  };
}
