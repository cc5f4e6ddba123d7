// Step 4 of admit: the one atomic check-and-reserve of the request's worst case against the tool's
// and the global budgets and its RPM/TPM windows — synchronous in one tick with the in-memory
// limiter, one Lua script with Redis — so concurrent requests cannot slip past each other.
// Bound first: under a USD budget (and no TPM limit, whose window and headers would show the
// bound), the reservation is first priced at an upper bound on the input that needs no tokenizer.
// If it fits every budget, it is admitted on it, uncounted: the exact count could only make it
// cheaper, so the decision (no refusal, no output cap) is the one the count gives. Only a request
// the bound does not fit is counted and decided exactly.
import type { Tool } from '../../../../../shared/config.js';
import type { Admission, Reservation } from '../../../limits/index.js';
import type { OutputPlan } from '../../../limits/output-cap.js';
import type { ProxyDeps } from '../../proxy-deps.js';
import type { InputTokens } from './input-tokens.js';
import { refusalOf, shared } from './refusals.js';

/** A reservation priced for one input count: its plan (output cap) and worst case. */
export interface Reserved {
  plan: OutputPlan | null;
  worstCaseUsd: number | null;
  estimatedTokens: number;
  unbounded: boolean;
  /** Built-in tool calls it pays for. */
  calls: number;
  /** Output limit per answer. */
  limit: number;
}

/** Prices the reservation for `bodyInput` tokens of the body's own input against `headroomUsd`
 *  (undefined: no budget to fit), with `fixedCalls` built-in tool calls or as many as fit. */
export type ReserveAt = (bodyInput: number, headroomUsd: number | undefined, fixedCalls?: number) => Reserved;

export interface CheckRequest {
  tool: Tool;
  model: string;
  budgeted: boolean;
  /** A USD budget prices the request (its headroom is read). */
  priced: boolean;
  /** The endpoint generates output (the exact path reads the headroom only then, to cap it). */
  generates: boolean;
  /** Tool calls the request may make uncapped: fewer at the bound means it did not fit. */
  maxCalls: number;
  input: InputTokens;
  reserveAt: ReserveAt;
  /** A big body's: waits for a later turn once this one's time for big bodies is spent
   *  (cpu-turns.ts); undefined for a small body. */
  turn?: (() => Promise<void> | undefined) | undefined;
}

export interface Decided {
  r: Reserved;
  reservation: Reservation;
  /** Admitted at the input bound, uncounted. */
  atTheBound: boolean;
}

/** Admitted, or throws the refusal in the caller's terms. A promise only where it had to wait
 *  (a count on the async lane, Redis): the common request is decided in the same call. */
export function checkAndReserve(deps: ProxyDeps, x: CheckRequest): Decided | Promise<Decided> {
  if (x.budgeted && !x.tool.limits.tpm) return boundFirst(deps, x);
  return exactly(deps, x);
}

async function boundFirst(deps: ProxyDeps, x: CheckRequest): Promise<Decided> {
  if (x.turn) {
    // A big body's bound walks all its text: made before the tick that reads the headroom and
    // reserves, which then starts a turn of its own if need be (the bound is kept, bound()).
    x.input.bound();
    const turn = x.turn();
    if (turn) await turn;
  }
  const headroom = headroomNow(deps, x.tool, x.priced);
  const headroomUsd = headroom instanceof Promise ? await headroom : headroom;
  const atBound = x.reserveAt(x.input.bound(), headroomUsd);
  const fits =
    atBound.worstCaseUsd === null ||
    headroomUsd === undefined ||
    (atBound.worstCaseUsd <= headroomUsd &&
      (!atBound.plan || atBound.plan.kind === 'fits') &&
      atBound.calls === x.maxCalls);
  if (fits) {
    const admission = admitAt(deps, x, atBound);
    const answer = admission instanceof Promise ? await shared(admission) : admission;
    // A budget refusal at the bound (a rounding edge, or another replica reserving meanwhile)
    // is decided again on the exact count; a rate refusal does not depend on tokens here.
    if (answer.ok || answer.refusal.kind !== 'budget') return decided(deps, answer, atBound, true);
  }
  return exactly(deps, x);
}

function exactly(deps: ProxyDeps, x: CheckRequest): Decided | Promise<Decided> {
  const counts = x.budgeted || x.tool.limits.tpm;
  if (counts) {
    const counting = x.input.countSliced();
    if (counting instanceof Promise) return counting.then(() => exactlyCounted(deps, x, x.input.estimate()));
  }
  return exactlyCounted(deps, x, counts ? x.input.estimate() : 0);
}

function exactlyCounted(deps: ProxyDeps, x: CheckRequest, inputTokens: number): Decided | Promise<Decided> {
  const headroom = headroomNow(deps, x.tool, x.priced && x.generates);
  if (headroom instanceof Promise) return headroom.then((h) => reserveExactly(deps, x, inputTokens, h));
  return reserveExactly(deps, x, inputTokens, headroom);
}

function reserveExactly(
  deps: ProxyDeps,
  x: CheckRequest,
  inputTokens: number,
  headroomUsd: number | undefined,
): Decided | Promise<Decided> {
  const r = x.reserveAt(inputTokens, headroomUsd);
  const admission = admitAt(deps, x, r);
  if (admission instanceof Promise) return shared(admission).then((a) => decided(deps, a, r, false));
  return decided(deps, admission, r, false);
}

const admitAt = (deps: ProxyDeps, x: CheckRequest, r: Reserved) =>
  deps.limiter.admit(x.tool, {
    model: x.model,
    estimatedTokens: r.estimatedTokens,
    worstCaseUsd: r.worstCaseUsd,
    unbounded: r.unbounded,
  });

function decided(deps: ProxyDeps, result: Admission, r: Reserved, atTheBound: boolean): Decided {
  if (!result.ok) throw refusalOf(result.refusal, r.plan, deps.now());
  return { r, reservation: result.reservation, atTheBound };
}

/** In memory, read in the same tick as limiter.admit(): nothing in between yields. In Redis
 *  another replica may reserve in between; admit() still checks atomically and refuses then. */
function headroomNow(deps: ProxyDeps, tool: Tool, needed: boolean) {
  const headroom = needed ? deps.limiter.headroomUsd(tool) : undefined;
  return headroom instanceof Promise ? shared(headroom) : headroom;
}
