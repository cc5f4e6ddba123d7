// Types for the undici files upstream-client.ts imports directly (undici has no `exports` map
// and types only its index): the same classes the index re-exports.
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}
declare module 'undici/lib/core/errors.js' {
  import { errors } from 'undici';
  export default errors;
}
declare module 'undici/lib/core/util.js' {
  /** Raw header pairs → an object, lower-case names, repeated ones as arrays (what undici's
   *  controller-style handlers are given). */
  const util: {
    parseHeaders(headers: Buffer[]): Record<string, string | string[] | undefined>;
  };
  export default util;
}
