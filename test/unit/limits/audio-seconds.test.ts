// The seconds of a WAV are what its samples hold, whatever its chunk sizes claim (audio-seconds.ts).
import { describe, expect, it } from 'vitest';
import { wavSeconds } from '../../../main/core/limits/audio-seconds.js';

/** A WAV of `dataBytes` of samples; each field can be written as a client might lie about it. */
function wav(o: {
  dataBytes: number;
  rate?: number;
  channels?: number;
  bits?: number;
  format?: number;
  blockAlign?: number;
  declaredData?: number;
  before?: Buffer;
  after?: Buffer;
  extensible?: number;
}): Uint8Array {
  const { rate = 16_000, channels = 1, bits = 16, format = 1 } = o;
  const fmtSize = o.extensible === undefined ? 16 : 40;
  const fmt = Buffer.alloc(8 + fmtSize);
  fmt.write('fmt ', 0);
  fmt.writeUInt32LE(fmtSize, 4);
  fmt.writeUInt16LE(o.extensible === undefined ? format : 0xfffe, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * channels * (bits / 8), 16);
  fmt.writeUInt16LE(o.blockAlign ?? channels * (bits / 8), 20);
  fmt.writeUInt16LE(bits, 22);
  if (o.extensible !== undefined) {
    fmt.writeUInt16LE(22, 24);
    fmt.writeUInt16LE(o.extensible, 32);
  }
  const data = Buffer.alloc(8 + o.dataBytes);
  data.write('data', 0);
  data.writeUInt32LE(o.declaredData ?? o.dataBytes, 4);
  const body = Buffer.concat([
    Buffer.from('WAVE'),
    o.before ?? Buffer.alloc(0),
    fmt,
    data,
    o.after ?? Buffer.alloc(0),
  ]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0);
  riff.writeUInt32LE(body.length, 4);
  return new Uint8Array(Buffer.concat([riff, body]));
}

describe('wavSeconds', () => {
  it('reads a PCM WAV: 60 s of 16 kHz mono 16-bit', () => {
    expect(wavSeconds(wav({ dataBytes: 32_000 * 60 }))).toBe(60);
  });

  it('rounds a part second up', () => {
    expect(wavSeconds(wav({ dataBytes: 32_000 * 60 + 2 }))).toBe(61);
  });

  it('counts every byte after the data chunk, whatever size it declares', () => {
    // A header that says 0.5 s (16,000 bytes) in front of 60 s of samples.
    expect(wavSeconds(wav({ dataBytes: 32_000 * 60, declaredData: 16_000 }))).toBe(60);
  });

  it('skips chunks before the format (LIST, odd-sized with its pad byte)', () => {
    const list = Buffer.alloc(8 + 5 + 1);
    list.write('LIST', 0);
    list.writeUInt32LE(5, 4);
    expect(wavSeconds(wav({ dataBytes: 32_000 * 10, before: list }))).toBe(10);
  });

  it('reads stereo 48 kHz 24-bit, float and WAVE_FORMAT_EXTENSIBLE PCM', () => {
    expect(wavSeconds(wav({ dataBytes: 288_000 * 3, rate: 48_000, channels: 2, bits: 24 }))).toBe(3);
    expect(wavSeconds(wav({ dataBytes: 64_000 * 2, bits: 32, format: 3 }))).toBe(2);
    expect(wavSeconds(wav({ dataBytes: 32_000 * 4, extensible: 1 }))).toBe(4);
  });

  it('leaves a codec, a block size that disagrees with the samples, and other files unread', () => {
    expect(wavSeconds(wav({ dataBytes: 1_000, format: 0x55 }))).toBeUndefined(); // MP3 in WAV
    expect(wavSeconds(wav({ dataBytes: 1_000, extensible: 0x55 }))).toBeUndefined();
    expect(wavSeconds(wav({ dataBytes: 1_000, blockAlign: 20 }))).toBeUndefined();
    expect(wavSeconds(wav({ dataBytes: 1_000, rate: 0 }))).toBeUndefined();
    expect(wavSeconds(new Uint8Array(40_000))).toBeUndefined();
    expect(wavSeconds(new TextEncoder().encode('ID3\u0004\u0000 an mp3'))).toBeUndefined();
  });

  it('leaves a file with two format chunks, or a format chunk past its end, unread', () => {
    const twice = wav({ dataBytes: 1_000 });
    const fmt = Buffer.from(twice.subarray(12, 36));
    const doubled = Buffer.concat([Buffer.from(twice.subarray(0, 12)), fmt, Buffer.from(twice.subarray(12))]);
    expect(wavSeconds(new Uint8Array(doubled))).toBeUndefined();
    expect(wavSeconds(wav({ dataBytes: 0 }).subarray(0, 30))).toBeUndefined();
  });
});
