import type { StatsPeriod } from '../domain/stats-period';
import type { ChatRef } from '../domain/types';
import type { Services } from './services';
import { StatsService } from './stats-service';

/** Hands out the signed link of a chat's report page for a period. */
export interface ReportLinker {
  /** Days a link stays valid. */
  readonly days: number;
  link(chat: ChatRef, period: StatsPeriod, now: number): Promise<string>;
}

export interface StatsWiring {
  readonly stats: StatsService;
  /** Absent until the report pages are served (createReports in src/http/reports): the card then has no link. */
  readonly links?: ReportLinker;
}

const wired = new WeakMap<Services, StatsWiring>();

/** Called once by the composition root (through createReports) for the Services of a bot. */
export function wireStats(services: Services, wiring: StatsWiring): void {
  wired.set(services, wiring);
}

/** What the 统计 command uses: the wired statistics and links, or statistics read straight from the services. */
export function statsOf(services: Services): StatsWiring {
  return wired.get(services) ?? { stats: new StatsService(services) };
}
