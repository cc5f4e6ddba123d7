// Each reader's test for where stream events stop being deferrable (see UsageReader.firstSignificantByte):
// one regular expression per reader, run on events' bytes decoded as latin1 (one character per
// byte, so offsets are byte offsets; every pattern is ASCII, and no byte of a multi-byte character
// is). It must never let through an event that carries usage or a new model; matching more than
// that (other lines of the event, a word outside JSON keys) only costs a JSON.parse.

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
