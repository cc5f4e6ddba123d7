// Stage 5, admit: one atomic check-and-reserve of the request's worst-case cost against the
// tool's and the global budgets, and of its tokens against RPM/TPM — synchronous in one tick with
// the in-memory limiter, one Lua script with Redis — so concurrent requests cannot slip past each
// other. With a USD budget, the output limit is sized
// to what the budget has left (limits/output-cap.ts) and written into the body sent upstream, so
// the reservation bounds what the answer can cost; an unpriced model is refused unless the tool
// allows it. Its steps, each in admit/: 1 the model chain and its cost, 2 the output limit,
// 3 the calls billed apart and the reservation at an input count, 4 check-and-reserve; then the
// limit written upstream and the journal entry.
import type { Config, Provider, Tool } from '../../../../shared/config.js';
import { hasUsdBudget, type Reservation } from '../../limits/index.js';
import { namesModels } from '../../limits/body-fallbacks.js';
import type { PriceMatch } from '../../pricing/index.js';
import type { RouteTarget } from '../../route/resolve-provider.js';
import { cpuTurn } from '../cpu-turns.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { SLICED_PARSE_MIN_BYTES } from '../read-json-any-type.js';
import type { RecordDraft } from '../request-record.js';
import { priceModelChain } from './admit/model-chain.js';
import { billedCalls, type PricedRequest } from './admit/billed-calls.js';
import { generates, metered } from './admit/endpoints.js';
import { checkAndReserve, type ReserveAt } from './admit/check-and-reserve.js';
import { InputTokens } from './admit/input-tokens.js';
import { journalAdmitted } from './admit/journal.js';
import { outputLimitOf, writeOutputLimit } from './admit/output-limit.js';
import { reserveAtFor, type ReservationAsks } from './admit/reservation.js';

export { DEFAULT_MAX_OUTPUT_TOKENS } from '../../limits/model-max-output.js';
export { checkRecordable } from './admit/refusals.js';

export { CALLS_CAPPED_HEADER, CAPPED_HEADER, TPM_OUTPUT_ESTIMATE } from './admit/output-limit.js';
export { metered } from './admit/endpoints.js';

export interface Admitted {
  reservation: Reservation;
  price: PriceMatch | undefined;
  /** The request's input tokens, counted on first use (tokenizing costs real time); `atMost`: an
   *  upper bound will do (no tokenizer hand-over while nothing was counted). */
  inputEstimate: (atMost?: boolean) => number;
  /** The provider's own input count, once its answer gives it (InputTokens.known). */
  inputKnown: (tokens: number) => void;
  /** A USD budget applies: the running cost of a stream is checked against it. */
  budgeted: boolean;
  /** Top-level members to splice into the client's bytes (serialized), when the output limit
   *  Shimmy chose must be written in: only those bytes change, the rest goes as sent. */
  upstreamEdits?: Record<string, string>;
  /** Headers for the client's response (the cap, when there is one). */
  headers: Record<string, string>;
  /** Output tokens the upstream is bound to (its limit × answers), when the body sent names it. */
  outputCap?: number;
  /** The body names its own fallback models (limits/body-fallbacks.ts): the answer may come from
   *  one of them. */
  bodyFallbacks?: true;
  /** The USD reserved: what a request the provider may have billed, unread, is charged at.
   *  A method, not a getter: an object literal with an accessor is built on V8's slow path, which
   *  cost every request a few µs (bench profile). */
  worstCaseUsd(): number | null;
}

/** What admit is given: the routed request (stage 4's target and its fallbacks). */
export interface AdmitRequest extends ReservationAsks {
  config: Config;
  tool: Tool;
  draft: RecordDraft;
  json: unknown;
  provider: Provider;
  model: string;
  /** Where the request may go if the routed provider fails (its fallback chain). */
  fallbacks: readonly RouteTarget[];
  /** Size of the request body in bytes (the journal's estimate without a budget). */
  bodyLength?: number;
}

export async function admit(deps: ProxyDeps, x: AdmitRequest): Promise<Admitted> {
  const { tool, draft, json, model } = x;
  const { family, endpoint } = draft;
  const s = x.config.settings;
  // Plan traffic is paid for by the plan: USD budgets never apply to it (its API-equivalent cost
  // is recorded apart), RPM/TPM still do.
  const budgeted = !tool.plan && hasUsdBudget(tool, s);
  // A big body (parsed in slices) is admitted in turns as well: most steps below walk its
  // messages, and on a first request, that code not yet compiled, the steps together held the
  // loop 25–35 ms in the turn its parse ended in (issue 16: ≤ 20 ms). Between two steps it waits
  // for a later turn once this turn's time for big bodies is spent (cpu-turns.ts); a small body
  // runs them in one go, with no promise between.
  const turn = (x.bodyLength ?? 0) > SLICED_PARSE_MIN_BYTES ? cpuTurn : undefined;
  if (turn) await turn();
  const { price, named, chain, fallbackPrices, cost, countAs } = priceModelChain(deps.prices, {
    tool,
    endpoint,
    time: draft.time,
    json,
    provider: x.provider,
    model,
    fallbacks: x.fallbacks,
    budgeted,
    metered: metered(endpoint),
  });
  if (turn) await turn();
  const input = new InputTokens(family, endpoint, json, countAs, metered(endpoint));
  const inputEstimate = (atMost = false) => input.estimate(atMost);

  const output = outputLimitOf({ endpoint, json, tool, budgeted, model, chain });
  // Without a USD budget nothing is sized or reserved in USD: no pricing on that path.
  const priced = budgeted && cost !== undefined && metered(endpoint);
  const request: PricedRequest = {
    tool,
    family,
    endpoint,
    json,
    provider: x.provider,
    model,
    chain,
    fallbackPrices,
    at: draft.time,
    price,
    cost,
    priced,
  };
  const calls = billedCalls(deps, request);
  if (turn) await turn();
  // A promise only where a budget prices a file that must be read first (audio seconds, images).
  const reserving = reserveAtFor(deps, request, output, calls, x);
  const reserveAt = reserving instanceof Promise ? await reserving : reserving;
  if (turn) await turn();
  const decision = checkAndReserve(deps, {
    tool,
    model,
    budgeted,
    priced,
    generates: generates(endpoint),
    maxCalls: calls.maxCalls,
    input,
    reserveAt,
    turn,
  });
  const { r, reservation, atTheBound } = decision instanceof Promise ? await decision : decision;
  const { plan } = r;
  const reservedUsd = r.worstCaseUsd;
  // Admitted at the bound: a request whose answer goes unread is charged its worst case at the
  // exact count (charge-unread.ts), counted only then, as when the count was made at admit.
  const worstAtCount = atTheBound ? worstAtExactCount(reserveAt, inputEstimate, r.calls) : () => reservedUsd;

  const admitted: Admitted = {
    reservation,
    price,
    inputEstimate,
    inputKnown: (tokens) => input.known(tokens),
    budgeted,
    headers: {},
    worstCaseUsd: worstAtCount,
  };
  if (namesModels(named)) admitted.bodyFallbacks = true;
  writeOutputLimit(admitted, {
    endpoint,
    json,
    model,
    tool,
    price,
    budgeted,
    output,
    plan,
    limit: r.limit,
    calls: {
      searchEdits: calls.searches.edits,
      write: calls.bound?.write,
      named: calls.namedCalls,
      calls: r.calls,
    },
    reservation,
  });
  journalAdmitted(deps, draft, tool, {
    reservedUsd,
    price,
    budgeted,
    bodyLength: x.bodyLength,
    outputCap: admitted.outputCap,
  });
  // The send (its body spliced, its connection picked) starts a turn of its own if need be.
  if (turn) await turn();
  return admitted;
}

/** Built outside admit(): a closure made in it would share admit's scope, and the answer's whole
 *  life would hold every step's intermediates (issue 16, memory per open stream). */
function worstAtExactCount(
  reserveAt: ReserveAt,
  inputEstimate: () => number,
  calls: number,
): () => number | null {
  return () => reserveAt(inputEstimate(), undefined, calls).worstCaseUsd;
}
