// Which core events become desktop notifications, and how often: budget alerts once per
// threshold per period; a blocked tool at most once per (tool, reason) per throttle window,
// because a client retrying against a hard limit can fire hundreds of blocks a minute.
import type { BudgetAlertEvent, PlanAlertEvent, ShimmyEvent, ToolBlockedEvent } from '../../shared/events.js';
import { formatUsd } from '../../shared/money.js';

export interface NotificationContent {
  title: string;
  body: string;
  /** Dedup key, also handy for tests and logs. */
  key: string;
}

export interface NotificationPolicyOptions {
  now: () => Date;
  blockedThrottleMs?: number;
}

export const DEFAULT_BLOCKED_THROTTLE_MS = 10 * 60_000;

const REASON_TEXT: Record<ToolBlockedEvent['reason'], string> = {
  budget: 'its budget is used up',
  rate_limit: 'it hit its rate limit',
  paused: 'it is paused',
  forbidden_model: 'it asked for a model it may not use',
  plan_limit: 'it reached the share of its plan window it may use',
};

function budgetContent(e: BudgetAlertEvent): NotificationContent {
  const who = e.scope.tool ?? 'All tools';
  const period = e.scope.period === 'day' ? 'daily' : 'monthly';
  const spent = `${formatUsd(e.spentUsd)} of ${formatUsd(e.limitUsd)}`;
  const body =
    e.threshold >= 100
      ? `${spent}. Requests are refused until the ${e.scope.period === 'day' ? 'day' : 'month'} ends or the budget is raised.`
      : `${spent} spent (${e.threshold}% of the ${period} budget).`;
  return {
    title:
      e.threshold >= 100 ? `${who}: ${period} budget reached` : `${who}: ${e.threshold}% of ${period} budget`,
    body,
    key: `budget:${e.scope.tool ?? '*'}:${e.scope.period}:${e.periodKey}:${e.threshold}`,
  };
}

function blockedContent(e: ToolBlockedEvent): NotificationContent {
  return {
    title: `${e.tool} was blocked`,
    body: `A request was refused because ${REASON_TEXT[e.reason]}. ${e.message}`.trim(),
    key: `blocked:${e.tool}:${e.reason}`,
  };
}

const PLAN_WINDOW_TEXT: Record<PlanAlertEvent['window'], string> = { '5h': '5-hour', '7d': 'weekly' };

function planContent(e: PlanAlertEvent): NotificationContent {
  const which = `${e.provider} ${PLAN_WINDOW_TEXT[e.window]} plan window`;
  const reset = e.resetsAt ? ` It resets at ${e.resetsAt}.` : '';
  return {
    title: `${which}: ${e.threshold}% used`,
    body: `${Math.round(e.usedPercent)}% of the ${which} is used.${reset}`,
    // One per threshold per window instance: the reset time names the instance.
    key: `plan:${e.provider}:${e.window}:${e.resetsAt ?? '?'}:${e.threshold}`,
  };
}

export interface NotificationPolicy {
  /** The notification to show for this event, or null (not notifiable, or a repeat). */
  decide(event: ShimmyEvent): NotificationContent | null;
}

export function createNotificationPolicy(opts: NotificationPolicyOptions): NotificationPolicy {
  const throttleMs = opts.blockedThrottleMs ?? DEFAULT_BLOCKED_THROTTLE_MS;
  const budgetSeen = new Set<string>();
  const blockedAt = new Map<string, number>();

  return {
    decide(event) {
      if (event.type === 'alert.budget') {
        const content = budgetContent(event);
        if (budgetSeen.has(content.key)) return null;
        budgetSeen.add(content.key);
        return content;
      }
      if (event.type === 'alert.plan') {
        const content = planContent(event);
        if (budgetSeen.has(content.key)) return null;
        budgetSeen.add(content.key);
        return content;
      }
      if (event.type === 'alert.blocked') {
        // Paused tools are refused on purpose, by the user: no need to tell them.
        if (event.reason === 'paused') return null;
        const content = blockedContent(event);
        const t = opts.now().getTime();
        const last = blockedAt.get(content.key);
        if (last !== undefined && t - last < throttleMs) return null;
        blockedAt.set(content.key, t);
        return content;
      }
      return null;
    },
  };
}
