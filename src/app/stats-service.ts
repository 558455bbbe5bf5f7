import { answersFromSignins, usedSignin } from '../domain/signin';
import { computeStats, type DutyWithAnswers, type PeriodStats } from '../domain/stats';
import type { StatsPeriod } from '../domain/stats-period';
import { reportRows, type ReportRow } from '../domain/stats-rows';
import type { ChatRef, Duty } from '../domain/types';
import type { SigninReader } from './duty-views';
import type { Logger } from '../logger';
import type { ChatRepo } from '../store/chat-repo';
import type { DutyRepo } from '../store/duty-repo';
import type { RosterService } from './roster';

/** How a chat is called on reports (支部). */
export type ChatNameLookup = (chat: ChatRef) => Promise<string | undefined>;

export interface StatsReport {
  readonly chat: ChatRef;
  readonly chatName: string;
  readonly period: StatsPeriod;
  readonly now: number;
  readonly items: readonly DutyWithAnswers[];
  readonly names: ReadonlyMap<string, string>;
  readonly stats: PeriodStats;
}

/** Hands out the signed link of a chat's report page for a period (src/http/reports/links.ts). */
export interface ReportLinker {
  /** Days a link stays valid. */
  readonly days: number;
  link(chat: ChatRef, period: StatsPeriod, now: number): Promise<string>;
}

export interface StatsServiceDeps {
  readonly duties: DutyRepo;
  readonly chats: ChatRepo;
  readonly roster: RosterService;
  readonly log: Logger;
  readonly chatName?: ChatNameLookup;
  /** Sign-ins: a meeting that used them reports attendance from them (and its RSVP as 报名). */
  readonly signins?: SigninReader;
}

/** Reads a chat's duties of a period with their answers and names, and computes the statistics (no sends). */
export class StatsService {
  constructor(private readonly deps: StatsServiceDeps) {}

  async report(chat: ChatRef, period: StatsPeriod, now: number): Promise<StatsReport> {
    const duties = await this.deps.duties.listByPeriod(chat, period.from, period.to);
    const [items, names, chatName] = await Promise.all([
      Promise.all(duties.map((duty) => this.item(duty))),
      this.names(chat),
      this.chatName(chat),
    ]);
    return { chat, chatName, period, now, items, names, stats: computeStats(items, names, now) };
  }

  /** A duty with the answers its statistics count: from its sign-ins when it used them, else its RSVP. */
  private async item(duty: Duty): Promise<DutyWithAnswers> {
    const [answers, records] = await Promise.all([
      this.deps.duties.answers(duty.id),
      duty.kind !== 'report' && this.deps.signins ? this.deps.signins.records(duty.id) : undefined,
    ]);
    if (!records || !usedSignin(records)) return { duty, answers };
    return { duty, answers: answersFromSignins(duty, records, answers), signups: answers };
  }

  rows(report: StatsReport, timeZone: string): ReportRow[] {
    return reportRows(report.chatName, report.items, report.names, report.now, timeZone);
  }

  async chatName(chat: ChatRef): Promise<string> {
    return (await this.deps.chatName?.(chat)) ?? (await this.deps.chats.name(chat)) ?? chat.chatId;
  }

  /** The roster's names; a platform that cannot be reached leaves ids (and organizers' names) in their place. */
  private async names(chat: ChatRef): Promise<Map<string, string>> {
    try {
      return await this.deps.roster.names(chat);
    } catch (err) {
      this.deps.log.warn({ err, chatId: chat.chatId }, 'roster unavailable: statistics show member ids');
      return new Map();
    }
  }
}
