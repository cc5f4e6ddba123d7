// The Responses API's code interpreter tool (`tools: [{type: "code_interpreter", container}]`) runs
// in a container billed per session by its memory, on top of the tokens
// (pricing/container-fees.ts). With `container: {type: "auto"}` each request may create one, so a
// USD budget reserves one session per such tool at its memory; a tool naming an existing
// container (a string id) creates none. (Unreserved, a $0.03 container and $0.01001 of tokens
// recorded $0.04001 on a $0.035 budget.) A stored prompt (`prompt: {id}`) brings tools the body
// does not show: one that names no code interpreter tool is reserved as if its prompt held one,
// at the dearest size, as image-tool-calls.ts reserves its image tool. (Unreserved, a prompt's
// 16 GB container recorded $0.97751 on a $0.80 budget: code-interpreter-budget.test.ts.)
import type { Endpoint, Usage } from '../../../shared/usage.js';
import { containerMemoryGb, createsContainer, MAX_CONTAINER_GB } from '../pricing/container-fees.js';
import type { CostOf } from './output-cap.js';
import { namesStoredPrompt } from './stored-responses.js';

const isCodeInterpreter = (t: unknown): t is Record<string, unknown> =>
  typeof t === 'object' && t !== null && (t as { type?: unknown }).type === 'code_interpreter';

/** The containers a Responses request may create and the memory of the largest (a memory limit
 *  Shimmy cannot read counts as the dearest size); undefined when it creates none. */
export function codeInterpreterContainers(
  endpoint: Endpoint,
  body: unknown,
): Pick<Usage, 'containers' | 'containerMemoryGb'> | undefined {
  if (endpoint !== 'responses' || typeof body !== 'object' || body === null) return undefined;
  const named = (body as { tools?: unknown }).tools;
  const tools = Array.isArray(named) ? named.filter(isCodeInterpreter) : [];
  // A stored prompt's tool: one new container, of a memory limit Shimmy cannot read.
  if (tools.length === 0)
    return namesStoredPrompt(body) ? { containers: 1, containerMemoryGb: MAX_CONTAINER_GB } : undefined;
  let containers = 0;
  let gb = 0;
  for (const t of tools)
    if (createsContainer(t.container)) {
      containers++;
      gb = Math.max(gb, containerMemoryGb(t.container) ?? MAX_CONTAINER_GB);
    }
  return containers === 0 ? undefined : { containers, containerMemoryGb: gb };
}

/** `cost` of any usage with the request's containers in it: every answer may create them, so the
 *  output limit is sized to what they leave (a price without a container fee cannot price it). */
export function withContainers(cost: CostOf, c: Pick<Usage, 'containers' | 'containerMemoryGb'>): CostOf {
  return (u) => cost({ ...u, ...c });
}
