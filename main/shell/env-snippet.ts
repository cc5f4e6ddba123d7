// The "copy env snippet" text: points OpenAI- and Anthropic-style tools at the local proxy.
// The shell never sees a real tool token (only hashes are stored), so the key is a placeholder.

export type ShellFlavour = 'posix' | 'powershell';

export const TOKEN_PLACEHOLDER = '<your tool token>';

/** OpenAI SDKs expect the `/v1` prefix in the base URL; Anthropic SDKs add it themselves. */
export function openAiBaseUrl(coreUrl: string): string {
  return `${coreUrl.replace(/\/+$/, '')}/v1`;
}

export function anthropicBaseUrl(coreUrl: string): string {
  return coreUrl.replace(/\/+$/, '');
}

export function shellFlavour(platform: NodeJS.Platform): ShellFlavour {
  return platform === 'win32' ? 'powershell' : 'posix';
}

export function envSnippet(coreUrl: string, flavour: ShellFlavour): string {
  const vars: Array<[string, string]> = [
    ['OPENAI_BASE_URL', openAiBaseUrl(coreUrl)],
    ['OPENAI_API_KEY', TOKEN_PLACEHOLDER],
    ['ANTHROPIC_BASE_URL', anthropicBaseUrl(coreUrl)],
    ['ANTHROPIC_API_KEY', TOKEN_PLACEHOLDER],
  ];
  const header = [
    '# Shimmy: replace the placeholder with the tool token shown when you added the tool,',
    '# or skip this and run `shimmy exec <tool> -- <command>`, which sets all of it for you.',
  ];
  const lines =
    flavour === 'powershell'
      ? vars.map(([k, v]) => `$env:${k} = "${v}"`)
      : vars.map(([k, v]) => `export ${k}='${v}'`);
  return [...header, ...lines].join('\n') + '\n';
}
