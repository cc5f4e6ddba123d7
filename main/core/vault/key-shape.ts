// Is this text a provider key? Checked where a key comes in (`key set`/`key add`, the dashboard,
// both through PUT /api/keys) because a wrong one is otherwise only found on the next request, as
// a 502 that blames the provider. Messages say what is wrong and never repeat the key.
import { z } from 'zod';

/** What keys of a well-known service look like, chosen by the host the key will be sent to (a
 *  preset pointed at a local mock or proxy gets only the generic checks). Minimum lengths are
 *  well under the real ones (OpenAI 51+, Anthropic 100+, Google 39), so only cut-off keys fail. */
const KNOWN_SHAPES: ReadonlyArray<{ host: string; service: string; expected: string; pattern: RegExp }> = [
  { host: 'api.anthropic.com', service: 'Anthropic', expected: 'sk-ant-…', pattern: /^sk-ant-[\w-]{20,}$/ },
  {
    host: 'api.openai.com',
    service: 'OpenAI',
    expected: 'sk-… or sk-proj-…',
    pattern: /^sk-(?!ant-|or-)[\w-]{20,}$/,
  },
  {
    host: 'generativelanguage.googleapis.com',
    service: 'Google',
    expected: 'AIza…',
    pattern: /^AIza[\w-]{30,}$/,
  },
  { host: 'openrouter.ai', service: 'OpenRouter', expected: 'sk-or-…', pattern: /^sk-or-[\w-]{20,}$/ },
  { host: 'api.groq.com', service: 'Groq', expected: 'gsk_…', pattern: /^gsk_\w{20,}$/ },
  { host: 'api.x.ai', service: 'xAI', expected: 'xai-…', pattern: /^xai-[\w-]{20,}$/ },
  { host: 'api.deepseek.com', service: 'DeepSeek', expected: 'sk-…', pattern: /^sk-\w{20,}$/ },
  { host: 'api.perplexity.ai', service: 'Perplexity', expected: 'pplx-…', pattern: /^pplx-\w{20,}$/ },
];

const lines = (s: string) => s.split(/\r\n|\r|\n/).length;

/** What no key can be, whatever the provider: `--force` does not skip these. A header value
 *  cannot hold a line break, and a masked key or a sentence is never a key. */
const AnyKeySchema = z
  .string()
  .min(1, 'No key given')
  .refine((s) => !/[\r\n]/.test(s), {
    abort: true,
    error: (iss) =>
      `The key is ${lines(String(iss.input))} lines; a key is one line (was something pasted with it?)`,
  })
  .refine((s) => !/…|\.\.\.|\*{2,}|[•●·]|x{6,}/i.test(s), {
    abort: true,
    message:
      'This is a masked key (the way `key list` and dashboards show one, like sk-…abcd), not the key itself: copy the whole key from the provider',
  })
  .refine((s) => !/^bearer\s/i.test(s), {
    abort: true,
    message: 'Paste the key without "Bearer " in front of it',
  })
  .refine((s) => !/\s/.test(s), {
    abort: true,
    message: 'The key contains spaces: paste only the key, not text around it',
  })
  .refine((s) => /^[\x21-\x7e]+$/.test(s), {
    abort: true,
    message: 'The key contains a character no API key has (non-ASCII or a control character)',
  })
  .max(4096, 'This is longer than any API key (over 4,096 characters)');

/** Unusual but possible: `--force` stores it anyway. */
const LikelyKeySchema = z
  .string()
  .refine((s) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(s), {
    abort: true,
    message: 'This looks like a variable assignment (NAME=…): paste only the value after "="',
  })
  .refine((s) => !/^["'`]|["'`]$/.test(s), { message: 'Paste the key without quotes around it' });

export type KeyCheck = { ok: true } | { ok: false; message: string; forceable: boolean };

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Checks a key given for a provider whose base URL is `baseUrl`. With `force`, only what no key
 *  can be is refused. */
export function checkKeyShape(key: string, baseUrl: string, force = false): KeyCheck {
  const any = AnyKeySchema.safeParse(key);
  if (!any.success) return { ok: false, message: any.error.issues[0]!.message, forceable: false };
  if (force) return { ok: true };
  const likely = LikelyKeySchema.safeParse(key);
  if (!likely.success) return { ok: false, message: likely.error.issues[0]!.message, forceable: true };
  const shape = KNOWN_SHAPES.find((s) => s.host === hostOf(baseUrl));
  if (!shape || shape.pattern.test(key)) return { ok: true };
  // Another service's key given to this one is the likeliest mistake: say whose it looks like.
  const other = KNOWN_SHAPES.find((s) => s.service !== shape.service && s.pattern.test(key));
  const why = other
    ? `it looks like ${/^[AEIOU]/.test(other.service) ? 'an' : 'a'} ${other.service} key (${other.expected})`
    : `${shape.service} keys look like ${shape.expected} (letters, digits, - and _; ${key.length} characters given)`;
  return {
    ok: false,
    message: `This does not look like ${/^[AEIOU]/.test(shape.service) ? 'an' : 'a'} ${shape.service} key: ${why}`,
    forceable: true,
  };
}
