// Model-name normalization for price lookups: `openai/gpt-4o`, `gpt-4o-mini-2024-07-18`,
// `claude-sonnet-4-5-20250929` and `claude-3-7-sonnet-latest` all name a priced family.

/** `openai/gpt-4o` → `gpt-4o`; LiteLLM keys like `anthropic/claude-…` likewise. */
export function stripProviderPrefix(model: string): string {
  const slash = model.lastIndexOf('/');
  return slash < 0 ? model : model.slice(slash + 1);
}

/** Date-stamped snapshots and `-latest` aliases: `-2024-07-18`, `-20250929`, `@20250929`, `-latest`. */
const SUFFIX = /(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8})|-latest)$/;

export function stripDateSuffix(model: string): string {
  let m = model;
  for (let next = m.replace(SUFFIX, ''); next !== m && next.length > 0; next = m.replace(SUFFIX, ''))
    m = next;
  return m;
}

/** The name every lookup stage works on: lowercased, without provider prefix. */
export function baseName(model: string): string {
  return stripProviderPrefix(model.trim().toLowerCase());
}
