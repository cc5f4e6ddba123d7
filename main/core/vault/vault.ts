// Provider keys live in the OS keychain (keytar, service "Shimmy"), account `provider` or
// `provider#label` for extra keys of a pool. They are held in memory once read, because a
// keychain round trip per request would sit on the hot path.
import { envVarForKey } from './env-keys.js';
import { maskSecret } from './mask.js';

export const KEYCHAIN_SERVICE = 'Shimmy';

/** SHIMMY_KEYCHAIN_SERVICE keeps a second profile (or a test run) from touching the real keys. */
export function keychainService(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIMMY_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE;
}

/** The subset of keytar the vault uses; the real module is passed in (tests use the real keychain). */
export interface Keychain {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface KeyInfo {
  provider: string;
  label: string;
  masked: string;
  source: 'keychain' | 'env';
}

export interface Vault {
  /** Every usable key of a provider, default label first. */
  keys(provider: string): Promise<Array<{ label: string; key: string }>>;
  set(provider: string, key: string, label?: string): Promise<KeyInfo>;
  remove(provider: string, label?: string): Promise<boolean>;
  list(): Promise<KeyInfo[]>;
}

export class KeychainUnavailableError extends Error {
  constructor(cause: unknown, provider: string) {
    super(
      `No OS keychain is reachable (${(cause as Error)?.message ?? cause}). ` +
        `Nothing was stored. On a machine without a Secret Service, give the running instance the key ` +
        `through the environment instead: ${envVarForKey(provider)}=… shimmy serve`,
    );
  }
}

const account = (provider: string, label: string) =>
  label === 'default' ? provider : `${provider}#${label}`;
const parseAccount = (acc: string) => {
  const i = acc.indexOf('#');
  return i < 0 ? { provider: acc, label: 'default' } : { provider: acc.slice(0, i), label: acc.slice(i + 1) };
};

export function createVault(deps: { keychain: Keychain | null; env?: NodeJS.ProcessEnv }): Vault {
  const env = deps.env ?? process.env;
  const SERVICE = keychainService(env);
  let cache: Map<string, string> | null = null; // account -> key
  // keys() runs on every request: its answer per provider is kept until a key changes.
  const byProvider = new Map<string, Array<{ label: string; key: string }>>();

  async function load(): Promise<Map<string, string>> {
    if (cache) return cache;
    const map = new Map<string, string>();
    if (deps.keychain) {
      try {
        for (const c of await deps.keychain.findCredentials(SERVICE)) map.set(c.account, c.password);
      } catch (err) {
        // No keychain: env keys still work; say why once.
        console.error(
          `[shimmy] keychain not reachable, using SHIMMY_KEY_* variables only: ${(err as Error).message}`,
        );
      }
    }
    cache = map;
    return map;
  }

  function envKeys(provider: string, stored: Map<string, string>) {
    const out: Array<{ label: string; key: string }> = [];
    const prefix = envVarForKey(provider);
    for (const [name, value] of Object.entries(env)) {
      if (!value) continue;
      if (name === prefix) out.push({ label: 'default', key: value });
      else if (name.startsWith(prefix + '__'))
        out.push({ label: name.slice(prefix.length + 2).toLowerCase(), key: value });
    }
    return out.filter((k) => !stored.has(account(provider, k.label)));
  }

  return {
    async keys(provider) {
      const known = byProvider.get(provider);
      if (known) return known;
      const stored = await load();
      const out: Array<{ label: string; key: string }> = [];
      for (const [acc, key] of stored) {
        const p = parseAccount(acc);
        if (p.provider === provider) out.push({ label: p.label, key });
      }
      out.push(...envKeys(provider, stored));
      out.sort((a, b) =>
        a.label === 'default' ? -1 : b.label === 'default' ? 1 : a.label.localeCompare(b.label),
      );
      byProvider.set(provider, out);
      return out;
    },
    async set(provider, key, label = 'default') {
      if (!deps.keychain) throw new KeychainUnavailableError('keytar could not be loaded', provider);
      try {
        await deps.keychain.setPassword(SERVICE, account(provider, label), key);
      } catch (err) {
        throw new KeychainUnavailableError(err, provider);
      }
      (await load()).set(account(provider, label), key);
      byProvider.delete(provider);
      return { provider, label, masked: maskSecret(key), source: 'keychain' };
    },
    async remove(provider, label = 'default') {
      const stored = await load();
      stored.delete(account(provider, label));
      byProvider.delete(provider);
      if (!deps.keychain) return false;
      try {
        return await deps.keychain.deletePassword(SERVICE, account(provider, label));
      } catch (err) {
        throw new KeychainUnavailableError(err, provider);
      }
    },
    async list() {
      const stored = await load();
      const out: KeyInfo[] = [];
      for (const [acc, key] of stored)
        out.push({ ...parseAccount(acc), masked: maskSecret(key), source: 'keychain' });
      for (const name of Object.keys(env)) {
        const m = /^SHIMMY_KEY_([A-Z0-9_]+?)(?:__([A-Z0-9_]+))?$/.exec(name);
        if (!m || !env[name]) continue;
        const provider = m[1]!.toLowerCase().replace(/_/g, '-');
        const label = m[2]?.toLowerCase() ?? 'default';
        if (!stored.has(account(provider, label)))
          out.push({ provider, label, masked: maskSecret(env[name]!), source: 'env' });
      }
      return out.sort((a, b) => a.provider.localeCompare(b.provider) || a.label.localeCompare(b.label));
    },
  };
}

/** keytar is a native module: load it lazily so a machine without libsecret still runs (env keys). */
export async function loadKeytar(): Promise<Keychain | null> {
  try {
    const mod = (await import('keytar')) as unknown as { default?: Keychain } & Keychain;
    return mod.default ?? mod;
  } catch (err) {
    console.error(`[shimmy] keytar unavailable: ${(err as Error).message}`);
    return null;
  }
}
