// Optional request/response body logging (settings.logBodies, off by default). Bodies go to
// <dataDir>/bodies/<UTC day>/<request id>.json, written off the request path; headers are kept
// minus every credential, and each body is cut at BODY_LOG_LIMIT bytes.
import fs from 'node:fs/promises';
import path from 'node:path';

export const BODY_LOG_LIMIT = 64 * 1024;

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'cookie', 'set-cookie', 'proxy-authorization']);

export interface LoggedMessage {
  headers: Record<string, string>;
  body?: string;
  truncated?: boolean;
}

export interface BodyLog {
  save(id: string, time: Date, detail: { request: LoggedMessage; response: LoggedMessage }): void;
  load(id: string, time: Date): Promise<{ request: LoggedMessage; response: LoggedMessage } | undefined>;
  prune(retentionDays: number, now: Date): Promise<void>;
}

export function safeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || SECRET_HEADERS.has(k.toLowerCase())) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Keeps at most BODY_LOG_LIMIT bytes of a body as it streams by. */
export class BodyCapture {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  add(chunk: Buffer): void {
    if (this.size >= BODY_LOG_LIMIT) {
      this.truncated = true;
      return;
    }
    const room = BODY_LOG_LIMIT - this.size;
    if (chunk.length > room) this.truncated = true;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.size += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }
}

export function createBodyLog(dir: string, onError: (err: unknown) => void = () => undefined): BodyLog {
  const fileOf = (id: string, time: Date) =>
    path.join(dir, time.toISOString().slice(0, 10), `${id.replace(/[^0-9a-f-]/gi, '')}.json`);
  return {
    save(id, time, detail) {
      const file = fileOf(id, time);
      void (async () => {
        await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        const tmp = `${file}.tmp`;
        await fs.writeFile(tmp, JSON.stringify(detail), { mode: 0o600 });
        await fs.rename(tmp, file);
      })().catch(onError);
    },
    async load(id, time) {
      try {
        return JSON.parse(await fs.readFile(fileOf(id, time), 'utf8'));
      } catch {
        return undefined;
      }
    },
    async prune(retentionDays, now) {
      const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString().slice(0, 10);
      const days = await fs.readdir(dir).catch(() => [] as string[]);
      for (const day of days)
        if (/^\d{4}-\d{2}-\d{2}$/.test(day) && day < cutoff)
          await fs.rm(path.join(dir, day), { recursive: true, force: true });
    },
  };
}
