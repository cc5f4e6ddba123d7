// Where no keychain is reachable (a server without a Secret Service), keys come from the
// environment of the running instance instead: SHIMMY_KEY_<PROVIDER>[__<LABEL>].
export function envVarForKey(provider: string, label = 'default'): string {
  const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return label === 'default'
    ? `SHIMMY_KEY_${norm(provider)}`
    : `SHIMMY_KEY_${norm(provider)}__${norm(label)}`;
}
