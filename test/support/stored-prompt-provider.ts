// OpenAI answering Responses requests that may name no model: a stored prompt (`prompt: { id }`)
// runs on the model saved with it (platform.openai.com/docs/guides/prompting#reusable-prompts, read
// 2026-11-29). For the tests of what a tool's model settings do to such a request.
import type { Harness } from './harness.js';
import { harnessOnJsonProvider, responsesAnswer } from './json-provider.js';

/** For a test file: a harness with openai pointed at a provider that runs the model the request's
 *  body names, else the stored prompt's `promptModel`, pushing each model it ran onto `served`;
 *  every answer is one "ok" message of `input` and `outputTokens` tokens. `started` is handed the
 *  harness once it is up. */
export function harnessOnStoredPrompts(
  x: { promptModel: string; served: string[]; input: number; outputTokens: number },
  started: (h: Harness) => void,
): void {
  harnessOnJsonProvider(['openai'], started, (_, b) => {
    const model = typeof b.model === 'string' ? b.model : x.promptModel;
    x.served.push(model);
    return responsesAnswer({
      id: 'resp_1',
      status: 'completed',
      model,
      output: [
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'ok', annotations: [] }],
        },
      ],
      input: x.input,
      outputTokens: x.outputTokens,
    });
  });
}
