// Streams query results as CSV (RFC 4180) or JSONL, honouring the destination's backpressure
// and yielding to the event loop so a big export never stalls the proxy.
import { WriteStream } from 'node:fs';
import { OutgoingMessage } from 'node:http';
import { Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { ExportChunk } from '../store/export-plan.js';
import { USD_DECIMALS } from '../../../shared/money.js';

export const CSV_COLUMNS = [
  'id',
  'time',
  'tool',
  'provider',
  'model',
  'family',
  'endpoint',
  'path',
  'status',
  'latencyMs',
  'ttfbMs',
  'streamed',
  'inputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'outputTokens',
  'reasoningTokens',
  'costUsd',
  'estimated',
  'cacheHit',
  'savedUsd',
  'errorClass',
  'user',
  'project',
  'keyLabel',
  'failovers',
  'client',
  'session',
] as const;

/** Fixed-point, never `1e-7`: spreadsheets and humans both read it, and it is exact at 1e-10. */
export function usdText(x: number | null | undefined): string {
  if (x === null || x === undefined) return '';
  return x.toFixed(USD_DECIMALS).replace(/\.?0+$/, '');
}

/** RFC 4180 quoting, plus a leading `'` on text a spreadsheet would run as a formula (CSV injection). */
export function csvField(value: string | number | boolean | null | undefined, isText = false): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (isText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(r: LedgerRecord): string {
  const text = (v: string | null | undefined) => csvField(v, true);
  const fields = [
    text(r.id),
    text(r.time),
    text(r.tool),
    text(r.provider),
    text(r.model),
    text(r.family),
    text(r.endpoint),
    text(r.path),
    csvField(r.status),
    csvField(r.latencyMs),
    csvField(r.ttfbMs),
    csvField(r.streamed),
    csvField(r.usage.inputTokens),
    csvField(r.usage.cachedInputTokens),
    csvField(r.usage.cacheWriteTokens),
    csvField(r.usage.outputTokens),
    csvField(r.usage.reasoningTokens),
    usdText(r.costUsd),
    csvField(r.estimated),
    csvField(r.cacheHit),
    usdText(r.savedUsd),
    text(r.errorClass),
    text(r.user),
    text(r.project),
    text(r.keyLabel),
    text(r.failovers?.join(';')),
    text(r.client),
    text(r.session),
  ];
  return `${fields.join(',')}\r\n`;
}

export function jsonlLine(r: LedgerRecord): string {
  return `${JSON.stringify(r)}\n`;
}

/**
 * A slice of formatting between two turns of the event loop, in time, not in records: a count
 * (100) is ~2 ms on an idle machine but many times that on a loaded one or for wide records, and
 * the proxy waits for the whole slice (issue 15: no query may block it more than 10 ms).
 */
const SLICE_MS = 2;

/** Waits for 'drain'; a destination closed first (a client that went away) ends the export with an error. */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (isClosed(out)) {
      reject(closedError());
      return;
    }
    const settle = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (err: Error) => settle(err);
    const onClose = () => settle(closedError());
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

const closedError = () => new Error('export destination closed before the export finished');
/** A destination destroyed while a page was being read emits 'close' before anyone listens. */
const isClosed = (out: NodeJS.WritableStream) => {
  const w = out as NodeJS.WritableStream & { destroyed?: boolean; closed?: boolean };
  return w.destroyed === true || w.closed === true;
};

/** Writes a header then chunks (pages formatted elsewhere, as text or UTF-8), honouring backpressure. */
export async function writeText(
  header: string,
  chunks: AsyncIterable<string | Uint8Array>,
  out: NodeJS.WritableStream,
): Promise<void> {
  const write = async (chunk: string | Uint8Array) => {
    if (isClosed(out)) throw closedError();
    if (!out.write(chunk)) await drained(out);
  };
  await write(header);
  for await (const chunk of chunks) await write(chunk);
}

/**
 * Destinations that let go of a chunk once its write callback ran (the bytes are in the kernel or
 * the file): an HTTP response, a socket, a file. Only their chunks' buffers go back to the worker
 * to be filled again; a stream that may keep the chunk itself (a PassThrough queues it for its
 * reader) gets fresh ones, so what it holds is never overwritten.
 */
const releasesChunks = (out: NodeJS.WritableStream) =>
  out instanceof OutgoingMessage || out instanceof Socket || out instanceof WriteStream;

/**
 * Writes a header then an export's chunks from a worker (ledger-engine.ts exportPages), honouring
 * backpressure; each chunk is released once written. The proxy's thread builds nothing per record.
 */
export async function writeChunks(
  header: string,
  chunks: AsyncIterable<ExportChunk> | Iterable<ExportChunk>,
  out: NodeJS.WritableStream,
): Promise<void> {
  const reuse = releasesChunks(out);
  if (header) {
    if (isClosed(out)) throw closedError();
    if (!out.write(header)) await drained(out);
  }
  for await (const c of chunks) {
    if (isClosed(out)) {
      c.release(false);
      throw closedError();
    }
    const ok = out.write(c.bytes, (err?: Error | null) => c.release(reuse && !err));
    if (!ok) await drained(out);
  }
}

export async function writeRecords(
  format: 'csv' | 'jsonl',
  records: Iterable<LedgerRecord> | AsyncIterable<LedgerRecord>,
  out: NodeJS.WritableStream,
): Promise<void> {
  const write = async (chunk: string) => {
    if (isClosed(out)) throw closedError();
    if (!out.write(chunk)) await drained(out);
  };
  if (format === 'csv') await write(csvHeader());
  const line = format === 'csv' ? csvLine : jsonlLine;
  let chunk = '';
  let sliceStart = performance.now();
  for await (const r of records) {
    chunk += line(r);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await write(chunk);
      chunk = '';
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  if (chunk) await write(chunk);
}
