// A unified diff of two small texts (config files), for showing a change before it is written.
// No diff library is installed in this project; config files are small, so a plain LCS table
// (bounded below) is enough.

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function ops(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS)
    return [
      ...a.map((line) => ({ kind: '-' as const, line })),
      ...b.map((line) => ({ kind: '+' as const, line })),
    ];
  // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: ' ', line: a[i++]! });
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ kind: '+', line: b[j++]! });
    } else out.push({ kind: '-', line: a[i++]! });
  }
  return out;
}

const split = (t: string) => (t === '' ? [] : t.replace(/\r?\n$/, '').split(/\r?\n/));

/** `--- a` / `+++ b` and hunks with 3 lines of context; '' when the texts are equal. */
export function unifiedDiff(before: string, after: string, name: string, existed = true): string {
  if (before === after) return '';
  const all = ops(split(before), split(after));
  const out = [`--- ${existed ? name : '/dev/null'}`, `+++ ${name}`];
  let k = 0;
  while (k < all.length) {
    if (all[k]!.kind === ' ') {
      k++;
      continue;
    }
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change that
    // is at most 2×CONTEXT unchanged lines away.
    let end = k;
    for (let m = k; m < all.length; m++) {
      if (all[m]!.kind !== ' ') end = m;
      else if (m - end > 2 * CONTEXT) break;
    }
    const from = Math.max(0, k - CONTEXT);
    const to = Math.min(all.length, end + CONTEXT + 1);
    const slice = all.slice(from, to);
    const aStart = all.slice(0, from).filter((o) => o.kind !== '+').length;
    const bStart = all.slice(0, from).filter((o) => o.kind !== '-').length;
    const aLen = slice.filter((o) => o.kind !== '+').length;
    const bLen = slice.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const o of slice) out.push(o.kind + o.line);
    k = to;
  }
  return out.join('\n') + '\n';
}
