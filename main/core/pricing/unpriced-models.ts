// Models seen in traffic that have no price, with the command that prices them. Read from the
// ledger only through its interface (usage roll-ups, then one record for the provider), so any
// ledger engine serves it.
import type { Config } from '../../../shared/config.js';
import type { PriceStatus } from '../../../shared/admin-api.js';
import { localDay } from '../clock/calendar.js';
import type { Ledger } from '../ledger/index.js';
import type { Prices } from './price-lookup.js';

const WINDOW_DAYS = 30;
const MAX_LISTED = 50;

export async function unpricedModels(x: {
  ledger: Pick<Ledger, 'usage' | 'query'>;
  config: Config;
  prices: Prices;
  now: Date;
}): Promise<PriceStatus['unpriced']> {
  const tz = x.config.settings.timeZone;
  const since = localDay(new Date(x.now.getTime() - WINDOW_DAYS * 86_400_000), tz);
  const rows = (await x.ledger.usage({ by: ['model'], since }))
    .filter((r) => r.model && r.unpriced > 0)
    .sort((a, b) => b.unpriced - a.unpriced)
    .slice(0, MAX_LISTED);
  const out: PriceStatus['unpriced'] = [];
  for (const row of rows) {
    const model = row.model!;
    const last = (await x.ledger.query({ model, limit: 1 })).records[0];
    const provider = x.config.providers.find((p) => p.name === last?.provider);
    // Priced since (the user set a price, or a refresh brought one): no longer listed.
    if (provider && x.prices.lookup({ provider, model, at: x.now })) continue;
    out.push({
      model,
      provider: last?.provider ?? '',
      requests: row.unpriced,
      command: `shimmy price set ${quote(model)} --input <USD per 1M> --output <USD per 1M>`,
    });
  }
  return out;
}

/** Model names are free text: quote what a shell would split or expand. */
function quote(s: string): string {
  return /^[\w.:/@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
