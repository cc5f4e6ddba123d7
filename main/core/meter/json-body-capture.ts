// Keeps enough of a non-streaming JSON body to read its usage without unbounded buffering.
// Up to FULL_PARSE_MAX_BYTES the body is kept whole and JSON.parse'd. Past that (huge embedding
// lists, mostly) only the first HEAD_BYTES and the last TAIL_BYTES are kept: every provider puts
// `usage` at the end of the body, so the last `"usage":{…}` object in the tail is parsed, and
// `model` is taken from the head (chat, messages) or the tail (embeddings); Gemini's
// `usageMetadata` and `modelVersion` from the tail. What readers price besides usage comes along:
// the top-level `service_tier` (after usage in a chat answer, after the output in a Responses one)
// and the Responses `web_search_call` / `file_search_call` items, counted as the body passes (they
// sit in the middle, where big base64 outputs are), and the containers `code_interpreter_call`
// items ran in, with the code interpreter tool the response echoes (near its end).

export const FULL_PARSE_MAX_BYTES = 8 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 256 * 1024;

export interface BodyCapture {
  push(chunk: Buffer): void;
  /** The parsed body, or a `{ model, usage }` stand-in read from a huge body's ends; undefined if unreadable. */
  finish(): unknown;
}

export function createBodyCapture(): BodyCapture {
  let chunks: Buffer[] = [];
  let size = 0;
  let head: Buffer | undefined;
  let tail: Buffer | undefined;
  let searches = 0;
  let fileSearches = 0;
  const containerIds = new Set<string>();
  /** The end of what was scanned, so an item split across chunks is still seen once. */
  let carry = '';
  const scan = (text: string) => {
    const joined = carry + text;
    SEARCH_ITEM.lastIndex = 0;
    for (let m = SEARCH_ITEM.exec(joined); m; m = SEARCH_ITEM.exec(joined)) {
      // A match that lies wholly in the carry was counted with the chunk before.
      if (m.index + m[0].length <= carry.length) continue;
      if (m[1] === 'web_search_call') searches++;
      else fileSearches++;
    }
    // Seen twice when it lies in the carry: a set counts it once.
    CONTAINER_ID.lastIndex = 0;
    for (let m = CONTAINER_ID.exec(joined); m; m = CONTAINER_ID.exec(joined)) containerIds.add(m[1]!);
    carry = joined.slice(-SCAN_OVERLAP);
  };

  return {
    push(chunk) {
      if (head === undefined) {
        chunks.push(chunk);
        size += chunk.length;
        if (size <= FULL_PARSE_MAX_BYTES) return;
        const all = Buffer.concat(chunks);
        chunks = [];
        head = Buffer.from(all.subarray(0, HEAD_BYTES));
        tail = Buffer.from(all.subarray(-TAIL_BYTES));
        scan(all.toString('latin1'));
        return;
      }
      scan(chunk.toString('latin1'));
      const joined = tail ? Buffer.concat([tail, chunk]) : chunk;
      tail = joined.length > TAIL_BYTES ? Buffer.from(joined.subarray(-TAIL_BYTES)) : joined;
    },
    finish() {
      if (head === undefined) {
        try {
          // Most bodies arrive in one chunk: decode it in place rather than concat a copy first.
          const whole = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
          return JSON.parse(whole.toString('utf8')) as unknown;
        } catch {
          return undefined;
        }
      }
      const tailText = tail?.toString('utf8') ?? '';
      const usage = lastObjectAfterKey(tailText, 'usage');
      const model = stringAfterKey(head.toString('utf8')) ?? stringAfterKey(tailText);
      const headText = head.toString('utf8');
      const stand: Record<string, unknown> = {
        model,
        usage,
        object: firstString(headText, 'object'),
        type: firstString(headText, 'type'),
      };
      // Gemini's usage is `usageMetadata` (the last one: a JSON-array stream's is cumulative).
      const geminiUsage = lastObjectAfterKey(tailText, 'usageMetadata');
      if (geminiUsage !== undefined) {
        stand.usageMetadata = geminiUsage;
        // The answer ended (GeminiReader takes a usage as final at a finishReason).
        const finishReason = lastString(tailText, 'finishReason');
        if (finishReason !== undefined) stand.candidates = [{ finishReason }];
      }
      const modelVersion = lastString(tailText, 'modelVersion');
      if (modelVersion !== undefined) stand.modelVersion = modelVersion;
      const tier = lastString(tailText, 'service_tier') ?? firstString(headText, 'service_tier');
      if (tier !== undefined) stand.service_tier = tier;
      if (searches + fileSearches + containerIds.size > 0)
        stand.output = [
          ...Array.from({ length: searches }, () => ({ type: 'web_search_call' })),
          ...Array.from({ length: fileSearches }, () => ({ type: 'file_search_call' })),
          ...Array.from(containerIds, (id) => ({ type: 'code_interpreter_call', container_id: id })),
        ];
      if (containerIds.size > 0 && /"type"\s*:\s*"code_interpreter"/.test(tailText)) {
        // A container the request named (a string), or `auto` at its memory limit.
        const memory = lastString(tailText, 'memory_limit');
        const container =
          lastString(tailText, 'container') ??
          (memory ? { type: 'auto', memory_limit: memory } : { type: 'auto' });
        stand.tools = [{ type: 'code_interpreter', container }];
      }
      return stand;
    },
  };
}

/** The body's top-level `object`/`type` marker (the first in the head), so readers that
 *  dispatch on it still work. */
function firstString(headText: string, key: string): string | undefined {
  return new RegExp(`"${key}"\\s*:\\s*"([^"\\\\]*)"`).exec(headText)?.[1];
}

/** The last `"key":"value"` in the tail (a top-level member after the big part). */
function lastString(text: string, key: string): string | undefined {
  const re = new RegExp(`"${key}"\\s*:\\s*"([^"\\\\]*)"`, 'g');
  let last: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m[1];
  return last;
}

/** An output item of a web or file search, its type captured (a quote inside a string is
 *  escaped, so text cannot spell it): one pass counts both. */
const SEARCH_ITEM = /"type"\s*:\s*"(web_search_call|file_search_call)"/g;
/** The container a code interpreter call ran in (an id cut by a chunk's end has no closing quote
 *  yet, so it is matched whole with the next chunk). */
const CONTAINER_ID = /"container_id"\s*:\s*"([^"\\]*)"/g;
/** Longer than a container id member (`"container_id":"cntr_` + ~48 characters). */
const SCAN_OVERLAP = 160;

function stringAfterKey(text: string): string | undefined {
  const m = /"model"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text);
  if (!m?.[1]) return undefined;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return undefined;
  }
}

/** Parses the balanced `{…}` that follows the last `"key":` in `text`. */
export function lastObjectAfterKey(text: string, key: string): unknown {
  const re = new RegExp(`"${key}"\\s*:\\s*\\{`, 'g');
  let start = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) start = m.index + m[0].length - 1;
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1)) as unknown;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
