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
];
