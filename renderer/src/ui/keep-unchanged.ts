// Structural sharing: a new value with every part that is deep-equal to the previous value replaced
// by that previous part. Pushed updates then keep the identity of what did not change, so memoized
// components (shallow prop compare) skip re-rendering it.

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

function share(prev: unknown, next: unknown): unknown {
  if (Object.is(prev, next)) return prev;
  if (Array.isArray(prev) && Array.isArray(next)) {
    const out = next.map((v, i) => share(prev[i], v));
    return out.length === prev.length && out.every((v, i) => v === prev[i]) ? prev : out;
  }
  if (isPlain(prev) && isPlain(next)) {
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(prev).length;
    const out: Plain = {};
    for (const k of keys) {
      out[k] = share(prev[k], next[k]);
      if (out[k] !== prev[k] || !(k in prev)) same = false;
    }
    return same ? prev : out;
  }
  return next;
}

export function keepUnchanged<T>(prev: T | undefined, next: T): T {
  return prev === undefined ? next : (share(prev, next) as T);
}
