// The short plan-window text for the tray ("5h 43% · wk 12%"), from the latest `plan` event.
// Windows Shimmy has not seen are left out: unknown is shown as nothing, never as 0%.
import type { PlanWindow } from '../../shared/plans.js';

const LABEL: Record<PlanWindow['window'], string> = { '5h': '5h', '7d': 'wk' };

function providerText(windows: PlanWindow[]): string {
  // 5h first, then the week: the order the providers' own UIs use.
  return [...windows]
    .sort((a, b) => (a.window === b.window ? 0 : a.window === '5h' ? -1 : 1))
    .map((w) => `${LABEL[w.window]} ${Math.round(w.usedPercent)}%`)
    .join(' · ');
}

export function planSummary(windows: readonly PlanWindow[]): string {
  const byProvider = new Map<string, PlanWindow[]>();
  for (const w of windows) byProvider.set(w.provider, [...(byProvider.get(w.provider) ?? []), w]);
  if (byProvider.size === 0) return '';
  if (byProvider.size === 1) return providerText([...byProvider.values()][0]!);
  // Two plans: name each, or the numbers could not be told apart.
  return [...byProvider.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, ws]) => `${provider} ${providerText(ws)}`)
    .join(' | ');
}
