// Cheap text tests that let a reader skip JSON.parse for stream payloads that can only add to
// the output estimate. They must never let through a payload that carries usage or a new
// model: each test errs towards "parse it now", which is always exact.

const QUOTE = 0x22;

/** A `\u` escape could spell a key (`"\u0075sage"`) that a plain substring search misses. */
export function hasUnicodeEscape(payload: string): boolean {
  return payload.includes('\\u');
}

/** Index of the next `"` + `word` at or after `from`, or -1. JSON has a quote every few
 *  characters and a search anchored on one stops at each (measured ~3× slower), so the word is
 *  searched and the quote before it checked. */
function indexOfQuoted(payload: string, word: string, from: number): number {
  for (let i = payload.indexOf(word, from + 1); i !== -1; i = payload.indexOf(word, i + 1)) {
    if (payload.charCodeAt(i - 1) === QUOTE) return i - 1;
  }
  return -1;
}

/** `"` + `word` occurs in `payload` (e.g. word `response"` for the key or value "response"). */
export function includesQuoted(payload: string, word: string): boolean {
  return indexOfQuoted(payload, word, 0) !== -1;
}

/** True when every occurrence of `"` + `word` in `payload` is immediately followed by `next`
 *  (trivially true when there is none); e.g. word `usage"`, next `:null`. */
export function alwaysFollowedBy(payload: string, word: string, next: string): boolean {
  for (let i = indexOfQuoted(payload, word, 0); i !== -1; i = indexOfQuoted(payload, word, i + 1)) {
    if (!payload.startsWith(next, i + 1 + word.length)) return false;
  }
  return true;
}

// The same tests on a run of whole SSE events at once: one regular expression finds the first
// place the tests above would not let through, so every event before it can be kept unparsed in
// one piece. It runs on the events' bytes decoded as latin1 (one character per byte, so offsets
// are byte offsets; every pattern is ASCII, and no byte of a multi-byte character is). Matching
// the events' other lines too (`event:`, `id:`) can only stop a run early: the safe side.

/** Offset of the first match of `re` (global) at or after `from`, or `text.length`. */
export function firstMatch(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : text.length;
}

/** `s` as a literal inside a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
