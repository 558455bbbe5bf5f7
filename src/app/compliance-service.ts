import { REQUIREMENT_ROWS, type RequirementRow } from '../../schedules/compliance';
import { endOf } from '../domain/categories';
import { complianceRows, periodWord, readCompliancePeriod, type ActivityFacts, type ComplianceRow, type PeriodUnit } from '../domain/compliance';
import type { StatsPeriod } from '../domain/stats-period';
import type { ChatRef } from '../domain/types';
import { UNIT_REFUSAL, unitLabel, type Unit } from '../domain/units';
import { AppError, ErrorCode } from '../errors';
import type { Ledger, LedgerService } from './ledger-service';
import type { UnitService } from './unit-service';

export interface ComplianceDeps {
  readonly units: Pick<UnitService, 'unitOf'>;
  readonly ledger: Pick<LedgerService, 'ledger'>;
  readonly timeZone: string;
  /** The requirements: data/compliance.yaml when the operator wrote one, else schedules/compliance.ts. */
  readonly requirements?: readonly RequirementRow[];
}

export interface ComplianceReport {
  readonly unit: Unit;
  readonly period: StatsPeriod;
  readonly rows: readonly ComplianceRow[];
}

/**
 * Compliance (督查, issue 15): what a unit's chat owes, held, planned and misses in a period, from its duties as the
 * ledger reads them (category, sign-ins, minutes). No writes.
 */
export class ComplianceService {
  constructor(private readonly deps: ComplianceDeps) {}

  get requirements(): readonly RequirementRow[] {
    return this.deps.requirements ?? REQUIREMENT_ROWS;
  }

  async report(chat: ChatRef, unit: Unit, asked: PeriodUnit, period: StatsPeriod, now: number): Promise<ComplianceReport> {
    return this.fromLedger(await this.deps.ledger.ledger(chat, period, now), unit, asked, now);
  }

  /** The report of a ledger already read (the 通报 reads each unit's ledger once for all its figures). */
  fromLedger(ledger: Ledger, unit: Unit, asked: PeriodUnit, now: number): ComplianceReport {
    const activities = ledger.groups.flatMap((g) =>
      g.records.map((r) => ({
        category: r.category,
        at: r.duty.at,
        end: endOf(r.duty),
        cancelled: r.duty.state === 'cancelled',
        signedIn: r.attendance.source === 'signin' ? r.attendance.present.length : 0,
        minutes: r.minutes !== undefined,
      })),
    );
    return this.fromActivities(activities, unit, asked, ledger.period, now);
  }

  /** The report of activities already read (the 通报's duty summaries, src/domain/circular-figures.ts). */
  fromActivities(activities: readonly ActivityFacts[], unit: Unit, asked: PeriodUnit, period: StatsPeriod, now: number): ComplianceReport {
    return { unit, period, rows: complianceRows(unit.level, asked, period, activities, now, this.deps.timeZone, this.requirements) };
  }

  /** 督查 <期间> in a chat: the report's text, or a refusal (no unit, a period it cannot read). */
  async text(chat: ChatRef, words: string, now: number): Promise<string> {
    const unit = await this.deps.units.unitOf(chat);
    if (!unit) throw new AppError(ErrorCode.BadInput, UNIT_REFUSAL.notUnit);
    const asked = readCompliancePeriod(words, now, this.deps.timeZone);
    if (!asked) throw new AppError(ErrorCode.BadInput, `看不懂期间「${words}」：可以写 本月、上月、本季度、上季度、本年、去年，例如「督查 本季度」。`);
    return complianceText(await this.report(chat, unit, asked.unit, asked.period, now));
  }
}

/**
 * 督查 2026年第四季度 · 第一党支部（党支部）
 * 支委会（每月1次）：应 3 · 已开 1 · 计划 1 · 缺 1（另有 1 次已结束但缺签到或纪要）
 */
export function complianceText(r: ComplianceReport): string {
  if (r.rows.length === 0) return `督查 ${r.period.title} · ${unitLabel(r.unit)}\n这一期间没有对${r.unit.level}的要求。`;
  const lines = r.rows.map((row) => {
    const q = row.requirement;
    const extra = row.incomplete > 0 ? `（另有 ${row.incomplete} 次已结束但缺签到或纪要）` : '';
    const mark = row.missing > 0 ? '⚠️ ' : '✅ ';
    return `${mark}${q.category}（${periodWord(q.period)}${q.min}次）：应 ${row.owes} · 已开 ${row.held} · 计划 ${row.planned} · 缺 ${row.missing}${extra}`;
  });
  const missing = r.rows.reduce((n, row) => n + row.missing, 0);
  const summary = missing > 0 ? `共缺 ${missing} 次，请尽快安排。` : '各项均已开或已安排。';
  return [`督查 ${r.period.title} · ${unitLabel(r.unit)}`, ...lines, summary, '已开 = 已结束、有签到（或补签）且已交纪要；计划 = 已安排尚未结束。依据见「督查 依据」。'].join('\n');
}
