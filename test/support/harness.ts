// Starts the real core (real HTTP on 127.0.0.1, real keychain under a throwaway service name,
// real ledger in a temp dir) in front of a fake upstream on loopback.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectAdmin, type AdminClient } from '../../main/cli/admin-client.js';
import type { Core } from '../../main/core/core.js';
import { startCore, type StartCoreOptions } from '../../main/core/start-core.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';

export const OPENAI_TEST_KEY = 'sk-test-openai-real-key-0000XYZW';
export const ANTHROPIC_TEST_KEY = 'sk-ant-test-real-key-1111QRST';
export const GEMINI_TEST_KEY = 'AIzaSyTest-real-gemini-key-2222LMNO';

export interface Harness {
  core: Core;
  upstream: FakeUpstream;
  admin: AdminClient;
  dataDir: string;
  keychainService: string;
  logs: Array<Record<string, unknown>>;
  /** Creates a tool and returns its token. */
  tool(name: string, limits?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { keys?: boolean; core?: Partial<StartCoreOptions>; dataDir?: string; keychainService?: string } = {},
): Promise<Harness> {
  const upstream = await startFakeUpstream();
  const dataDir = opts.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-test-')));
  const keychainService = opts.keychainService ?? `ShimmyTest-${randomBytes(6).toString('hex')}`;
  const logs: Array<Record<string, unknown>> = [];
  const core = await startCore({
    dataDir,
    port: 0,
    env: { ...process.env, SHIMMY_KEYCHAIN_SERVICE: keychainService },
    log: (e) => logs.push(e),
    ...opts.core,
  });
  const admin = await connectAdmin(dataDir);
  await admin.call('patchProvider', { params: { name: 'openai' }, body: { baseUrl: `${upstream.url}/v1` } });
  await admin.call('patchProvider', { params: { name: 'anthropic' }, body: { baseUrl: upstream.url } });
  await admin.call('patchProvider', { params: { name: 'google' }, body: { baseUrl: upstream.url } });
  if (opts.keys !== false) {
    await admin.call('putKey', { body: { provider: 'openai', key: OPENAI_TEST_KEY } });
    await admin.call('putKey', { body: { provider: 'anthropic', key: ANTHROPIC_TEST_KEY } });
    await admin.call('putKey', { body: { provider: 'google', key: GEMINI_TEST_KEY } });
  }
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
