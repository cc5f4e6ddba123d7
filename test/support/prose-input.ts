// Bodies of plain prose sized by Shimmy's own estimate of their input, for the tests of an input
// it counts just under a token threshold that the provider's own count passes.
import { estimateInputTokens } from '../../main/core/meter/index.js';

const SENTENCE = 'Every morning the baker opens the shop, weighs the flour and lights the old oven. ';

/** A claude-sonnet-4-5 Messages body (1,000 output tokens) of `blocks` text blocks. */
const claudeBody = (blocks: number) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1000,
  messages: [
    {
      role: 'user',
      content: Array.from({ length: blocks }, () => ({ type: 'text', text: SENTENCE.repeat(100) })),
    },
  ],
});

/** A Gemini generateContent body (1,000 output tokens) of `parts` text parts. Prose in parts of
 *  100 sentences (8 kB): a text longer than the tokenizer takes is counted at its bytes, an upper
 *  bound that would cross a threshold by itself. */
const geminiBody = (parts: number) => ({
  contents: [{ role: 'user', parts: Array.from({ length: parts }, () => ({ text: SENTENCE.repeat(100) })) }],
  generationConfig: { maxOutputTokens: 1000 },
});

const SHAPES = {
  'claude-sonnet-4-5': { body: claudeBody, provider: 'anthropic', api: 'messages' },
  'gemini-2.5-pro': { body: geminiBody, provider: 'gemini', api: 'generate_content' },
} as const;

/** A body for `model` of as many blocks of 100 sentences as Shimmy estimates at about `target`
 *  input tokens (sized from ten blocks, so a little under or over), and that estimate. */
export function proseOf(
  model: keyof typeof SHAPES,
  target: number,
): { body: Record<string, unknown>; estimate: number } {
  const { body, provider, api } = SHAPES[model];
  const per = estimateInputTokens(provider, api, body(10), model) / 10;
  const sized = body(Math.floor(target / per));
  return { body: sized, estimate: estimateInputTokens(provider, api, sized, model) };
}
