// An export as a worker thread runs it (export-loop-source.ts): the page query compiled once on
// the main thread, its stand-ins for the cursor and page size, and where to start and stop.
import type { SocketTarget } from './export-socket.js';

export interface ExportPlan {
  format: 'csv' | 'jsonl';
  sql: string;
  parameters: readonly unknown[];
  /**
   * The page query of whole rows (JSONL's own), with the same stand-ins: the first page runs it
   * whatever the format and formats its rows itself (export-first-page.ts).
   */
  recordSql: string;
  recordParameters: readonly unknown[];
  /** The parameter values standing for the page's cursor (time_ms, seq) and its size. */
  placeholders: readonly [number, number, number];
  /** The first page's cursor: rows strictly before it, newest first. */
  cursor: { time_ms: number; seq: number };
  /** Rows per page query. */
  page: number;
  /** At most this many records in all; undefined = every match. */
  limit?: number;
  /**
   * The destination's socket, which the worker may write to itself (export-socket.ts); stays on
   * this thread (ExportChannel sends the worker only the descriptor).
   */
  to?: SocketTarget | undefined;
}

/** One chunk of an export's bytes, and how to give it back once it has been written. */
export interface ExportChunk {
  bytes: Uint8Array;
  /** `reuse`: the destination no longer holds the bytes, so the buffer may be filled again. */
  release(reuse: boolean): void;
}
