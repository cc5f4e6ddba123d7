// Budgets, rate limits and alerts: the public face of main/core/limits.
export { createLimiter } from './limiter.js';
export { hasUsdBudget } from './budgets.js';
export { openLimiter } from './open-limiter.js';
export { formatDuration, rateLimitHeaders, retryAfterHeaders } from './rate-headers.js';
export { postWebhook, WEBHOOK_TIMEOUT_MS } from './webhook.js';
export { THRESHOLDS, BLOCKED_THROTTLE_MS } from './alerts.js';
export { WINDOW_MS } from './rate-window.js';
export { LimitsUnavailableError } from './types.js';
export type {
  Admission,
  AdmitRequest,
  BudgetPeriodState,
  FiredAlert,
  Limiter,
  LimiterDeps,
  Refusal,
  Reservation,
  SpendView,
  SyncLimiter,
} from './types.js';
