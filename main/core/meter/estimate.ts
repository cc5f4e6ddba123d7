// Pre-flight estimates of a request body: input tokens (for budget reservations and TPM) and the
// output cap it asks for. Estimates lean high: reserving a little too much is safe, too little
// lets a budget be overshot.
import type { ApiFamily, Endpoint } from '../../../shared/usage.js';
import {
  audioTokens,
  fileTokens,
  imageTokens,
  pdfTokens,
  type AttachmentFamily,
} from './attachment-tokens.js';
import {
  anthropicTokensForText,
  anthropicTokensOfCount,
  CLAUDE_PER_O200K_CODE,
  countOpenAiTokens,
  countOpenAiTokensEach,
  encodingForModel,
  tokenizerLaneBusy,
  tokenUpperBound,
  TOKENIZE_MAX_CHARS,
  type OpenAiEncoding,
} from './token-count.js';
import { cpuTurn } from '../proxy/cpu-turns.js';
import { textOf, UnreadString } from './unread-string.js';
import { field, isObject } from './usage-fields.js';
import { tallyGemini } from './estimate-gemini.js';
import { isClaudeModel } from '../route/bare-model.js';

/** OpenAI chat framing: every message costs 3 tokens (role and separators), a `name` 1 more, and
 *  the reply is primed with 3 (OpenAI cookbook, "How to count tokens with tiktoken"). */
const OPENAI_TOKENS_PER_MESSAGE = 3;
const OPENAI_TOKENS_PER_NAME = 1;
const OPENAI_REPLY_PRIMING = 3;
/** Anthropic's hidden tool-use system prompt is 300-350 tokens when `tools` are given. */
const ANTHROPIC_TOOLS_SYSTEM_TOKENS = 350;
const ANTHROPIC_TOKENS_PER_MESSAGE = 3;
/** Framing of the request itself: Anthropic's token-counting docs count 14 input tokens for the
 *  system "You are a scientist" and one message "Hello, Claude" (~4 + ~4 text tokens, 3 for the
 *  message): 3 more than the parts. */
const ANTHROPIC_TOKENS_PER_REQUEST = 3;

/** Text to tokenize plus tokens already known (framing, images, files), and whose formulas
 *  price images and PDFs (attachment-tokens.ts). */
interface Tally {
  /** Strings, or strings of a big body left in its bytes (decoded one at a time when counted). */
  texts: Array<string | UnreadString>;
  tokens: number;
  /** Whose tokenizer counts the texts (countingFamily): the API's, or Anthropic's for Claude. */
  family: ApiFamily;
  model: string;
}

export function estimateInputTokens(
  family: ApiFamily,
  endpoint: Endpoint,
  body: unknown,
  model: string,
): number {
  const tally = tallyOf(family, endpoint, body, model);
  if (!tally) return 0;
  const encoding = encodingForModel(model);
  return tally.texts.reduce((n: number, t) => n + tokensOf(t, tally.family, encoding), tally.tokens);
}

/** An upper bound on estimateInputTokens that never asks the tokenizer: each text at its UTF-8
 *  bytes (byte-level BPE gives every token at least one byte), Claude's at the factor its count
 *  would be scaled by (the code factor for a text left in the body's bytes, not decoded here);
 *  framing and attachments as counted. A reservation priced with it that fits needs no count
 *  (issue 16: the tokenizer thread is ~40 MB of RSS, loaded only when a limit is close). */
export function estimateInputTokensBound(
  family: ApiFamily,
  endpoint: Endpoint,
  body: unknown,
  model: string,
): number {
  const tally = tallyOf(family, endpoint, body, model);
  if (!tally) return 0;
  let n = tally.tokens;
  for (const t of tally.texts) {
    if (t instanceof UnreadString) n += bytesBound(t, tally.family);
    else if (t.length > 0)
      n += tally.family === 'anthropic' ? anthropicTokensOfCount(t, tokenUpperBound(t)) : tokenUpperBound(t);
  }
  return n;
}

/** Texts above this in total are counted off the event loop (estimateInputTokensSliced). */
const SLICED_TEXT_CHARS = 256 * 1024;
/** A big body's texts go to the tokenizer thread in batches of about this many characters: each
 *  decoded only for its batch, and each batch a few ms of the thread's time at most. */
const BATCH_CHARS = 64 * 1024;

/** As estimateInputTokens, but a request with a lot of text is counted off the event loop: its
 *  texts are decoded a batch at a time and counted on the tokenizer thread's async lane, awaited
 *  (a 20 MB agent context is thousands of texts and seconds of counting; counted synchronously,
 *  even a slice at a time, every other request waited on each count). */
export function estimateInputTokensSliced(
  family: ApiFamily,
  endpoint: Endpoint,
  body: unknown,
  model: string,
): number | Promise<number> {
  const tally = tallyOf(family, endpoint, body, model);
  if (!tally) return 0;
  const encoding = encodingForModel(model);
  let size = 0;
  for (const t of tally.texts) size += t instanceof UnreadString ? t.byteLength : t.length;
  // Anthropic's count is o200k_base's, scaled per text (tokensOf).
  const asked = tally.family === 'anthropic' ? 'o200k_base' : encoding;
  if (size >= SLICED_TEXT_CHARS) return countAwaited(tally, asked, false);
  // A small body counts synchronously (the hot path), unless a big body is being counted: then it
  // goes ahead of the big body's batches instead of holding the event loop for one of its texts.
  if (tokenizerLaneBusy(asked)) return countAwaited(tally, asked, true);
  return tally.texts.reduce((n: number, t) => n + tokensOf(t, tally.family, encoding), tally.tokens);
}

async function countAwaited(tally: Tally, asked: OpenAiEncoding, urgent: boolean): Promise<number> {
  const { family } = tally;
  let n = tally.tokens;
  let batch: Array<string | UnreadString> = [];
  let chars = 0;
  const count = async () => {
    const counts = await countOpenAiTokensEach(batch, asked, urgent);
    batch.forEach((text, i) => {
      n +=
        typeof text === 'string' && family === 'anthropic'
          ? anthropicTokensOfCount(text, counts[i]!)
          : counts[i]!;
    });
    batch = [];
    chars = 0;
  };
  for (const t of tally.texts) {
    const bound = unreadBound(t, family);
    if (bound !== undefined) n += bound;
    else {
      // OpenAI's count needs no text here: a text left in the body's bytes goes to the tokenizer
      // thread as those bytes (token-count.ts). Anthropic's scaling reads the text (mem4).
      const text = t instanceof UnreadString && family === 'anthropic' ? t.value : t;
      batch.push(text);
      chars += typeof text === 'string' ? text.length : text.byteLength;
    }
    if (chars >= BATCH_CHARS) await count();
    // The loop's time is shared with every other big body's sliced work (proxy/cpu-turns.ts).
    else await cpuTurn();
  }
  if (batch.length > 0) await count();
  return n;
}

/** The texts and known tokens of a request body, or null when nothing in it is input. */
function tallyOf(family: ApiFamily, endpoint: Endpoint, body: unknown, model: string): Tally | null {
  if (!isObject(body) || endpoint === 'count_tokens' || endpoint === 'other') return null;
  const tally: Tally = { texts: [], tokens: 0, family: countingFamily(family, model), model };
  switch (endpoint) {
    case 'chat':
      tallyChat(body, tally);
      break;
    case 'completions':
      tallyPromptLike(body.prompt, tally);
      tallyPromptLike(body.suffix, tally);
      break;
    case 'embeddings':
      tallyPromptLike(body.input, tally);
      break;
    case 'images':
      // gpt-image models bill the prompt as text input (DALL·E's per-image price ignores it).
      tallyPromptLike(body.prompt, tally);
      break;
    case 'responses':
      tallyResponses(body, tally);
      break;
    case 'messages':
      tallyMessages(body, tally);
      break;
    case 'generate_content':
      tallyGemini(body, tally, model);
      break;
  }
  return tally;
}

/** A Claude model served through another API (OpenRouter's `anthropic/claude-sonnet-4.5`, Anthropic's
 *  own OpenAI-compatible endpoint, Bedrock's `anthropic.claude-…`) still counts its input with
 *  Claude's tokenizer: up to 1.30× o200k_base's count (token-count.ts). Counted as o200k_base, a
 *  cached prompt of code was reserved at 0.77 of what it billed (openrouter-claude-budget.test.ts). */
function countingFamily(family: ApiFamily, model: string): ApiFamily {
  return family !== 'anthropic' && isClaudeModel(model) ? 'anthropic' : family;
}

/** Whose formulas price the images and files of OpenAI-format content: the model's maker's, which
 *  bills them behind any OpenAI-compatible API. Counted with OpenAI's tiles, a 1,092 × 1,092 image
 *  to Claude through OpenRouter was reserved at 765 tokens and billed 1,590; a 512 × 512 one to
 *  Gemini 3 at 255 and billed 1,120 (openai-route-image-budget.test.ts). */
function attachmentFamily(tally: Tally): AttachmentFamily {
  if (tally.family === 'anthropic') return 'anthropic';
  return /gemini/i.test(tally.model) ? 'gemini' : 'openai';
}

/** A text that was left in the body's bytes and is longer than any text tokenized is counted at
 *  its bytes without being decoded: never fewer than its UTF-8 bytes, never fewer than its tokens. */
function tokensOf(t: string | UnreadString, family: ApiFamily, encoding: OpenAiEncoding): number {
  const bound = unreadBound(t, family);
  if (bound !== undefined) return bound;
  const text = t instanceof UnreadString ? t.value : t;
  return family === 'anthropic' ? anthropicTokensForText(text) : countOpenAiTokens(text, encoding);
}

function unreadBound(t: string | UnreadString, family: ApiFamily): number | undefined {
  if (!(t instanceof UnreadString) || t.byteLength <= TOKENIZE_MAX_CHARS * 3) return undefined;
  return bytesBound(t, family);
}

/** A text left in the body's bytes, bounded without decoding it: its bytes (Claude's at the code
 *  factor its count would be scaled by). */
function bytesBound(t: UnreadString, family: ApiFamily): number {
  return family === 'anthropic' ? Math.ceil(t.byteLength * CLAUDE_PER_O200K_CODE) : t.byteLength;
}

/** A string, a list of strings, or pre-tokenized input (numbers are tokens already). */
function tallyPromptLike(x: unknown, tally: Tally): void {
  if (typeof x === 'string' || x instanceof UnreadString) tally.texts.push(x);
  else if (typeof x === 'number') tally.tokens += 1;
  else if (Array.isArray(x)) for (const item of x) tallyPromptLike(item, tally);
}

function tallyJson(x: unknown, tally: Tally): void {
  if (x !== undefined && x !== null) tally.texts.push(JSON.stringify(x));
}

/** Text, image, audio and file parts of OpenAI chat and Responses content. */
function tallyOpenAiContent(content: unknown, tally: Tally): void {
  if (typeof content === 'string' || content instanceof UnreadString) return void tally.texts.push(content);
  if (!Array.isArray(content)) return tallyJson(content, tally);
  for (const part of content) {
    const type = field(part, 'type');
    const text = field(part, 'text') ?? field(part, 'refusal');
    if (typeof text === 'string' || text instanceof UnreadString) tally.texts.push(text);
    else if (type === 'image_url' || type === 'input_image') {
      // chat: image_url.{url,detail}; Responses: image_url is the URL string, detail beside it.
      const img = field(part, 'image_url');
      const url = textOf(img) ?? textOf(field(img, 'url'));
      const detail = field(img, 'detail') ?? field(part, 'detail');
      tally.tokens += imageTokens(attachmentFamily(tally), tally.model, {
        ...(typeof url === 'string' && url.startsWith('data:') ? { data: url } : {}),
        ...(typeof detail === 'string' ? { detail } : {}),
      });
    } else if (type === 'input_audio') {
      tally.tokens += audioTokens(textOf(field(field(part, 'input_audio'), 'data')));
    } else if (type === 'file' || type === 'input_file') {
      const data = field(part, 'file_data') ?? field(field(part, 'file'), 'file_data');
      tally.tokens += fileTokens(attachmentFamily(tally), tally.model, textOf(data));
    } else tallyJson(part, tally);
  }
}

function tallyChat(body: Record<string, unknown>, tally: Tally): void {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  tally.tokens += OPENAI_REPLY_PRIMING;
  for (const msg of messages) {
    tally.tokens += OPENAI_TOKENS_PER_MESSAGE;
    tallyPromptLike(field(msg, 'role'), tally);
    const name = field(msg, 'name');
    if (typeof name === 'string' || name instanceof UnreadString) {
      tally.texts.push(name);
      tally.tokens += OPENAI_TOKENS_PER_NAME;
    }
    const content = field(msg, 'content');
    if (content !== undefined && content !== null) tallyOpenAiContent(content, tally);
    const calls = field(msg, 'tool_calls');
    if (Array.isArray(calls)) for (const call of calls) tallyJson(field(call, 'function'), tally);
    tallyJson(field(msg, 'function_call'), tally);
  }
  tallyJson(body.tools, tally);
  tallyJson(body.functions, tally);
  tallyJson(body.response_format, tally);
}

/** A Responses request is the chat template underneath: `instructions` a system message, a string
 *  `input` one user message, each framed as a chat message is (3, plus its role: 1), and the reply
 *  primed (3). Counted as bare text they came out below what the provider bills ("hi": 1 for ~8),
 *  under the reservation's "never less than the true count". */
function tallyResponses(body: Record<string, unknown>, tally: Tally): void {
  const instructions = body.instructions;
  if (typeof instructions === 'string' || instructions instanceof UnreadString) {
    tally.tokens += OPENAI_TOKENS_PER_MESSAGE + 1;
    tally.texts.push(instructions);
  }
  tallyJson(body.tools, tally);
  tallyJson(field(body.text, 'format'), tally);
  const input = body.input;
  if (typeof input === 'string' || input instanceof UnreadString) {
    tally.tokens += OPENAI_REPLY_PRIMING + OPENAI_TOKENS_PER_MESSAGE + 1;
    return void tally.texts.push(input);
  }
  if (!Array.isArray(input)) return;
  tally.tokens += OPENAI_REPLY_PRIMING;
  for (const item of input) {
    const type = field(item, 'type');
    if (type === undefined || type === 'message') {
      tally.tokens += OPENAI_TOKENS_PER_MESSAGE;
      tallyPromptLike(field(item, 'role'), tally);
      tallyOpenAiContent(field(item, 'content'), tally);
    } else if (type === 'function_call') {
      tallyPromptLike(field(item, 'name'), tally);
      tallyPromptLike(field(item, 'arguments'), tally);
    } else if (type === 'function_call_output') {
      const output = field(item, 'output');
      if (typeof output === 'string' || output instanceof UnreadString) tally.texts.push(output);
      else tallyOpenAiContent(output, tally);
    } else {
      // reasoning, custom/built-in tool calls and their outputs: their JSON is an upper bound.
      tallyJson(item, tally);
    }
  }
}

function tallyMessages(body: Record<string, unknown>, tally: Tally): void {
  tally.tokens += ANTHROPIC_TOKENS_PER_REQUEST;
  tallyAnthropicContent(body.system, tally);
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    tally.tokens += ANTHROPIC_TOOLS_SYSTEM_TOKENS;
    tallyJson(body.tools, tally);
  }
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const msg of messages) {
    tally.tokens += ANTHROPIC_TOKENS_PER_MESSAGE;
    tallyAnthropicContent(field(msg, 'content'), tally);
  }
}

function tallyAnthropicContent(content: unknown, tally: Tally): void {
  if (typeof content === 'string' || content instanceof UnreadString) return void tally.texts.push(content);
  if (!Array.isArray(content)) return;
  for (const block of content) {
    const type = field(block, 'type');
    if (type === 'text') tallyPromptLike(field(block, 'text'), tally);
    else if (type === 'thinking') tallyPromptLike(field(block, 'thinking'), tally);
    else if (type === 'image') {
      const data = base64Source(field(block, 'source'));
      tally.tokens += imageTokens('anthropic', tally.model, data ? { data } : {});
    } else if (type === 'document') {
      const source = field(block, 'source');
      const kind = field(source, 'type');
      if (kind === 'text') tallyPromptLike(field(source, 'data'), tally);
      else if (kind === 'content') tallyAnthropicContent(field(source, 'content'), tally);
      else tally.tokens += pdfTokens('anthropic', tally.model, base64Source(source));
    } else if (type === 'tool_use') {
      tallyPromptLike(field(block, 'name'), tally);
      tallyJson(field(block, 'input'), tally);
    } else if (type === 'tool_result') {
      tallyAnthropicContent(field(block, 'content'), tally);
    } else tallyJson(block, tally);
  }
}

/** The base64 payload of an Anthropic `source` ({type:'base64', data}); undefined for a URL or file. */
function base64Source(source: unknown): string | undefined {
  return field(source, 'type') === 'base64' ? textOf(field(source, 'data')) : undefined;
}
