// Starts the real core (real HTTP on 127.0.0.1, real keychain under a throwaway service name,
// real ledger in a temp dir) in front of a fake upstream on loopback.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectAdmin, type AdminClient } from '../../main/cli/admin-client.js';
import type { Core } from '../../main/core/core.js';
import { startCore, type StartCoreOptions } from '../../main/core/start-core.js';
import type { RequestLogPage } from '../../shared/admin-api.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { writePointedConfig } from './pointed-config.js';

export const OPENAI_TEST_KEY = 'sk-test-openai-real-key-0000XYZW';
export const ANTHROPIC_TEST_KEY = 'sk-ant-test-real-key-1111QRST';
export const GEMINI_TEST_KEY = 'AIzaSyTest-real-gemini-key-2222LMNO';

const TEST_KEYS = { openai: OPENAI_TEST_KEY, anthropic: ANTHROPIC_TEST_KEY, google: GEMINI_TEST_KEY };
type TestProvider = keyof typeof TEST_KEYS;
const baseUrlOf = (provider: TestProvider, url: string) => (provider === 'openai' ? `${url}/v1` : url);

export interface Harness {
  core: Core;
  upstream: FakeUpstream;
  admin: AdminClient;
  dataDir: string;
  keychainService: string;
  logs: Array<Record<string, unknown>>;
  /** Creates a tool and returns its token. */
  tool(name: string, limits?: Record<string, unknown>): Promise<string>;
  /** Points a built-in provider at `url` (openai's API under `/v1`) and stores its test key again:
   *  a key is bound to the base URL its provider had when it was stored. */
  point(provider: TestProvider, url: string): Promise<void>;
  /** What the ledger has recorded as the tool's spend (usage by tool), 0 before its first record. */
  spentBy(tool: string): Promise<number>;
  /** The ledger's records of the tool's requests (listRequests' first page). */
  records(tool: string): Promise<RequestLogPage['records']>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { keys?: boolean; core?: Partial<StartCoreOptions>; dataDir?: string; keychainService?: string } = {},
): Promise<Harness> {
  const upstream = await startFakeUpstream();
  const dataDir = opts.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-test-')));
  const keychainService = opts.keychainService ?? `ShimmyTest-${randomBytes(6).toString('hex')}`;
  const logs: Array<Record<string, unknown>> = [];
  // SHIMMY_KEY_* variables bind to the base URLs of the first start: point the providers before it.
  await writePointedConfig(dataDir, upstream.url);
  const core = await startCore({
    dataDir,
    port: 0,
    // Traffic only to loopback: no background price catalog refresh from the internet.
    env: { ...process.env, SHIMMY_KEYCHAIN_SERVICE: keychainService, SHIMMY_PRICE_REFRESH: 'off' },
    log: (e) => logs.push(e),
    ...opts.core,
  });
  const admin = await connectAdmin(dataDir);
  const providers = Object.keys(TEST_KEYS) as TestProvider[];
  for (const p of providers)
    await admin.call('patchProvider', { params: { name: p }, body: { baseUrl: baseUrlOf(p, upstream.url) } });
  if (opts.keys !== false)
    for (const p of providers) await admin.call('putKey', { body: { provider: p, key: TEST_KEYS[p] } });
  return {
    core,
    upstream,
    admin,
    dataDir,
    keychainService,
    logs,
    async tool(name, limits = {}) {
      return (await admin.call('createTool', { body: { name, limits } })).token;
    },
    async spentBy(tool) {
      return (
        (await admin.call('usage', { query: { by: 'tool' } })).find((r) => r.tool === tool)?.costUsd ?? 0
      );
    },
    async records(tool) {
      return (await admin.call('listRequests', { query: { tool } })).records;
    },
    async point(provider, url) {
      await admin.call('patchProvider', {
        params: { name: provider },
        body: { baseUrl: baseUrlOf(provider, url) },
      });
      await admin.call('putKey', { body: { provider, key: TEST_KEYS[provider] } });
    },
    async close() {
      for (const k of await admin.call('listKeys').catch(() => [])) {
        if (k.source === 'keychain')
          await admin
            .call('deleteKey', { params: { provider: k.provider, label: k.label } })
            .catch(() => undefined);
      }
      await core.close();
      await upstream.close();
    },
  };
}
