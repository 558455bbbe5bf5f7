import type { Attendance } from '../domain/attendance';
import type { Duty } from '../domain/types';
import type { AttendanceSource } from './ledger-service';
import type { SigninService } from './signin-service';

/**
 * The attendance of the record page (记录 #7) and the ledger (台账): from the sign-ins (签到) when the meeting used
 * them, else from the RSVP answers (`fallback`), as the issue asks ("report attendance from sign-ins when the
 * meeting used sign-in, and keep the RSVP figures as 报名").
 */
export class SigninAttendance implements AttendanceSource {
  constructor(
    private readonly signin: Pick<SigninService, 'used' | 'attendance'>,
    private readonly fallback: AttendanceSource,
  ) {}

  async attendance(duty: Duty, names: ReadonlyMap<string, string>): Promise<Attendance> {
    if (duty.kind === 'report' || duty.state === 'cancelled' || !(await this.signin.used(duty))) return this.fallback.attendance(duty, names);
    const a = await this.signin.attendance(duty);
    const named = <T extends { memberId: string; name: string }>(list: readonly T[]) => list.map((e) => ({ ...e, name: names.get(e.memberId) ?? e.name }));
    return { source: a.source, expected: named(a.expected), present: named(a.present), leave: named(a.leave), absent: named(a.absent), late: named(a.late) };
  }
}
