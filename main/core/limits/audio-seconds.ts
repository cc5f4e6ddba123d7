// Seconds of audio in an uploaded file, where the file itself fixes them: a PCM WAV, whose
// samples are stored one after another at a rate its header gives — the same fields every decoder
// reads, so no codec stands between the bytes and the seconds. whisper-1 bills by those seconds
// (admit reserves them, limits/budgets.ts). Every other format is left unread (undefined): a
// compressed one's duration is either declared by the client (a Xing frame count, an Ogg granule,
// an MP4 header) or found only by decoding it, and silence compresses to hours in a few kB.
//
// music-metadata (the maintained npm library for this) was tried and not taken: 12.x needs
// Node ≥ 22 (11.16 still runs on 20); it reads a WAV's duration from its `data` chunk's declared
// size (0.5 s for 60 s of samples whose header said 16,000 bytes) and spent ~0.8 s of CPU on that
// file looking for more chunks. For an MP3 it walks the frames with `duration: true` (2,500 frames
// of 24 ms: 60 s; one 320 kbit/s frame then 2,499 at 32: 59.976 s, the first not counted;
// without the option, no duration at all), which is a decoder's reading of the bytes, not a bound:
// another parse of the same bytes may find more frames. A budget needs a bound the client cannot
// write.

const PCM_FORMATS = new Set([1, 3, 6, 7]); // integer PCM, IEEE float, A-law, µ-law
const EXTENSIBLE = 0xfffe;

const tag = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

/** The seconds a PCM WAV holds, at most: every byte from its `data` chunk to the end of the file
 *  counted as samples (a decoder that honours the chunk's declared size stops sooner, one that
 *  reads to the end does not), rounded up to a whole second. Undefined when the file is not a PCM
 *  WAV Shimmy can read unambiguously. */
export function wavSeconds(file: Uint8Array): number | undefined {
  if (file.length < 12 || tag(file, 0) !== 'RIFF' || tag(file, 8) !== 'WAVE') return undefined;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let bytesPerSecond: number | undefined;
  for (let at = 12; at + 8 <= file.length;) {
    const id = tag(file, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      // Two format chunks could be read either way by different decoders.
      if (bytesPerSecond !== undefined || size < 16 || at + 8 + size > file.length) return undefined;
      bytesPerSecond = pcmBytesPerSecond(view, at + 8, size);
      if (bytesPerSecond === undefined) return undefined;
    } else if (id === 'data') {
      if (bytesPerSecond === undefined) return undefined;
      return Math.ceil((file.length - (at + 8)) / bytesPerSecond);
    }
    at += 8 + size + (size & 1);
  }
  return undefined;
}

/** Bytes per second of audio of a `fmt ` chunk's PCM, or undefined for a codec or a header whose
 *  block size disagrees with its sample size (a decoder might read either). */
function pcmBytesPerSecond(v: DataView, at: number, size: number): number | undefined {
  let format = v.getUint16(at, true);
  const channels = v.getUint16(at + 2, true);
  const rate = v.getUint32(at + 4, true);
  const blockAlign = v.getUint16(at + 12, true);
  const bits = v.getUint16(at + 14, true);
  // WAVE_FORMAT_EXTENSIBLE names its format in the first two bytes of its sub-format GUID.
  if (format === EXTENSIBLE) format = size >= 40 ? v.getUint16(at + 24, true) : 0;
  if (!PCM_FORMATS.has(format) || channels === 0 || rate === 0 || bits === 0 || bits % 8 !== 0)
    return undefined;
  if (blockAlign !== channels * (bits / 8)) return undefined;
  return rate * blockAlign;
}
