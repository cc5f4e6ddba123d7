// OpenAI bills a request to the project (and organization) its key belongs to, or to the one the
// client names in `OpenAI-Project` / `OpenAI-Organization` when the key reaches several; Shimmy
// forwards those headers. A project has its own default service tier (Priority is about 2×), so
// the tier the provider's other answers said (limits/served-tiers.ts) says nothing of this one's:
// it is reserved at Priority, and its answer teaches the provider's tier nothing. (One answer
// from a default-tier project taught Shimmy `default`, and the key's own Priority project was then
// reserved at half its price: test/integration/openai-project-tier.test.ts.)
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiFamily } from '../../../shared/usage.js';

export function choosesProject(family: ApiFamily, headers: IncomingHttpHeaders): boolean {
  return (
    family === 'openai' &&
    (headers['openai-project'] !== undefined || headers['openai-organization'] !== undefined)
  );
}
