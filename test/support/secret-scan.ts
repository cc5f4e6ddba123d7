// Secret hygiene checks: finds any secret, as raw bytes (and base64), in files or captured text.
import fs from 'node:fs/promises';
import path from 'node:path';

export interface Haystack {
  label: string;
  bytes: Buffer;
}

export interface NamedSecret {
  name: string;
  value: string;
}

/** Every regular file under dir, recursively, as bytes. */
export async function readTree(dir: string): Promise<Haystack[]> {
  const out: Haystack[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ label: path.relative(dir, file), bytes: await fs.readFile(file) });
  }
  return out;
}

/** "<secret> in <where>" for each leak, so a failing assertion says exactly what leaked where. */
export function findLeaks(haystacks: Haystack[], secrets: NamedSecret[]): string[] {
  const leaks: string[] = [];
  for (const s of secrets) {
    const needles = [
      Buffer.from(s.value, 'utf8'),
      Buffer.from(Buffer.from(s.value, 'utf8').toString('base64'), 'utf8'),
    ];
    for (const h of haystacks)
      if (needles.some((n) => h.bytes.includes(n))) leaks.push(`${s.name} in ${h.label}`);
  }
  return leaks;
}
