// A model name as Shimmy's own tables match it (maximum outputs, tokenizers, reasoning models,
// search fees): lower-cased, without the `vendor/` prefix a router puts before it (OpenRouter's
// `openai/gpt-5`).
export const bareModel = (model: string): string => model.toLowerCase().replace(/^.*\//, '');
