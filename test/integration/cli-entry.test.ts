// bin/shimmy.js is CommonJS (bin/package.json). As an ES module entry it made Node set up its ESM
// loader for every `shimmy` start — module jobs, translators, a module wrapper per builtin it
// imported — ~20 ms of CPU and ~165 page faults on the bench VM before the bundle (which is
// CommonJS) even began to load (issue 16). Runs the built CLI (`npm run build:core`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from '../support/cli-process.js';

const bin = fileURLToPath(new URL('../../bin/shimmy.js', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-cli-entry-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('the shimmy CLI entry', () => {
  it('runs a command without loading anything through the ESM loader', async () => {
    // Preloaded (CommonJS, so it needs no ESM loader either): which of the loader's parts that only
    // an ES module's load needs were loaded by the time the process exits.
    const probe = path.join(dir, 'probe.cjs');
    await fs.writeFile(
      probe,
      `process.on('exit', () => require('node:fs').writeSync(2, '\\nESM:' + JSON.stringify(process.moduleLoadList.filter((m) => /esm\\/(module_job|translators)$/.test(m)))));`,
    );
    const out = spawnSync(process.execPath, ['-r', probe, bin, '--help'], {
      env: cliEnv().env,
      encoding: 'utf8',
    });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('Usage: shimmy');
    expect(out.stderr.split('\nESM:')[1]).toBe('[]');
  });
});
