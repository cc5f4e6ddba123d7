// Types for the two undici files upstream-client.ts imports directly (undici has no `exports` map
// and types only its index): the same classes the index re-exports.
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}
declare module 'undici/lib/core/errors.js' {
  import { errors } from 'undici';
  export default errors;
}
