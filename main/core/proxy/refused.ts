// A request the proxy itself turns down: the stage that decides throws one, and the handler
// answers it once, in the caller's API format, with a ledger record.
import type { ProxyErrorKind } from '../errors/api-errors.js';
import type { RecordDraft } from './request-record.js';

export class Refused extends Error {
  constructor(
    readonly kind: ProxyErrorKind,
    message: string,
    readonly errorClass: RecordDraft['errorClass'],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
