import { CATEGORIES, categoryOf, type Category } from '../domain/categories';
import type { Minutes } from '../domain/minutes';
import { recorderOf } from '../domain/minutes';
import { attendanceFromAnswers, type Attendance } from '../domain/attendance';
import type { StatsPeriod } from '../domain/stats-period';
import type { ChatRef, Duty } from '../domain/types';
import type { Logger } from '../logger';
import type { DutyRepo } from '../store/duty-repo';
import type { MinutesRepo } from '../store/minutes-repo';
import type { RosterService } from './roster';

/**
 * Who came to a duty. The sign-in part of issue 14 provides one reading 签到; until then (and for duties without
 * sign-in) `RsvpAttendance` reads the RSVP answers.
 */
export interface AttendanceSource {
  attendance(duty: Duty, names: ReadonlyMap<string, string>): Promise<Attendance>;
}

/** A file attached to a duty as evidence (材料), as the materials part of issue 14 stores it. */
export interface MaterialEntry {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly at: number;
}

/** A material's bytes, streamed to the reader (the record page's download link). */
export interface MaterialDownload {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly body: NodeJS.ReadableStream;
}

/** The files attached to a duty. `NO_MATERIALS` until the materials part provides one. */
export interface MaterialsSource {
  list(duty: Duty): Promise<readonly MaterialEntry[]>;
  /** The bytes of one file of the duty; undefined when it has none by that id. */
  open?(duty: Duty, id: string): Promise<MaterialDownload | undefined>;
}

export const NO_MATERIALS: MaterialsSource = { list: () => Promise.resolve([]) };

/** Attendance from the RSVP answers (参加 / 请假), the default before sign-in exists. */
export class RsvpAttendance implements AttendanceSource {
  constructor(private readonly duties: Pick<DutyRepo, 'answers'>) {}

  async attendance(duty: Duty, names: ReadonlyMap<string, string>): Promise<Attendance> {
    return attendanceFromAnswers(duty, await this.duties.answers(duty.id), names);
  }
}

/** Everything the record page (记录 #7) shows of one duty. */
export interface DutyRecord {
  readonly duty: Duty;
  readonly category: Category;
  readonly hostName?: string;
  readonly recorderName: string;
  readonly attendance: Attendance;
  readonly minutes?: Minutes;
  readonly materials: readonly MaterialEntry[];
}

/** One member's attendance over the ledger's period (meetings and study sessions that were held). */
export interface MemberAttendanceRow {
  readonly memberId: string;
  readonly name: string;
  readonly expected: number;
  readonly present: number;
  readonly leave: number;
  readonly absent: number;
  readonly late: number;
}

/** The chat's 台账 of a period: every duty, grouped by category in the table's order. */
export interface Ledger {
  readonly chat: ChatRef;
  readonly chatName: string;
  readonly period: StatsPeriod;
  readonly now: number;
  readonly groups: readonly { readonly category: Category; readonly records: readonly DutyRecord[] }[];
  readonly members: readonly MemberAttendanceRow[];
}

export interface LedgerServiceDeps {
  readonly duties: DutyRepo;
  readonly minutes: MinutesRepo;
  readonly roster: RosterService;
  readonly attendance: AttendanceSource;
  readonly materials: MaterialsSource;
  readonly log: Logger;
}

/** Reads the record of a duty (记录 #7) and the ledger of a period (台账 本年); no writes, no sends. */
export class LedgerService {
  constructor(private readonly deps: LedgerServiceDeps) {}

  get materials(): MaterialsSource {
    return this.deps.materials;
  }

  async record(chat: ChatRef, number: number): Promise<DutyRecord | undefined> {
    const duty = await this.deps.duties.getByNumber(chat, number);
    if (!duty) return undefined;
    const [names, minutes] = await Promise.all([this.names(chat), this.deps.minutes.get(duty.id)]);
    return this.build(duty, names, minutes);
  }

  async ledger(chat: ChatRef, period: StatsPeriod, now: number): Promise<Ledger> {
    const duties = await this.deps.duties.listByPeriod(chat, period.from, period.to);
    const [names, minutes, chatName] = await Promise.all([this.names(chat), this.deps.minutes.getMany(duties.map((d) => d.id)), this.chatName(chat)]);
    const records = await Promise.all(duties.map((d) => this.build(d, names, minutes.get(d.id))));
    const groups = CATEGORIES.map((category) => ({ category, records: records.filter((r) => r.category === category) })).filter((g) => g.records.length > 0);
    return { chat, chatName, period, now, groups, members: memberRows(records, now) };
  }

  async chatName(chat: ChatRef): Promise<string> {
    return this.deps.roster.chatName(chat).catch(() => chat.chatId);
  }

  private async build(duty: Duty, names: ReadonlyMap<string, string>, minutes: Minutes | undefined): Promise<DutyRecord> {
    const [attendance, materials] = await Promise.all([this.deps.attendance.attendance(duty, names), this.deps.materials.list(duty)]);
    return {
      duty,
      category: categoryOf(duty),
      ...(duty.host ? { hostName: names.get(duty.host.id) ?? duty.host.name } : {}),
      recorderName: names.get(recorderOf(duty).id) ?? recorderOf(duty).name,
      attendance,
      ...(minutes ? { minutes } : {}),
      materials,
    };
  }

  /** The roster's names; a platform that cannot be reached leaves ids in their place. */
  private async names(chat: ChatRef): Promise<Map<string, string>> {
    try {
      return await this.deps.roster.names(chat);
    } catch (err) {
      this.deps.log.warn({ err, chatId: chat.chatId }, 'roster unavailable: the ledger shows member ids');
      return new Map();
    }
  }
}

/** Each member's attendance over the meetings and study sessions that have started and were not cancelled. */
function memberRows(records: readonly DutyRecord[], now: number): MemberAttendanceRow[] {
  const rows = new Map<string, { name: string; expected: number; present: number; leave: number; absent: number; late: number }>();
  for (const r of records) {
    if (r.duty.kind === 'report' || r.duty.state === 'cancelled' || r.duty.at > now) continue;
    const a = r.attendance;
    const row = (p: { memberId: string; name: string }) => {
      let found = rows.get(p.memberId);
      if (!found) rows.set(p.memberId, (found = { name: p.name, expected: 0, present: 0, leave: 0, absent: 0, late: 0 }));
      return found;
    };
    for (const p of a.expected) row(p).expected += 1;
    for (const p of a.present) row(p).present += 1;
    for (const p of a.leave) row(p).leave += 1;
    for (const p of a.absent) row(p).absent += 1;
    for (const p of a.late) row(p).late += 1;
  }
  return [...rows.entries()].map(([memberId, r]) => ({ memberId, ...r })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
