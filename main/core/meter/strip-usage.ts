// Undo Shimmy's own `stream_options.include_usage` on a chat stream whose client did not ask for
// it: the client must see byte for byte what the provider would have sent without the option.
import { field, isObject } from './usage-fields.js';

/** The extra chunk include_usage adds: `choices: []` with a non-null `usage`. */
export function isUsageOnlyChunk(chunk: unknown): boolean {
  const choices = field(chunk, 'choices');
  return Array.isArray(choices) && choices.length === 0 && isObject(field(chunk, 'usage'));
}

const WS = new Set([' ', '\t', '\n', '\r']);

function skipWs(s: string, i: number): number {
  while (i < s.length && WS.has(s[i] ?? '')) i++;
  return i;
}

/** Removes `"key":null` (and the comma that separated it) from the top-level object of a JSON
 *  text, leaving every other byte untouched. Scans string-aware so the same characters inside a
 *  string value or a nested object are never touched. Returns the text unchanged if absent. */
export function removeTopLevelNullField(json: string, key: string): string {
  const quotedKey = JSON.stringify(key);
  let depth = 0;
  let inString = false;
  // Index of the last top-level `{` or `,` outside strings: where the key's member begins.
  let memberStart = -1;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      if (
        depth === 1 &&
        memberStart >= 0 &&
        skipWs(json, memberStart + 1) === i &&
        json.startsWith(quotedKey, i)
      ) {
        const afterKey = skipWs(json, i + quotedKey.length);
        if (json[afterKey] === ':') {
          const valueAt = skipWs(json, afterKey + 1);
          const afterValue = skipWs(json, valueAt + 4);
          if (json.startsWith('null', valueAt) && (json[afterValue] === ',' || json[afterValue] === '}')) {
            if (json[memberStart] === ',') {
              // `…,"usage":null` → drop from the separating comma to the end of `null`.
              return json.slice(0, memberStart) + json.slice(valueAt + 4);
            }
            // First member: `{"usage":null, …` → drop through the following comma and spaces.
            const cut = json[afterValue] === ',' ? skipWs(json, afterValue + 1) : valueAt + 4;
            return json.slice(0, memberStart + 1) + json.slice(cut);
          }
        }
      }
      inString = true;
      continue;
    }
    if (c === '{' || c === '[') {
      depth++;
      if (depth === 1 && c === '{') memberStart = i;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) memberStart = i;
  }
  return json;
}
