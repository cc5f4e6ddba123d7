import { waitForUpdate } from '@pydantic/genai-prices';
const ps = await waitForUpdate();
for (const p of ps) if (['anthropic','openai','google','x-ai','deepseek','mistral'].includes(p.id)) {
  console.log('##', p.id, JSON.stringify(p.model_match), JSON.stringify(p.provider_match));
  for (const m of p.models) { const s = JSON.stringify(m.match); if (/starts_with|contains|regex/.test(s)) console.log('  ', m.id, s); }
}
