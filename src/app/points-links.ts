import type { StatsPeriod } from '../domain/stats-period';
import type { ChatRef } from '../domain/types';

/** Hands out the signed link of a chat's 积分 page for a period (src/http/reports/links.ts). */
export interface PointsLinker {
  /** Days a link stays valid. */
  readonly days: number;
  pointsLink(chat: ChatRef, period: StatsPeriod, now: number): Promise<string>;
}
