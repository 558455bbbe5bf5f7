import type { DutyRecord, Ledger } from '../../app/ledger-service';
import { formatWall } from '../../domain/stats-format';

/** One ledger row as shown on the page and in the workbook: numbers blank ('') for a duty not held. */
export interface LedgerRow {
  readonly number: number;
  readonly date: string;
  readonly title: string;
  readonly state: string;
  readonly expected: number | '';
  readonly present: number | '';
  readonly leave: number | '';
  readonly absent: number | '';
  readonly minutes: '✓' | '✗' | '';
  readonly materials: number;
}

export const LEDGER_COLUMNS = ['编号', '日期', '名称', '状态', '应到', '实到', '请假', '缺席', '纪要', '材料'] as const;

/** A record as a ledger row: a cancelled or not yet held duty shows its state and no attendance. */
export function ledgerRow(r: DutyRecord, ledger: Pick<Ledger, 'now'>, timeZone: string): LedgerRow {
  const { duty, attendance: a } = r;
  const held = duty.state !== 'cancelled' && duty.at <= ledger.now;
  const state = duty.state === 'cancelled' ? '已取消' : held ? '已举行' : '未开始';
  const n = (x: number): number | '' => (held ? x : '');
  const needsMinutes = duty.kind !== 'report' && held;
  return {
    number: duty.number,
    date: formatWall(duty.at, timeZone),
    title: duty.title,
    state,
    expected: n(a.expected.length),
    present: n(a.present.length),
    leave: n(a.leave.length),
    absent: n(a.absent.length),
    minutes: r.minutes ? '✓' : needsMinutes ? '✗' : '',
    materials: r.materials.length,
  };
}

export const ledgerCells = (row: LedgerRow): (string | number)[] => [
  row.number,
  row.date,
  row.title,
  row.state,
  row.expected,
  row.present,
  row.leave,
  row.absent,
  row.minutes,
  row.materials,
];
