// A model name as Shimmy's own tables match it (maximum outputs, tokenizers, reasoning models,
// search fees): lower-cased, without the `vendor/` prefix a router puts before it (OpenRouter's
// `openai/gpt-5`).
export const bareModel = (model: string): string => model.toLowerCase().replace(/^.*\//, '');

/** A Claude model under any name a route gives it (`claude-sonnet-4-5`, OpenRouter's
 *  `anthropic/claude-sonnet-4.5`, Bedrock's `anthropic.claude-…`): its tokenizer, image formula
 *  and cache prices are Anthropic's whichever API serves it. */
export const isClaudeModel = (model: string): boolean => /claude/i.test(model);
