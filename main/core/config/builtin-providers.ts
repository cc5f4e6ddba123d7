import type { Provider } from '../../../shared/config.js';

/** Presets that exist without `provider add`; each is its family's default until another is chosen. */
export const BUILTIN_PROVIDERS: readonly Provider[] = [
  { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', isDefault: true, builtin: true },
  {
    name: 'anthropic',
    kind: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    isDefault: true,
    builtin: true,
  },
  {
    name: 'google',
    kind: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com',
    isDefault: true,
    builtin: true,
  },
];

/** A config written before a preset existed gains it (as its family's default if the family has
 *  none), so an upgrade brings new API families without touching the user's own providers. */
export function withBuiltinProviders(providers: Provider[]): Provider[] {
  const missing = BUILTIN_PROVIDERS.filter((b) => !providers.some((p) => p.name === b.name));
  if (missing.length === 0) return providers;
  return [
    ...providers,
    ...missing.map((b) => ({ ...b, isDefault: !providers.some((p) => p.kind === b.kind && p.isDefault) })),
  ];
}
