// The container image builds the core inside Docker from what the Dockerfile copies in: a script
// `npm run build:core` runs that imports a file left out fails the image build, and no Docker
// engine runs here or in CI to show it (README, "What was verified where"). So the copies are
// checked against the scripts' own imports, followed file to file.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

/** The sources of the build stage's COPY lines (the stage that runs the build), as repo paths. */
function buildStageCopies(dockerfile: string): string[] {
  const stage = dockerfile.split(/^FROM /m)[1] ?? '';
  const sources: string[] = [];
  for (const line of stage.split('\n')) {
    const m = /^COPY\s+(?!--from)(.+)$/.exec(line.trim());
    if (!m) continue;
    const words = m[1]!.trim().split(/\s+/);
    sources.push(...words.slice(0, -1));
  }
  return sources;
}

/** `file` and every file it imports by a relative path, transitively. */
function withImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(root, file), 'utf8');
  for (const m of text.matchAll(/^\s*import\s[^'"]*['"](\.\.?\/[^'"]+)['"]/gm))
    withImports(relative(root, join(root, dirname(file), m[1]!)), seen);
  return seen;
}

describe('Dockerfile', () => {
  it("copies every file the build stage's build scripts import", () => {
    const copies = buildStageCopies(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    const covered = (file: string) =>
      copies.some((src) => src === file || file.startsWith(`${src}/`) || picomatch(src)(file));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const scripts = [...pkg.scripts['build:core']!.matchAll(/node (scripts\/\S+\.mjs)/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const needed = [...new Set(scripts.flatMap((s) => [...withImports(s)]))];
    expect(needed.filter((f) => !covered(f))).toEqual([]);
  });
});
