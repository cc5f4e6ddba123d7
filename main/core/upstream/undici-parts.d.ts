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
  const util: {
    /** Raw header pairs → an object, lower-case names, repeated ones as arrays (what undici's
     *  controller-style handlers are given). */
    parseHeaders(headers: readonly (Buffer | string)[]): Record<string, string | string[] | undefined>;
    /** A header name, lower-cased (a known name as undici's interned string, without a copy). */
    headerNameToString(name: Buffer | string): string;
  };
  export default util;
}
