// Provider keys live in the OS keychain (keytar, service "Shimmy"), account `provider` or
// `provider#label` for extra keys of a pool, each bound to the base URL it was given for
// (bound-key.ts). They are held in memory once read, because a keychain round trip per request
// would sit on the hot path.
import { decodeBoundKey, encodeBoundKey, normalizeBaseUrl, type BoundKey } from './bound-key.js';
import { allEnvKeys, envKeysFor, envVarForKey } from './env-keys.js';
import { maskSecret } from './mask.js';
import { sessionBusMissing, type BusProbe } from './session-bus.js';

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
  /** The base URL the key may be sent to; null = not bound yet (its provider did not exist). */
  boundTo: string | null;
  /** Bound to the provider's current base URL: requests use it. Otherwise it must be given again. */
  usable: boolean;
}

export interface Vault {
  /**
   * Reads the keychain once and binds what is not bound yet to the providers' base URLs as they
   * are now: entries of the previous version (rewritten bound) and SHIMMY_KEY_* variables. Called
   * before the instance serves anything, so nothing reachable over HTTP can choose that URL.
   */
  open(): Promise<void>;
  /** Every usable key of a provider (bound to its current base URL), default label first. */
  keys(provider: string): Promise<Array<{ label: string; key: string }>>;
  /** Stores the key bound to the provider's current base URL. */
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

export interface VaultDeps {
  keychain: Keychain | null;
  env?: NodeJS.ProcessEnv;
  /** The providers as configured now (their current base URLs). */
  providers: () => ReadonlyArray<{ name: string; baseUrl: string }>;
}

export function createVault(deps: VaultDeps): Vault {
  const env = deps.env ?? process.env;
  const SERVICE = keychainService(env);
  let cache: Map<string, BoundKey> | null = null; // account -> key and its base URL
  let loading: Promise<Map<string, BoundKey>> | null = null;
  // Env keys bind when the keychain is first read (start-up): account -> base URL.
  const envBound = new Map<string, string>();
  // keys() runs on every request: its answer per provider is kept until a key or the URL changes.
  const byProvider = new Map<string, { url: string; keys: Array<{ label: string; key: string }> }>();
  // The last spelling normalized, per provider: `new URL()` on every request cost ~9 µs.
  const normalized = new Map<string, { raw: string; url: string }>();
  const currentUrl = (provider: string) => {
    const u = deps.providers().find((p) => p.name === provider)?.baseUrl;
    if (u === undefined) return undefined;
    const seen = normalized.get(provider);
    if (seen?.raw === u) return seen.url;
    const url = normalizeBaseUrl(u);
    normalized.set(provider, { raw: u, url });
    return url;
  };

  async function readKeychain(): Promise<Map<string, BoundKey>> {
    const map = new Map<string, BoundKey>();
    if (deps.keychain) {
      try {
        for (const c of await deps.keychain.findCredentials(SERVICE))
          map.set(c.account, decodeBoundKey(c.password));
      } catch (err) {
        // No keychain: env keys still work; say why once.
        console.error(
          `[shimmy] keychain not reachable, using SHIMMY_KEY_* variables only: ${(err as Error).message}`,
        );
      }
    }
    for (const [acc, entry] of map) {
      const url = entry.baseUrl === null ? currentUrl(parseAccount(acc).provider) : undefined;
      if (url === undefined) continue;
      entry.baseUrl = url;
      // Written back bound, so the binding survives a later repoint and restart.
      await deps.keychain
        ?.setPassword(SERVICE, acc, encodeBoundKey(entry.key, url))
        .catch((err: unknown) =>
          console.error(`[shimmy] could not rewrite key ${acc} with its base URL: ${(err as Error).message}`),
        );
    }
    for (const p of deps.providers())
      for (const k of envKeysFor(env, p.name))
        envBound.set(account(p.name, k.label), normalizeBaseUrl(p.baseUrl));
    return map;
  }

  function load(): Promise<Map<string, BoundKey>> {
    if (cache) return Promise.resolve(cache);
    loading ??= readKeychain().then((m) => (cache = m));
    return loading;
  }

  return {
    async open() {
      await load();
    },
    async keys(provider) {
      const url = currentUrl(provider);
      if (url === undefined) return [];
      const known = byProvider.get(provider);
      if (known && known.url === url) return known.keys;
      const stored = await load();
      const out: Array<{ label: string; key: string }> = [];
      for (const [acc, entry] of stored) {
        const p = parseAccount(acc);
        if (p.provider === provider && entry.baseUrl === url) out.push({ label: p.label, key: entry.key });
      }
      for (const k of envKeysFor(env, provider)) {
        const acc = account(provider, k.label);
        if (!stored.has(acc) && envBound.get(acc) === url) out.push({ label: k.label, key: k.value });
      }
      out.sort((a, b) =>
        a.label === 'default' ? -1 : b.label === 'default' ? 1 : a.label.localeCompare(b.label),
      );
      byProvider.set(provider, { url, keys: out });
      return out;
    },
    async set(provider, key, label = 'default') {
      const url = currentUrl(provider);
      if (url === undefined) throw new Error(`No provider named "${provider}"`);
      if (!deps.keychain) throw new KeychainUnavailableError('keytar could not be loaded', provider);
      const stored = await load();
      try {
        await deps.keychain.setPassword(SERVICE, account(provider, label), encodeBoundKey(key, url));
      } catch (err) {
        throw new KeychainUnavailableError(err, provider);
      }
      stored.set(account(provider, label), { key, baseUrl: url });
      byProvider.delete(provider);
      return { provider, label, masked: maskSecret(key), source: 'keychain', boundTo: url, usable: true };
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
      const info = (
        provider: string,
        label: string,
        key: string,
        source: KeyInfo['source'],
        boundTo: string | null,
      ) => ({
        provider,
        label,
        masked: maskSecret(key),
        source,
        boundTo,
        usable: boundTo !== null && boundTo === currentUrl(provider),
      });
      for (const [acc, entry] of stored) {
        const p = parseAccount(acc);
        out.push(info(p.provider, p.label, entry.key, 'keychain', entry.baseUrl));
      }
      // Env keys under the provider they belong to; a variable no provider claims is listed unbound.
      const claimed = new Set<string>();
      for (const p of deps.providers())
        for (const k of envKeysFor(env, p.name)) {
          claimed.add(k.name);
          const acc = account(p.name, k.label);
          if (!stored.has(acc)) out.push(info(p.name, k.label, k.value, 'env', envBound.get(acc) ?? null));
        }
      for (const k of allEnvKeys(env))
        if (!claimed.has(k.name) && !stored.has(account(k.provider, k.label)))
          out.push(info(k.provider, k.label, k.value, 'env', null));
      return out.sort((a, b) => a.provider.localeCompare(b.provider) || a.label.localeCompare(b.label));
    },
  };
}

/** A keychain that cannot be reached: each call fails with `reason`, as keytar's would, so the
 *  vault says why (start-up, `key set`) the same way. */
export function unreachableKeychain(reason: string): Keychain {
  const fail = () => Promise.reject(new Error(reason));
  return { getPassword: fail, setPassword: fail, deletePassword: fail, findCredentials: fail };
}

/** keytar is a native module: load it lazily so a machine without libsecret still runs (env keys),
 *  and not at all where it could not reach a keychain (session-bus.ts). */
export async function loadKeytar(
  probe: BusProbe = { platform: process.platform, env: process.env },
): Promise<Keychain | null> {
  const missing = sessionBusMissing(probe);
  if (missing) return unreachableKeychain(missing);
  try {
    const mod = (await import('keytar')) as unknown as { default?: Keychain } & Keychain;
    return mod.default ?? mod;
  } catch (err) {
    console.error(`[shimmy] keytar unavailable: ${(err as Error).message}`);
    return null;
  }
}
