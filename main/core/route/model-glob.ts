// Model-name globs (route rules, tool allowlists), case-insensitive like the providers' own names.
// Compiled once per pattern: they are matched on every request.
import picomatch from 'picomatch';

const compiled = new Map<string, (name: string) => boolean>();

export function matchesModelGlob(pattern: string, name: string): boolean {
  let m = compiled.get(pattern);
  if (!m) compiled.set(pattern, (m = picomatch(pattern, { nocase: true })));
  return m(name);
}
