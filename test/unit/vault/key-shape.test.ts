// What `key set`, `key add` and the dashboard refuse before anything reaches the keychain. The
// keys below are made up but shaped like the real ones (OpenAI: sk-proj-/sk-, Anthropic:
// sk-ant-api03-, Google: AIza + 35, per each provider's key pages, 2026-11).
import { describe, expect, it } from 'vitest';
import { checkKeyShape } from '../../../main/core/vault/key-shape.js';

const OPENAI = 'https://api.openai.com/v1';
const ANTHROPIC = 'https://api.anthropic.com';
const GOOGLE = 'https://generativelanguage.googleapis.com';
const LOCAL = 'http://127.0.0.1:11434/v1';

const openaiKey = 'sk-proj-Zq3R8vK1mW5tY2uP9sL4aD7fG0hJ6kX3cV8bN1mQ5wE2rT9yU4iO7pA0sD3fG6hJe1f2';
const legacyOpenaiKey = 'sk-Zq3R8vK1mW5tY2uP9sL4aD7fG0hJ6kX3cV8bN1mQ5wE2rT9';
const anthropicKey = 'sk-ant-api03-Zq3R8vK1mW5tY2uP9sL4aD7fG0hJ6kX3cV8bN1mQ5wE2rT9yU4iO7pA0-sD3fG6hJAA';
const googleKey = 'AIzaSyZq3R8vK1mW5tY2uP9sL4aD7fG0hJ6kX3c';

const refused = (key: string, url = OPENAI, force = false) => {
  const r = checkKeyShape(key, url, force);
  if (r.ok) throw new Error(`expected a refusal for a key of ${key.length} characters`);
  // Never the key, nor a recognisable piece of it, in the message.
  expect(r.message).not.toContain(key);
  if (key.length > 12) expect(r.message).not.toContain(key.slice(8, 20));
  return r;
};

describe('checkKeyShape', () => {
  it('accepts the keys each preset issues, and anything one-line at an unknown host', () => {
    expect(checkKeyShape(openaiKey, OPENAI)).toEqual({ ok: true });
    expect(checkKeyShape(legacyOpenaiKey, OPENAI)).toEqual({ ok: true });
    expect(checkKeyShape(anthropicKey, ANTHROPIC)).toEqual({ ok: true });
    expect(checkKeyShape(googleKey, GOOGLE)).toEqual({ ok: true });
    expect(checkKeyShape('lm-studio', LOCAL)).toEqual({ ok: true });
    expect(checkKeyShape('gsk_Zq3R8vK1mW5tY2uP9sL4aD7fG0hJ6kX3', 'https://api.groq.com/openai/v1')).toEqual({
      ok: true,
    });
  });

  it('refuses multi-line input, whatever the provider and even with --force', () => {
    const r = refused(`${openaiKey}\n${openaiKey}`, OPENAI, true);
    expect(r).toMatchObject({ forceable: false });
    expect(r.message).toMatch(/2 lines/);
    expect(refused(`${openaiKey}\r\nexport FOO=1`, LOCAL).message).toMatch(/2 lines/);
  });

  it('refuses a masked key pasted back', () => {
    for (const masked of ['sk-…e1f2', 'sk-...e1f2', '****', 'sk-proj-********************e1f2', '••••e1f2'])
      expect(refused(masked, OPENAI, true).message).toMatch(/masked/);
    expect(refused('sk-…e1f2', LOCAL).message).toMatch(/masked/);
  });

  it('refuses prose and text around the key', () => {
    expect(refused(`my key is ${openaiKey}`).message).toMatch(/spaces/);
    expect(refused(`Bearer ${openaiKey}`).message).toMatch(/Bearer/);
    expect(refused(`OPENAI_API_KEY=${openaiKey}`)).toMatchObject({ forceable: true });
    expect(refused(`"${openaiKey}"`).message).toMatch(/quotes/);
    expect(refused(`${openaiKey.slice(0, 20)}é${openaiKey.slice(20)}`, LOCAL).message).toMatch(/non-ASCII/);
  });

  it('refuses a key not shaped like the service it goes to, saying whose it looks like; --force stores it', () => {
    const r = refused(anthropicKey, OPENAI);
    expect(r).toMatchObject({ forceable: true });
    expect(r.message).toMatch(/not look like an OpenAI key: it looks like an Anthropic key/);
    expect(refused(openaiKey, ANTHROPIC).message).toMatch(/an Anthropic key: it looks like an OpenAI key/);
    expect(refused(openaiKey, GOOGLE).message).toMatch(/a Google key: it looks like an OpenAI key/);
    expect(refused('ya29_Zq3R8vK1mW5tY2uP9sL4aD7fG0hJ6kX3c', GOOGLE).message).toMatch(
      /Google keys look like AIza/,
    );
    // Cut off while copying.
    expect(refused('sk-proj-Zq3R8', OPENAI).message).toMatch(/sk-… or sk-proj-…/);
    expect(checkKeyShape(anthropicKey, OPENAI, true)).toEqual({ ok: true });
  });
});
