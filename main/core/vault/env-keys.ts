// Where no keychain is reachable (a server without a Secret Service), keys come from the
// environment of the running instance instead: SHIMMY_KEY_<PROVIDER>[__<LABEL>].
export function envVarForKey(provider: string, label = 'default'): string {
  const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return label === 'default'
    ? `SHIMMY_KEY_${norm(provider)}`
    : `SHIMMY_KEY_${norm(provider)}__${norm(label)}`;
}

export interface EnvKey {
  /** The variable it came from. */
  name: string;
  label: string;
  value: string;
}

/** The keys the environment holds for one provider. */
export function envKeysFor(env: NodeJS.ProcessEnv, provider: string): EnvKey[] {
  const prefix = envVarForKey(provider);
  const out: EnvKey[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (name === prefix) out.push({ name, label: 'default', value });
    else if (name.startsWith(prefix + '__'))
      out.push({ name, label: name.slice(prefix.length + 2).toLowerCase(), value });
  }
  return out;
}

/** Every SHIMMY_KEY_* variable, with the provider name its spelling suggests. */
export function allEnvKeys(env: NodeJS.ProcessEnv): Array<EnvKey & { provider: string }> {
  const out: Array<EnvKey & { provider: string }> = [];
  for (const [name, value] of Object.entries(env)) {
    const m = /^SHIMMY_KEY_([A-Z0-9_]+?)(?:__([A-Z0-9_]+))?$/.exec(name);
    if (!m || !value) continue;
    out.push({
      name,
      provider: m[1]!.toLowerCase().replace(/_/g, '-'),
      label: m[2]?.toLowerCase() ?? 'default',
      value,
    });
  }
  return out;
}
