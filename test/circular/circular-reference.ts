/**
 * The 通报 row as CircularService computed it before the duty summaries (git show 0b14b46:src/app/circular-service.ts):
 * each unit's ledger (督查, attendance, reports), its 积分 ranking's average and each report's 述职评议 results, read
 * one by one. The summaries' figures are compared with these.
 */
import type { Services } from '../../src/app/services';
import type { PeriodUnit } from '../../src/domain/compliance';
import type { CircularRating, CircularRow } from '../../src/domain/circular';
import type { StatsPeriod } from '../../src/domain/stats-period';
import type { ChatRef } from '../../src/domain/types';
import type { Unit } from '../../src/domain/units';

export type RowFigures = Omit<CircularRow, 'unit' | 'path' | 'chat'>;

export async function referenceRow(s: Services, unit: Unit, chat: ChatRef, size: PeriodUnit, period: StatsPeriod, now: number): Promise<RowFigures> {
  const [ledger, points] = await Promise.all([s.ledger.ledger(chat, period, now), s.points.chatAverage(chat, period, now)]);
  const report = s.compliance.fromLedger(ledger, unit, size, now);
  const reports = ledger.groups.flatMap((g) => g.records).filter((r) => r.duty.kind === 'report' && r.duty.state !== 'cancelled' && r.duty.at <= now);
  const results = await Promise.all(reports.map(async (r) => ({ duty: r.duty, result: await s.rating.results(r.duty.id, now) })));
  const ratings: CircularRating[] = results.flatMap(({ duty, result }) =>
    result ? [{ number: duty.number, title: duty.title, rated: result.rated, of: result.of, positiveShare: result.positiveShare }] : [],
  );
  const late = reports.reduce((n, r) => n + r.attendance.late.length, 0);
  const submitted = reports.reduce((n, r) => n + r.attendance.present.length, 0);
  return {
    compliance: report.rows,
    missing: report.rows.reduce((n, r) => n + r.missing, 0),
    attended: ledger.members.reduce((n, m) => n + m.present, 0),
    expected: ledger.members.reduce((n, m) => n + m.expected, 0),
    reportsDue: reports.reduce((n, r) => n + r.attendance.expected.length, 0),
    onTime: submitted - late,
    late,
    reportsMissing: reports.reduce((n, r) => n + r.attendance.absent.length, 0),
    pointsAverage: points.average,
    ratings,
  };
}

/** A row's figures without the unit, its path and chat. */
export function figuresOf(row: CircularRow): RowFigures {
  const { unit: _unit, path: _path, chat: _chat, ...rest } = row;
  return rest;
}
