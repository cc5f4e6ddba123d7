// A Responses request that continues a stored one (`previous_response_id`, or a `conversation`)
// is billed for the whole stored conversation as input ("previous input tokens in the chain are
// billed as input tokens", platform.openai.com/docs/guides/conversation-state, read 2026-11-29),
// which its body does not carry: a continuation of a 200,000-token conversation reserved as "hi"
// billed $0.26001 on a $0.10 budget (found by review, 2026-11-29). Each answer Shimmy relays
// says its id and its usage; the stored conversation a continuation brings is at most that
// answer's input plus its output. A continuation of an answer Shimmy did not see (another
// process, before a restart, a `conversation`) is reserved at the whole context window (the widest
// of the models it may fail over to).
// So is any other input the provider merges in from what it has stored (found by red16,
// 2026-11-29: each billed $0.26 on a $0.10 budget, reserved as "hi"): a stored prompt (`prompt:
// {id}`, whose messages, and files its variables name, join the input) and an `item_reference`
// to an earlier response's item, which the body names by id only (`type` may be left out).
// Anthropic's Threads are the same (beta; @anthropic-ai/sdk 1.13.0 `BetaThreadContinueParams`):
// `thread: {type: "continue", previous_message_id}` "resumes from a previous response so only the
// new turn's messages are sent", the held conversation read as input. Reserved as its new turn
// alone, a continuation of a 180,000-token thread billed $0.54 on a $0.10 budget (found by red21,
// 2026-11-29; test/integration/anthropic-thread-budget.test.ts).

/** Answers remembered, newest kept: an agent continues its latest answer. */
export const STORED_RESPONSES_KEPT = 10_000;
/** The context window assumed where the catalog has none: gpt-5's 400,000. */
export const DEFAULT_CONTEXT_WINDOW = 400_000;

export interface StoredResponses {
  /** Records an answer: its id and the tokens of the conversation it ends (input + output). */
  saw(id: string, tokens: number): void;
  /** Tokens the stored conversation `body` continues brings as input, at most (0: none); one it
   *  cannot size is `contextWindow`, the widest that may serve it. */
  continued(body: unknown, contextWindow: number): number;
}

export function createStoredResponses(kept = STORED_RESPONSES_KEPT): StoredResponses {
  const tokensById = new Map<string, number>();
  return {
    saw(id, tokens) {
      tokensById.delete(id);
      tokensById.set(id, tokens);
      // A Map iterates in insertion order: the first key is the oldest.
      if (tokensById.size > kept) tokensById.delete(tokensById.keys().next().value!);
    },
    continued(body, contextWindow) {
      if (typeof body !== 'object' || body === null) return 0;
      const b = body as { previous_response_id?: unknown; conversation?: unknown };
      if (namesStoredPrompt(body) || referencesItems(body)) return contextWindow;
      if (typeof b.previous_response_id === 'string')
        return tokensById.get(b.previous_response_id) ?? contextWindow;
      const thread = continuedThread(body);
      if (thread !== undefined)
        return (typeof thread === 'string' && tokensById.get(thread)) || contextWindow;
      return present(b.conversation) ? contextWindow : 0;
    },
  };
}

const present = (x: unknown): boolean => x !== undefined && x !== null;

/** An Anthropic thread continued: the id of the message it resumes from (unknown: null), or
 *  undefined when the body continues none. */
function continuedThread(body: object): string | null | undefined {
  const thread = (body as { thread?: unknown }).thread;
  if (typeof thread !== 'object' || thread === null) return undefined;
  const t = thread as { type?: unknown; previous_message_id?: unknown };
  if (t.type !== 'continue') return undefined;
  return typeof t.previous_message_id === 'string' ? t.previous_message_id : null;
}

/** Whether a Responses body runs a stored prompt (`prompt: {id}`): its messages, files and tools
 *  join the request at the provider, unseen in the body (web-search-uses.ts and
 *  image-tool-calls.ts reserve its tools). */
export const namesStoredPrompt = (body: object): boolean => present((body as { prompt?: unknown }).prompt);

/** Whether the input names a stored item by id: `{type: 'item_reference', id}`, or an `{id}` with
 *  no type, role or content (the API reads that as a reference too). */
function referencesItems(body: object): boolean {
  const input = (body as { input?: unknown }).input;
  if (!Array.isArray(input)) return false;
  return input.some((item) => {
    if (typeof item !== 'object' || item === null) return false;
    const it = item as { type?: unknown; role?: unknown; content?: unknown; id?: unknown };
    if (it.type === 'item_reference') return true;
    return it.type === undefined && it.role === undefined && it.content === undefined && it.id !== undefined;
  });
}
