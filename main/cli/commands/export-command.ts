// `shimmy export`: the request log as CSV or JSONL, over the running instance's /api/export (the
// same stream the dashboard downloads), written to a file or stdout as it arrives — a year of
// records never sits in this process's memory.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { connectAdmin, type AdminClient } from '../admin-client.js';
import { CliError } from '../cli-error.js';
import { dataDirOption, resolveDataDir } from '../options.js';

export interface ExportQuery {
  format: 'csv' | 'jsonl';
  since?: string | undefined;
  until?: string | undefined;
  tool?: string | undefined;
  model?: string | undefined;
  status?: string | undefined;
  limit?: string | undefined;
}

/** GET /api/export; a refusal (a bad date: 400) becomes the API's own message. */
export async function openExport(client: AdminClient, q: ExportQuery): Promise<Response> {
  const qs = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await client.fetchRaw(`/api/export?${qs}`);
  if (res.ok) return res;
  const text = await res.text();
  let message = `HTTP ${res.status} ${text.slice(0, 200)}`;
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // not JSON: keep the status and the start of the body
  }
  throw new CliError(`export failed: ${message}`);
}

const bodyOf = (res: Response) => Readable.fromWeb((res.body ?? new Blob([]).stream()) as WebReadableStream);

type Opts = {
  dataDir?: string;
  format: string;
  since?: string;
  until?: string;
  tool?: string;
  model?: string;
  status?: string;
  out?: string;
};

export function registerExportCommand(program: Command): void {
  dataDirOption(
    program
      .command('export')
      .description('the request log as CSV or JSONL (newest first), to a file or stdout')
      .option('--format <fmt>', 'csv or jsonl', 'csv')
      .option('--since <date>', 'from this date or ISO time (inclusive)')
      .option('--until <date>', 'up to this date or ISO time (exclusive)')
      .option('--tool <name>', 'only this tool')
      .option('--model <model>', 'only this model')
      .option('--status <n>', 'only this HTTP status (or ok / error)')
      .option('--out <file>', 'write here instead of stdout (complete or not at all)'),
  ).action(async (o: Opts) => {
    if (o.format !== 'csv' && o.format !== 'jsonl')
      throw new CliError(`--format takes csv or jsonl, got "${o.format}"`);
    if (o.status !== undefined && !/^(ok|error|\d{3})$/.test(o.status))
      throw new CliError(`--status takes ok, error or an HTTP status such as 429, got "${o.status}"`);
    const client = await connectAdmin(resolveDataDir(o.dataDir));
    const res = await openExport(client, {
      format: o.format,
      since: o.since,
      until: o.until,
      tool: o.tool,
      model: o.model,
      status: o.status,
    });
    if (!o.out) return pipeline(bodyOf(res), process.stdout, { end: false });
    // Into a side file renamed at the end: an export cut short never looks like a finished one.
    const part = `${o.out}.part`;
    try {
      await pipeline(bodyOf(res), createWriteStream(part));
      await rename(part, o.out);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  });
}
