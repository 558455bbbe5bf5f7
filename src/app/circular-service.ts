import { orderRows, mayCirculate, type Circular, type CircularRating, type CircularRow } from '../domain/circular';
import { readCompliancePeriod, type PeriodUnit } from '../domain/compliance';
import { namedPeriod, type StatsPeriod } from '../domain/stats-period';
import type { ChatRef } from '../domain/types';
import { ancestorsOf, descendantsOf, type Unit } from '../domain/units';
import { AppError, ErrorCode } from '../errors';
import type { ComplianceService } from './compliance-service';
import type { CircularFigures, FigureMemo } from './circular-figures';
import type { RatingResultsMany } from './rating-results';
import { chatOfKey } from './unit-service';

export interface CircularDeps {
  readonly units: { all(): Promise<readonly Unit[]> };
  /**
   * Each unit's figures from its duties' summaries (src/app/circular-figures.ts): 督查's activities, attendance,
   * reports and the 积分 average, the same as its ledger and 积分 ranking give, without reading every record.
   */
  readonly figures: Pick<CircularFigures, 'of' | 'memo' | 'summaries'>;
  readonly compliance: Pick<ComplianceService, 'fromActivities'>;
  /** 述职评议 results of the reports due, read at once per unit (src/app/rating-results.ts). */
  readonly ratings: RatingResultsMany;
  readonly timeZone: string;
}

/** Sub-units read at once (each is a few reads of its own chat and its duties' summaries: bench/README.md). */
const AT_ONCE = 16;

export const CIRCULAR_REFUSAL = {
  notUnit: '通报列出本单位各下级单位的情况：本群还不是单位。请先登记，例如「本群 市直机关工委」（工委由超级管理员登记）。',
  tooLow: (u: Unit): string => `「${u.name}」是${u.level}：通报只能在工委、机关党委、党总支的群里发送，列出其下级单位的情况。本单位的情况请发送「督查」。`,
  period: (words: string): string => `看不懂期间「${words}」：可以写 本月、上月、本季度、上季度、本年、去年，例如「通报 本季度」。`,
} as const;

/**
 * The committee's circular (通报, issue 15). Sent in the chat of a unit above 党支部 (工委, 机关党委, 党总支): every
 * unit below it that is bound to a chat, all levels down, with 督查's held/required, the attendance rate, reports,
 * 积分 averages and 述职 ratings of the period. Writes nothing but the duties' summaries it computed (src/app/circular-figures.ts).
 */
export class CircularService {
  constructor(private readonly deps: CircularDeps) {}

  /** The committee unit of `chat`, or the refusal. */
  async committeeOf(chat: ChatRef): Promise<Unit> {
    const key = `${chat.platform}:${chat.chatId}`;
    const unit = (await this.deps.units.all()).find((u) => u.chat === key);
    if (!unit) throw new AppError(ErrorCode.BadInput, CIRCULAR_REFUSAL.notUnit);
    if (!mayCirculate(unit)) throw new AppError(ErrorCode.BadInput, CIRCULAR_REFUSAL.tooLow(unit));
    return unit;
  }

  /** `本季度`, `：本年`, `上月` read; the refusal when it cannot be. */
  readPeriod(words: string, now: number): { unit: PeriodUnit; period: StatsPeriod } {
    const cleaned = words.replace(/^[\s:：,，]+/, '').replace(/[\s。.!！]+$/, '');
    const asked = readCompliancePeriod(cleaned, now, this.deps.timeZone);
    if (!asked) throw new AppError(ErrorCode.BadInput, CIRCULAR_REFUSAL.period(cleaned));
    return asked;
  }

  async circular(committee: Unit, size: PeriodUnit, period: StatsPeriod, now: number): Promise<Circular> {
    const units = await this.deps.units.all();
    const below = descendantsOf(units, committee.name).flatMap((u) => {
      const chat = u.chat ? chatOfKey(u.chat) : undefined;
      return chat ? [{ unit: u, chat }] : [];
    });
    const rows: CircularRow[] = [];
    const memo = this.deps.figures.memo();
    for (let i = 0; i < below.length; i += AT_ONCE) {
      rows.push(...(await Promise.all(below.slice(i, i + AT_ONCE).map(({ unit, chat }) => this.row(units, committee, unit, chat, size, period, now, memo)))));
    }
    return { committee, size, period, now, rows: orderRows(rows) };
  }

  /**
   * Store the summaries of every unit's duties of this year that are over and have none yet (the daily 09:00 check,
   * src/app/circular-auto.ts): a 通报 then reads summaries only, instead of every record of the year the first time
   * (bench/README.md, bench:circular "cold"). Each day adds only the duties that ended since. Resolves with the units warmed.
   */
  async warm(now: number): Promise<number> {
    const period = namedPeriod('year', 0, now, this.deps.timeZone);
    const chats = (await this.deps.units.all()).flatMap((u) => (u.chat ? [chatOfKey(u.chat)] : [])).filter((c): c is ChatRef => c !== undefined);
    let warmed = 0;
    for (let i = 0; i < chats.length; i += AT_ONCE) {
      const done = await Promise.allSettled(chats.slice(i, i + AT_ONCE).map((chat) => this.deps.figures.summaries(chat, period, now)));
      warmed += done.filter((d) => d.status === 'fulfilled').length;
    }
    return warmed;
  }

  private async row(units: readonly Unit[], committee: Unit, unit: Unit, chat: ChatRef, size: PeriodUnit, period: StatsPeriod, now: number, memo: FigureMemo): Promise<CircularRow> {
    const line = ancestorsOf(units, unit.name);
    const upTo = line.findIndex((u) => u.name === committee.name);
    const path = [...line.slice(0, upTo < 0 ? 0 : upTo).reverse().map((u) => u.name), unit.name];
    const figures = await this.deps.figures.of(chat, period, now, memo);
    const report = this.deps.compliance.fromActivities(figures.activities, unit, size, period, now);
    // Reports whose deadline has passed (not cancelled): submitted on time, late, or not at all (src/domain/attendance.ts).
    const reports = figures.reports;
    const results = await this.deps.ratings.resultsMany(reports.map((r) => r.id), now);
    const ratings: CircularRating[] = reports.flatMap((r) => {
      const result = results.get(r.id);
      return result ? [{ number: r.number, title: r.title, rated: result.rated, of: result.of, positiveShare: result.positiveShare }] : [];
    });
    const late = reports.reduce((n, r) => n + r.late, 0);
    const submitted = reports.reduce((n, r) => n + r.present, 0);
    return {
      unit,
      path,
      chat,
      compliance: report.rows,
      missing: report.rows.reduce((n, r) => n + r.missing, 0),
      // Meetings and study sessions that have started and were not cancelled (LedgerService's member rows).
      attended: figures.attended,
      expected: figures.expected,
      reportsDue: reports.reduce((n, r) => n + r.expected, 0),
      onTime: submitted - late,
      late,
      reportsMissing: reports.reduce((n, r) => n + r.absent, 0),
      pointsAverage: figures.pointsAverage,
      ratings,
    };
  }
}

/** Hands out the signed link of a committee chat's circular page for a period (src/http/reports/links.ts). */
export interface CircularLinker {
  readonly days: number;
  circularLink(chat: ChatRef, period: StatsPeriod, now: number): Promise<string>;
}

/** The period's size read back from a signed link's bounds (a month, a quarter or a year). */
export function sizeOf(period: Pick<StatsPeriod, 'from' | 'to'>): PeriodUnit {
  const days = (period.to - period.from) / 86_400_000;
  return days < 40 ? 'month' : days < 100 ? 'quarter' : 'year';
}
