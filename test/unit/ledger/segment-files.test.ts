import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  findLineStartingWith,
  readLineAt,
  readLinesBackward,
  segmentOf,
} from '../../../main/core/ledger/segment-files.js';
import { csvField, usdText } from '../../../main/core/ledger/export.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

it('reads lines backward across chunk boundaries, with their offsets', async () => {
  const file = join(dir, 's.jsonl');
  const lines = ['alpha', '', 'b', 'a much longer line than any chunk', 'zz'];
  await writeFile(file, lines.map((l) => `${l}\n`).join(''));
  for (const chunk of [1, 2, 3, 7, 1024]) {
    const got = [...readLinesBackward(file, 46, chunk)].map((x) => [x.offset, x.line.toString()]);
    expect(got).toEqual([
      [43, 'zz'],
      [9, 'a much longer line than any chunk'],
      [7, 'b'],
      [6, ''],
      [0, 'alpha'],
    ]);
  }
  // An end inside the file stops at the line boundary given.
  expect([...readLinesBackward(file, 9, 2)].map((x) => x.line.toString())).toEqual(['b', '', 'alpha']);
  expect([...readLinesBackward(join(dir, 'missing'), 10)]).toEqual([]);
  expect(readLineAt(file, 9)?.toString()).toBe('a much longer line than any chunk');
});

it('finds the last line with a prefix by bulk search, across chunk boundaries', async () => {
  const file = join(dir, 's.jsonl');
  // Offsets: 0, 12, 24, 36; 48 bytes.
  await writeFile(file, '{"id":"a",}\n{"id":"b",}\n{"id":"a",}\n{"id":"ab"}\n');
  for (const chunk of [1, 3, 5, 11, 4096]) {
    expect(findLineStartingWith(file, 48, Buffer.from('{"id":"a",'), chunk)).toBe(24);
    expect(findLineStartingWith(file, 24, Buffer.from('{"id":"a",'), chunk)).toBe(0);
    expect(findLineStartingWith(file, 48, Buffer.from('{"id":"b",'), chunk)).toBe(12);
    expect(findLineStartingWith(file, 48, Buffer.from('{"id":"c",'), chunk)).toBeUndefined();
  }
  expect(findLineStartingWith(join(dir, 'missing'), 10, Buffer.from('x'))).toBeUndefined();
});

it('names segments by the UTC day of the record time', () => {
  expect(segmentOf('2024-05-01T23:59:59.999Z')).toBe('2024-05-01.jsonl');
  expect(segmentOf('2024-05-02T01:00:00+02:00')).toBe('2024-05-01.jsonl');
});

it('quotes CSV fields by RFC 4180 and prints USD without exponents', () => {
  expect(csvField('plain', true)).toBe('plain');
  expect(csvField('a,b', true)).toBe('"a,b"');
  expect(csvField('say "hi"', true)).toBe('"say ""hi"""');
  expect(csvField('two\nlines', true)).toBe('"two\nlines"');
  expect(csvField('-1+1', true)).toBe("'-1+1");
  expect(csvField(-1)).toBe('-1');
  expect(csvField(null)).toBe('');
  expect(usdText(1e-10)).toBe('0.0000000001');
  expect(usdText(12.5)).toBe('12.5');
  expect(usdText(3)).toBe('3');
  expect(usdText(100)).toBe('100');
  expect(usdText(0)).toBe('0');
  expect(usdText(null)).toBe('');
});
