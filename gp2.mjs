import { waitForUpdate, calcPrice, findProvider } from '@pydantic/genai-prices';
const ps = await waitForUpdate();
const cases = [['mistral','mistral-large-latest'],['anthropic','claude-opus-4-6'],['anthropic','claude-opus-4-5'],['anthropic','claude-haiku-4-5'],['anthropic','claude-sonnet-4-5-20250929'],['anthropic','claude-sonnet-4-5'],['openai','o3-pro'],['openai','o3'],['openai','gpt-5-pro'],['openai','gpt-5-2025-08-07'],['openai','gpt-5'],['openai','gpt-5.1'],['openai','gpt-4o-mini'],['openai','gpt-4o-mini-2024-07-18'],['openai','gpt-4o-mini-transcribe'],['openai','whisper-1'],['openai','tts-1'],['openai','gpt-image-1'],['openai','dall-e-3'],['openai','text-embedding-3-small'],['openai','gpt-4o-audio-preview'],['openai','gpt-realtime'],['google','gemini-2.5-pro'],['google','gemini-2.5-flash'],['x-ai','grok-4'],['x-ai','grok-4-fast-reasoning'],['deepseek','deepseek-chat'],['deepseek','deepseek-reasoner'],['openrouter','anthropic/claude-sonnet-4.5'],['openai','gpt-5-codex'],['openai','gpt-5.4'],['anthropic','claude-opus-4-1-20250805'],['openai','gpt-4.1'],['openai','gpt-5-mini-2025-08-07']];
for (const [pid, m] of cases) {
  const r = calcPrice({input_tokens:1000000, output_tokens:1000000}, m, {providerId: pid});
  console.log(pid, m, '->', r ? `${r.model.id} ctx=${r.model.context_window} ${JSON.stringify(r.model.match)} ${JSON.stringify(r.model_price)}` : 'NULL');
}
