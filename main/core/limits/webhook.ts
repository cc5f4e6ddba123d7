// Alert webhook: POST the event as JSON, fire-and-forget. A slow or dead endpoint must never
// delay or fail the request that triggered the alert.
export const WEBHOOK_TIMEOUT_MS = 5_000;

/** Resolves when the POST is done or has failed; never rejects (failures go to `log`). */
export async function postWebhook(
  url: string,
  body: unknown,
  fetchImpl: typeof fetch,
  log: (message: string) => void,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<void> {
  try {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is released.
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) log(`[shimmy] alert webhook ${url} answered ${res.status}`);
  } catch (err) {
    log(`[shimmy] alert webhook ${url} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
