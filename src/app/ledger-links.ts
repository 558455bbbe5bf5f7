import type { StatsPeriod } from '../domain/stats-period';
import type { ChatRef } from '../domain/types';

/** Hands out the signed links of a duty's record page and a chat's ledger (src/http/reports/links.ts). */
export interface RecordLinker {
  /** Days a link stays valid. */
  readonly days: number;
  recordLink(chat: ChatRef, number: number, now: number): Promise<string>;
  ledgerLink(chat: ChatRef, period: StatsPeriod, now: number): Promise<string>;
}
