// A full garbage collection on demand, for tests that measure what the heap keeps. Vitest runs
// without --expose-gc: the flag is set just long enough for a fresh context to hand out its `gc`.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
export const gc = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc');
