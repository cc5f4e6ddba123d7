// Code interpreter containers, billed apart from the tokens by their memory — a fee the catalog
// does not carry. OpenAI: 1 GB (the default) $0.03, 4 GB $0.12, 16 GB $0.48, 64 GB $1.92 per
// 20-minute session, i.e. $0.03 per GB; since 2026-06-02 "billed per minute with a 5-minute
// minimum, instead of being billed at the full 20-minute session rate", the rate unchanged (OpenAI
// pricing page and changelog as quoted at simoncarter.ai and modeldex.dev, read 2026-11-29). No
// answer says how many minutes a container ran, so each is recorded as one 20-minute session: the
// most a session costs up to its idle expiry, and 4× a 5-minute one.

/** USD per GB of memory per container session, at a provider that bills them, else undefined. */
export function containerUsdPerGb(catalogProvider: string): number | undefined {
  return catalogProvider === 'openai' || catalogProvider === 'azure' ? 0.03 : undefined;
}

const MEMORY_GB = new Map([
  ['1g', 1],
  ['4g', 4],
  ['16g', 16],
  ['64g', 64],
]);

/** The dearest container size, for a memory limit Shimmy cannot read. */
export const MAX_CONTAINER_GB = 64;

/** GB of a code interpreter tool's `container.memory_limit` ("1g" when it names none), or
 *  undefined for a value that is not one of the sizes. */
export function containerMemoryGb(container: unknown): number | undefined {
  const limit =
    typeof container === 'object' && container !== null
      ? (container as { memory_limit?: unknown }).memory_limit
      : undefined;
  if (limit === undefined || limit === null) return 1;
  return typeof limit === 'string' ? MEMORY_GB.get(limit.toLowerCase()) : undefined;
}

/** Whether a code interpreter tool's `container` makes a new container for the request: `auto`
 *  (an object) or none named; a string names one that exists already. */
export const createsContainer = (container: unknown) => typeof container !== 'string';
