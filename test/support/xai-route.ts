// A provider named `xai` on a loopback mock, billed and read as xAI (the catalog's `x-ai` prices,
// its usage.cost_in_usd_ticks): the stand-in for api.x.ai.
import type { Harness } from './harness.js';

export async function addXai(h: Harness, providerUrl: string): Promise<void> {
  await h.admin.call('addProvider', {
    body: { name: 'xai', kind: 'openai', baseUrl: `${providerUrl}/v1`, priceProvider: 'x-ai' },
  });
  await h.admin.call('putKey', { body: { provider: 'xai', key: 'xai-test-key-7777IJKL' } });
}

const ANSWER_TEXT = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] };

/**
 * A Responses answer as api.x.ai sends one: `calls` server-side tool calls on top of the tokens,
 * the whole turn billed in `ticks` (usage.cost_in_usd_ticks, 10^10 = $1); `items` go before the
 * answer's text, `details` is usage.server_side_tool_usage_details.
 */
export function xaiResponse(o: {
  model: string;
  input: number;
  output: number;
  calls: number;
  ticks: number;
  items?: unknown[];
  details?: Record<string, number>;
  tools?: unknown;
}): Record<string, unknown> {
  return {
    id: 'resp_x',
    object: 'response',
    created_at: 1,
    status: 'completed',
    model: o.model,
    ...(o.tools === undefined ? {} : { tools: o.tools }),
    output: [...(o.items ?? []), ANSWER_TEXT],
    usage: {
      input_tokens: o.input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: o.output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: o.input + o.output,
      num_server_side_tools_used: o.calls,
      cost_in_usd_ticks: o.ticks,
      ...(o.details === undefined ? {} : { server_side_tool_usage_details: o.details }),
    },
  };
}
