// Expected token counts are worked out by hand from the o200k_base / cl100k_base vocabularies:
// "user" 1, "system" 1, "Hello world" 2, "You are terse." 4, "Héllo 世界 🎉" 6 (o200k) / 10 (cl100k).
import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from '../../../main/core/meter/index.js';

describe('estimateInputTokens (OpenAI family)', () => {
  it('chat: text plus 3 per message, 1 per name and 3 for reply priming', () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', name: 'ann', content: 'Hello world' },
      ],
    };
    // priming 3 + (3 + "system" 1 + 4) + (3 + "user" 1 + "ann" 1 + name 1 + 2) = 19
    expect(estimateInputTokens('openai', 'chat', body, 'gpt-4o')).toBe(19);
  });

  it('chooses cl100k_base for older models and o200k_base for new ones', () => {
    const body = { messages: [{ role: 'user', content: 'Héllo 世界 🎉' }] };
    // 3 + 3 + "user" 1 + text
    expect(estimateInputTokens('openai', 'chat', body, 'gpt-4o-mini')).toBe(7 + 6);
    expect(estimateInputTokens('openai', 'chat', body, 'gpt-3.5-turbo')).toBe(7 + 10);
    expect(estimateInputTokens('openai', 'chat', body, 'openai/gpt-4-turbo')).toBe(7 + 10);
  });

  it("an image whose size cannot be read gets the tile rule's worst case, not a flat 765", () => {
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hello world' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    };
    // The PNG is cut before its size: 85 + 8 tiles × 170 = 1,445 (2,048 × 768 after scaling).
    expect(estimateInputTokens('openai', 'chat', body, 'gpt-4.1')).toBe(3 + 3 + 1 + 2 + 1445);
  });

  it('responses: instructions and input string; embeddings: strings and token arrays', () => {
    expect(
      estimateInputTokens(
        'openai',
        'responses',
        { instructions: 'You are terse.', input: 'Hello world' },
        'gpt-5',
      ),
      // The chat template underneath: priming 3 + (3 + system role 1 + 4) + (3 + user role 1 + 2)
    ).toBe(17);
    // An input list counts its roles as chat does: 3 + (3 + "user" 1 + 2)
    expect(
      estimateInputTokens(
        'openai',
        'responses',
        { input: [{ role: 'user', content: 'Hello world' }] },
        'gpt-5',
      ),
    ).toBe(9);
    expect(
      estimateInputTokens(
        'openai',
        'embeddings',
        { input: ['Hello world', 'You are terse.'] },
        'text-embedding-3-small',
      ),
    ).toBe(6);
    expect(
      estimateInputTokens('openai', 'embeddings', { input: [[1, 2, 3], [4]] }, 'text-embedding-3-small'),
    ).toBe(4);
    expect(
      estimateInputTokens('openai', 'completions', { prompt: 'Hello world' }, 'gpt-3.5-turbo-instruct'),
    ).toBe(2);
  });

  it('text that looks like a special token is counted, not rejected', () => {
    expect(estimateInputTokens('openai', 'embeddings', { input: '<|endoftext|>' }, 'gpt-4o')).toBe(7);
  });

  it('count_tokens, other and non-object bodies estimate 0', () => {
    expect(
      estimateInputTokens(
        'anthropic',
        'count_tokens',
        { messages: [{ role: 'user', content: 'x' }] },
        'claude-sonnet-4-5',
      ),
    ).toBe(0);
    expect(estimateInputTokens('openai', 'other', { input: 'x' }, 'gpt-4o')).toBe(0);
    expect(estimateInputTokens('openai', 'chat', null, 'gpt-4o')).toBe(0);
  });
});

describe('estimateInputTokens (Anthropic family: o200k_base × 1.16 for prose, × 1.3 for code)', () => {
  it('system + messages', () => {
    const body = { system: 'You are terse.', messages: [{ role: 'user', content: 'Hi there!' }] };
    // o200k: "You are terse." 4, "Hi there!" 3 → ceil(4 × 1.16) + ceil(3 × 1.16) = 5 + 4, plus 3
    // for the message and 3 for the request. (chars / 3.5 said 7 + 3.)
    expect(estimateInputTokens('anthropic', 'messages', body, 'claude-sonnet-4-5')).toBe(15);
  });

  it('image blocks of unknown size get the 1,590-token maximum, tools their JSON (as code) and the 350-token tool prompt', () => {
    const tools = [{ name: 'f', input_schema: { type: 'object' } }];
    const body = {
      tools,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'text', text: 'Hi there!' },
          ],
        },
      ],
    };
    // `[{"name":"f","input_schema":{"type":"object"}}]` is 47 characters.
    expect(JSON.stringify(tools)).toHaveLength(47);
    // The JSON is 14 o200k tokens, code-like → ceil(14 × 1.3) = 19; "Hi there!" ceil(3 × 1.16) = 4;
    // the cut PNG has no size → 1092 × 1092 / 750 = 1,589.95 → 1,590.
    // 3 (request) + 350 + 1590 + 3 + 19 + 4 = 1969
    expect(estimateInputTokens('anthropic', 'messages', body, 'claude-sonnet-4-5')).toBe(1969);
  });
});
