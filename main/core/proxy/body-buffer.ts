// Memory for a big request body that goes back to the system once the body is collected. A Buffer
// that size comes from malloc, and glibc keeps freed blocks of a few MB for reuse (its mmap
// threshold rises to the size of the first one freed): after one burst of 20 MB bodies the process
// stayed 160 MB bigger for good (issue 16: the idle RSS half of the peak). A WebAssembly memory is
// mapped pages of its own, unmapped when collected.

import { inTurns } from './copy-turns.js';

/** Below this a body comes from Node's allocator as usual (its pool for small ones). */
export const OWN_PAGES_MIN_BYTES = 1024 * 1024;
const WASM_PAGE = 64 * 1024;

// The one part of the WebAssembly global used here (the main tsconfig has no DOM or wasm types).
declare const WebAssembly: {
  Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
};

export function allocBodyBuffer(bytes: number): Buffer {
  if (bytes < OWN_PAGES_MIN_BYTES) return Buffer.allocUnsafe(bytes);
  try {
    const pages = Math.ceil(bytes / WASM_PAGE);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    return Buffer.from(memory.buffer, 0, bytes);
  } catch {
    // No WebAssembly, or its address space used up (each memory reserves several GB of it).
    return Buffer.allocUnsafe(bytes);
  }
}

/** Buffer.concat into allocBodyBuffer's memory, a big one a turn's budget at a time (copy-turns.ts). */
export async function concatBody(chunks: readonly Buffer[], size: number): Promise<Buffer> {
  if (size < OWN_PAGES_MIN_BYTES) return Buffer.concat(chunks, size);
  const into = allocBodyBuffer(size);
  let at = 0;
  for await (const piece of inTurns(chunks)) at += piece.copy(into, at);
  return into;
}
