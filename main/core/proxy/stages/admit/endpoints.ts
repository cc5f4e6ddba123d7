// What an endpoint's answers are, as far as admission cares.
import type { Endpoint } from '../../../../../shared/usage.js';

/** Endpoints whose answers carry token usage (and so cost money per token). */
export const metered = (endpoint: Endpoint) => endpoint !== 'other' && endpoint !== 'count_tokens';

/** Endpoints whose answers are generated output, bounded by an output limit. */
export const generates = (endpoint: Endpoint) =>
  endpoint === 'chat' ||
  endpoint === 'completions' ||
  endpoint === 'responses' ||
  endpoint === 'messages' ||
  endpoint === 'generate_content';
