// The CLI reads instance.json without zod (main/cli/read-instance.ts); the core writes it and
// checks it with a schema (main/core/instance-file.ts). Both must agree on every file: the same
// file name, the same fields, the same files refused.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceFile, readInstanceFile, writeInstanceFile } from '../../../main/core/instance-file.js';
import { INSTANCE_FILE, readInstance } from '../../../main/cli/read-instance.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-read-instance-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('readInstance (CLI) against readInstanceFile (core)', () => {
  it('names the same file and reads what the core writes', async () => {
    expect(instanceFile(dir)).toBe(path.join(dir, INSTANCE_FILE));
    const info = { url: 'http://127.0.0.1:8787', secret: 's3cret', pid: 4242 };
    await writeInstanceFile(dir, info);
    expect(await readInstance(dir)).toEqual(info);
    expect(await readInstance(dir)).toEqual(await readInstanceFile(dir));
  });

  it.each([
    ['extra fields', '{"url":"http://x","secret":"s","pid":1,"more":true}'],
    ['no secret', '{"url":"http://x","pid":1}'],
    ['a number for the url', '{"url":1,"secret":"s","pid":1}'],
    ['a fractional pid', '{"url":"http://x","secret":"s","pid":1.5}'],
    ['a pid as a string', '{"url":"http://x","secret":"s","pid":"1"}'],
    ['null', 'null'],
    ['an array', '[]'],
    ['not JSON', '{"url":'],
  ])('agrees with the core on a file with %s', async (_, text) => {
    await fs.writeFile(instanceFile(dir), text);
    expect(await readInstance(dir)).toEqual(await readInstanceFile(dir));
  });

  it('agrees with the core on a missing file', async () => {
    const none = path.join(dir, 'none');
    expect(await readInstance(none)).toBeUndefined();
    expect(await readInstanceFile(none)).toBeUndefined();
  });
});
