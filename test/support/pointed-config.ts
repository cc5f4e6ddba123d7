// A first config.json whose providers already point at the test upstream, written before the
// instance starts. Keys from SHIMMY_KEY_* bind to the base URL their provider has at start (a
// later repoint makes them unusable, by design), so a test that gives keys through the
// environment must point the providers before the start, as a user's earlier set-up would have.
import fs from 'node:fs/promises';
import path from 'node:path';
import { BUILTIN_PROVIDERS } from '../../main/core/config/builtin-providers.js';

export async function writePointedConfig(dataDir: string, upstreamUrl: string): Promise<void> {
  const file = path.join(dataDir, 'config.json');
  if (
    await fs.stat(file).then(
      () => true,
      () => false,
    )
  )
    return;
  const baseUrl = (kind: string) => (kind === 'openai' ? `${upstreamUrl}/v1` : upstreamUrl);
  const providers = BUILTIN_PROVIDERS.map((p) => ({ ...p, baseUrl: baseUrl(p.kind) }));
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await fs.writeFile(file, JSON.stringify({ version: 1, providers }, null, 2), { mode: 0o600 });
}
