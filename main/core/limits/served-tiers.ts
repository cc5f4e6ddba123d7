// OpenAI serves a request that names no `service_tier` (or `auto`) at the tier its project is
// configured for: `default` unless the project chose Priority processing, about twice the price
// (platform.openai.com/docs/api-reference/chat/create, "service_tier"). Shimmy cannot read that
// setting, only each answer's `service_tier`. So a USD budget reserves such a request at the
// dearest tier until an answer from the same provider has said which tier unnamed requests get,
// and at that tier after (the latest answer's: a project's setting can change). Held in memory:
// after a restart the first answer per provider says it again.

export interface ServedTiers {
  /** The tier the latest answer to an unnamed-tier request from `provider` was served at. */
  unnamed(provider: string): string | undefined;
  /** Records the tier an unnamed-tier request to `provider` was served at. */
  saw(provider: string, tier: string): void;
}

export function createServedTiers(): ServedTiers {
  const byProvider = new Map<string, string>();
  return {
    unnamed: (provider) => byProvider.get(provider),
    saw(provider, tier) {
      byProvider.set(provider, tier.toLowerCase());
    },
  };
}

/** The body names no tier, or `auto`: it is served at the project's tier. */
export function namesNoTier(body: unknown): boolean {
  const tier =
    typeof body === 'object' && body !== null ? (body as { service_tier?: unknown }).service_tier : undefined;
  return tier === undefined || tier === null || tier === 'auto';
}
