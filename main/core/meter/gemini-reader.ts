// Reader for Gemini native generateContent answers: one JSON body, a JSON array of chunks
// (streamGenerateContent without alt=sse) or SSE chunks (?alt=sse). Every streamed chunk carries
// the CUMULATIVE usageMetadata so far: the last one wins. So that a stream's events need not all
// be parsed, chunks are kept unparsed until one ends a candidate (finishReason); the running
// usage, when asked for, parses only the latest kept chunk.
import type { Usage } from '../../../shared/usage.js';
import { firstMatch } from './deferrable-payload.js';
import { readGeminiUsage } from './gemini-usage.js';
import { OutputEstimator } from './output-estimate.js';
import { readSseData } from './sse-data.js';
import { createSseFramer } from './sse-parser.js';
import { estimatedUsage, type UsageReader } from './usage-reader.js';
import { field, isObject } from './usage-fields.js';

/** The chunk that ends the answer names a finishReason (or the prompt was blocked); one that says
 *  what was searched, or that it grounded on Google Maps, is read too. */
const SIGNIFICANT =
  /\\u|"finishReason"|"blockReason"|"webSearchQueries"|"maps"|"googleMapsWidgetContextToken"/g;

export class GeminiReader implements UsageReader {
  private readonly estimate: OutputEstimator;
  private finalUsage: Usage | undefined;
  /** The latest cumulative usageMetadata read so far (not final until the answer ended). */
  private latest: Usage | undefined;
  private lastModel: string | undefined;
  /** The latest kept (unparsed) events, newer than `latest`: their bytes as latin1 text. */
  private pending: string | undefined;
  /** Google Search queries the answer says it ran, and its Google Maps grounded prompt (grounding). */
  private searches = 0;

  constructor(private readonly inputEstimate: (atMost?: boolean) => number) {
    // Gemini's tokenizer is not public: text is estimated by characters, as for Anthropic.
    this.estimate = new OutputEstimator('anthropic', addCandidateText);
  }

  onData(data: unknown): void {
    if (Array.isArray(data)) {
      for (const chunk of data) this.onData(chunk);
      return;
    }
    if (!isObject(data)) return;
    this.pending = undefined;
    if (hasParts(data)) this.finalUsage = undefined;
    this.take(data);
    if (this.latest && isEnd(data)) this.finalUsage = this.latest;
    else addCandidateText(data, (t) => this.estimate.add(t, this.lastModel));
  }

  firstSignificantByte(events: string, from: number): number {
    return firstMatch(SIGNIFICANT, events, from);
  }

  deferEvents(events: string): void {
    // Content after a finishReason: another candidate (candidateCount > 1) goes on, and the usage
    // of the chunk that ended the first is not the answer's. Taken as final, a stream cut then was
    // recorded at the first candidate's tokens: $0.0000105 of $0.0100105 billed
    // (gemini-candidates-stream-cut.test.ts).
    if (this.finalUsage && events.includes('"parts"')) this.finalUsage = undefined;
    this.estimate.deferEvents(events, this.lastModel);
    // A string: unlike the bytes, which may be a view of a socket buffer that is reused, it is
    // kept without a copy.
    this.pending = events;
  }

  usage(atMost = false): Usage {
    if (this.finalUsage) return this.withSearches(this.finalUsage);
    this.readPending();
    return this.withSearches(
      this.latest ?? estimatedUsage(this.inputEstimate(atMost), this.estimate.tokens(atMost)),
    );
  }

  /** Grounding with Google Search is billed per grounded prompt (Gemini 2.5) or per query (Gemini
   *  3) on top of the tokens (ai.google.dev/gemini-api/docs/pricing, read 2026-11-29), and the
   *  catalog has no rate for it: the queries are kept as web searches, which a Gemini price cannot
   *  price, so the answer is unpriced — charged its reservation under a budget — never priced at
   *  its tokens alone. A body's own search tool is refused under a budget before it goes
   *  (route/billable-endpoints.ts); a cached content's tools are not in the body: 30 grounded
   *  prompts through one billed $1.0614 on a $1 budget, recorded $0.0114
   *  (gemini-grounding-budget.test.ts). Grounding with Google Maps ($25 per 1,000 grounded prompts,
   *  same page) names no query, only the places it grounded on: 50 prompts through a cached
   *  content holding the Maps tool billed $1.269 on $1, recorded $0.019
   *  (gemini-maps-grounding-budget.test.ts). */
  private withSearches(u: Usage): Usage {
    return this.searches > 0 ? { ...u, webSearchRequests: this.searches } : u;
  }

  get final(): boolean {
    return this.finalUsage !== undefined;
  }

  get model(): string | undefined {
    this.readPending();
    return this.lastModel;
  }

  private take(chunk: Record<string, unknown>): void {
    if (typeof chunk.modelVersion === 'string') this.lastModel = chunk.modelVersion;
    this.latest = readGeminiUsage(chunk.usageMetadata) ?? this.latest;
    this.searches = Math.max(this.searches, searchQueries(chunk));
  }

  /** Reads the newest kept chunk that has usageMetadata (usually the very last one). */
  private readPending(): void {
    if (this.pending === undefined) return;
    const block = Buffer.from(this.pending, 'latin1');
    this.pending = undefined;
    const payloads: string[] = [];
    const framer = createSseFramer();
    const each = (raw: Buffer) => {
      const d = readSseData(raw);
      if (d) payloads.push(d.text);
    };
    framer.push(block, each);
    const rest = framer.flush();
    if (rest) each(rest);
    for (let i = payloads.length - 1; i >= 0; i--) {
      let chunk: unknown;
      try {
        chunk = JSON.parse(payloads[i] as string);
      } catch {
        continue;
      }
      if (isObject(chunk) && isObject(chunk.usageMetadata)) {
        this.take(chunk);
        return;
      }
    }
  }
}

function isEnd(chunk: Record<string, unknown>): boolean {
  if (field(chunk.promptFeedback, 'blockReason') !== undefined) return true;
  const candidates = chunk.candidates;
  return Array.isArray(candidates) && candidates.some((c) => field(c, 'finishReason') !== undefined);
}

/** Some candidate of the chunk carries content parts. */
function hasParts(chunk: Record<string, unknown>): boolean {
  const candidates = chunk.candidates;
  return (
    Array.isArray(candidates) && candidates.some((c) => Array.isArray(field(field(c, 'content'), 'parts')))
  );
}

/** Text of the candidates' parts (thought summaries included) and function-call arguments. */
function addCandidateText(data: unknown, add: (text: unknown) => void): void {
  const candidates = field(data, 'candidates');
  if (!Array.isArray(candidates)) return;
  for (const c of candidates) {
    const parts = field(field(c, 'content'), 'parts');
    if (!Array.isArray(parts)) continue;
    for (const part of parts) {
      add(field(part, 'text'));
      const call = field(part, 'functionCall');
      if (call !== undefined) add(JSON.stringify(field(call, 'args') ?? {}));
    }
  }
}

/** The Google Search queries a chunk's candidates say they ran (`groundingMetadata.webSearchQueries`),
 *  plus one for a candidate grounded on Google Maps (a `maps` grounding chunk, or the widget token
 *  only Maps grounding returns): billed per grounded prompt, it is kept as one more search. */
function searchQueries(chunk: Record<string, unknown>): number {
  const candidates = chunk.candidates;
  if (!Array.isArray(candidates)) return 0;
  let n = 0;
  for (const c of candidates) {
    const grounding = field(c, 'groundingMetadata');
    const queries = field(grounding, 'webSearchQueries');
    if (Array.isArray(queries)) n += queries.length;
    if (groundedOnMaps(grounding)) n += 1;
  }
  return n;
}

function groundedOnMaps(grounding: unknown): boolean {
  if (field(grounding, 'googleMapsWidgetContextToken') !== undefined) return true;
  const chunks = field(grounding, 'groundingChunks');
  return Array.isArray(chunks) && chunks.some((g) => field(g, 'maps') !== undefined);
}
