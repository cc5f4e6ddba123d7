// Which tagged texts a heap holds: a snapshot of this process's heap (v8.getHeapSnapshot) searched
// for `${tag}N z`-style marks. Strings cannot be watched by a WeakRef, so whether a text is still
// kept is asked of the heap itself; the caller takes a full GC first and keeps a control text of
// its own, which the search must find (issue 16: what an open stream keeps).
import { getHeapSnapshot } from 'node:v8';

/** The N of every `${tag}Nz` the heap holds. */
export async function textsInHeap(tag: string): Promise<Set<string>> {
  const found = new Set<string>();
  const pattern = new RegExp(`${tag}(\\d+)z`, 'g');
  let carry = '';
  const snapshot = getHeapSnapshot();
  snapshot.setEncoding('utf8');
  for await (const chunk of snapshot) {
    const text = carry + (chunk as string);
    for (const m of text.matchAll(pattern)) found.add(m[1]!);
    carry = text.slice(-64);
  }
  return found;
}
