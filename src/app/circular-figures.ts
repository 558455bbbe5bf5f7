import { chatFigures, monthTitle, type ChatFigures, type FigureContext } from '../domain/circular-figures';
import { settled, summarizeDuty, type DutySummary } from '../domain/duty-summary';
import { minutesPoints } from '../domain/minutes';
import type { PointsRules } from '../domain/points-rules';
import type { StatsPeriod } from '../domain/stats-period';
import type { ChatRef } from '../domain/types';
import type { Logger } from '../logger';
import type { DutySummaryRepo } from '../store/duty-summary-repo';
import type { PointsReads } from '../store/points-reads';
import type { WorkingCalendar } from '../time/calendar';
import type { RosterService } from './roster';

export interface CircularFiguresDeps {
  readonly summaries: Pick<DutySummaryRepo, 'period' | 'duties' | 'save'>;
  readonly reads: Pick<PointsReads, 'forDuties'>;
  readonly roster: Pick<RosterService, 'audience'>;
  readonly calendar: Pick<WorkingCalendar, 'nextWorkday'>;
  readonly rules: PointsRules;
  readonly timeZone: string;
  readonly log: Logger;
}

/** What one circular's rows share: the minutes due times and month titles already worked out (by time). */
export interface FigureMemo {
  dueBy(end: number): number | undefined;
  monthOf(at: number): string;
}

/**
 * A unit's figures of a period for the committee's circular (通报, issue 15), from its duties' summaries
 * (src/domain/duty-summary.ts) instead of its ledger and 积分 ranking (bench/README.md, bench:circular: those parse
 * every answer and sign-in of the year on each 通报). Per chat: the period's duties with their revisions and
 * stored summaries (two commands); a duty without a summary of its current revision, or not yet over at `now`, is
 * read (its record and, in one pipeline for all of them, its answers, sign-ins and minutes) and summarized; the
 * summaries of duties that are over are stored for the next 通报 (src/store/duty-summary-repo.ts).
 */
export class CircularFigures {
  constructor(private readonly deps: CircularFiguresDeps) {}

  /** Fresh for each circular: the working calendar may change between two (holiday files). */
  memo(): FigureMemo {
    const dues = new Map<number, number | undefined>();
    const months = new Map<number, string>();
    const { calendar, timeZone } = this.deps;
    return {
      dueBy: (end) => {
        if (!dues.has(end)) dues.set(end, minutesPoints({ id: '', kind: 'meeting', at: end, durationMinutes: 0 }, calendar, timeZone)[0]?.dueAt);
        return dues.get(end);
      },
      monthOf: (at) => {
        let title = months.get(at);
        if (title === undefined) months.set(at, (title = monthTitle(at, timeZone)));
        return title;
      },
    };
  }

  async of(chat: ChatRef, period: StatsPeriod, now: number, memo: FigureMemo = this.memo()): Promise<ChatFigures> {
    const [summaries, roster] = await Promise.all([this.summaries(chat, period, now), this.deps.roster.audience(chat).catch(() => [])]);
    const ctx: FigureContext = { now, rules: this.deps.rules, timeZone: this.deps.timeZone, roster: roster.map((m) => m.id), ...memo };
    return chatFigures(summaries, ctx);
  }

  /** Every duty's summary at `now`, in the period's time order: stored where still valid, else computed. */
  async summaries(chat: ChatRef, period: StatsPeriod, now: number): Promise<DutySummary[]> {
    const stored = await this.deps.summaries.period(chat, period.from, period.to);
    const usable = (s: (typeof stored)[number]): DutySummary | undefined => (s.summary && s.summary.rev === s.rev && settled(s.summary, now) ? s.summary : undefined);
    const missing = stored.filter((s) => usable(s) === undefined);
    const computed = new Map<string, DutySummary>();
    if (missing.length > 0) {
      const duties = await this.deps.summaries.duties(missing.map((s) => s.id));
      const records = await this.deps.reads.forDuties(duties.map((d) => d.id));
      const revs = new Map(missing.map((s) => [s.id, s.rev]));
      for (const duty of duties) {
        const r = records.get(duty.id) ?? { answers: new Map(), signins: new Map(), signinCount: 0 };
        computed.set(duty.id, summarizeDuty(duty, r, revs.get(duty.id) ?? 0, now));
      }
      const keep = [...computed.values()].filter((s) => settled(s, now));
      await this.deps.summaries.save(keep).catch((err: unknown) => this.deps.log.warn({ err, chatId: chat.chatId }, 'circular summaries not stored: computed again next time'));
    }
    return stored.flatMap((s) => {
      const found = usable(s) ?? computed.get(s.id);
      return found ? [found] : [];
    });
  }
}
