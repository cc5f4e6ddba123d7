// The zod half of the admin contract, in its own chunk, loaded on demand: when a form's body must be
// validated before it is sent (field errors at once), and after the first answers, to check them
// against the contract in the background. Never on the dashboard's first paint.
import { z } from 'zod';
import { adminRoutes, ApiErrorSchema } from '../../../shared/admin-api.js';

// The CSP forbids eval; without this zod probes `new Function` and the browser logs a violation.
z.config({ jitless: true });

export { adminRoutes, ApiErrorSchema };
