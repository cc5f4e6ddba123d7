// The environment a tool gets from `shimmy exec` / `shimmy env`: its own token and the proxy's URL,
// and none of the user's real provider credentials, nor anything naming Shimmy's own state (data
// dir, keychain service) that would lead it to the admin API or the keys.

/**
 * Provider credentials known to be read by SDKs and agents. A tool run through Shimmy must use its
 * token: with one of these it could reach the provider directly, unmetered, with the real key.
 * OPENAI_API_KEY and ANTHROPIC_API_KEY are not here because they are replaced by the token.
 */
export const CREDENTIAL_VARS: readonly string[] = [
  'ANTHROPIC_AUTH_TOKEN',
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_AD_TOKEN',
  'AZURE_API_KEY',
  'OPENAI_ADMIN_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'GOOGLE_GENERATIVE_AI_API_KEY',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'VERTEXAI_API_KEY',
  'XAI_API_KEY',
  'GROQ_API_KEY',
  'OPENROUTER_API_KEY',
  'DEEPSEEK_API_KEY',
  'MISTRAL_API_KEY',
  'CODESTRAL_API_KEY',
  'TOGETHER_API_KEY',
  'TOGETHERAI_API_KEY',
  'FIREWORKS_API_KEY',
  'PERPLEXITY_API_KEY',
  'PPLX_API_KEY',
  'COHERE_API_KEY',
  'CO_API_KEY',
  'CEREBRAS_API_KEY',
  'AI21_API_KEY',
  'NVIDIA_API_KEY',
  'NVIDIA_NIM_API_KEY',
  'MOONSHOT_API_KEY',
  'DASHSCOPE_API_KEY',
  'ZHIPUAI_API_KEY',
  'VOYAGE_API_KEY',
  'REPLICATE_API_TOKEN',
  'HF_TOKEN',
  'HUGGINGFACE_API_KEY',
  'HUGGING_FACE_HUB_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
  'LITELLM_API_KEY',
  'LITELLM_MASTER_KEY',
];

const CREDENTIAL_SET = new Set(CREDENTIAL_VARS);

/** Every `SHIMMY_*` variable: keys (`SHIMMY_KEY_*`), the data dir and keychain service of the instance. */
export const isCredentialVar = (name: string): boolean =>
  name.startsWith('SHIMMY_') || CREDENTIAL_SET.has(name.toUpperCase());

export function toolEnv(baseUrl: string, token: string): Record<string, string> {
  return {
    OPENAI_BASE_URL: `${baseUrl}/v1`,
    OPENAI_API_BASE: `${baseUrl}/v1`,
    OPENAI_API_KEY: token,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: token,
    // Claude Code sends this one as a Bearer token without asking to approve a custom key.
    ANTHROPIC_AUTH_TOKEN: token,
    GOOGLE_GEMINI_BASE_URL: baseUrl,
    GEMINI_API_KEY: token,
  };
}

/** The parent's environment without credentials, plus the tool's proxy settings. */
export function childEnv(parent: NodeJS.ProcessEnv, tool: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(parent)) if (!isCredentialVar(k)) out[k] = v;
  return { ...out, ...tool };
}

/** Names of the credential variables set in `env` (for `shimmy env`'s `unset` lines). */
export function credentialVarsIn(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((k) => env[k] !== undefined && isCredentialVar(k))
    .sort();
}
