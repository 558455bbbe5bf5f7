import { randomInt } from 'node:crypto';
import type { Config } from '../config';
import { isSecretary } from '../domain/permissions';
import {
  attendanceSummary,
  checkCode,
  checkSignin,
  codeRefusalText,
  computeAttendance,
  isLate,
  signinRefusalText,
  signinWindow,
  type SigninHow,
  type SigninRecord,
  usedSignin,
} from '../domain/signin';
import type { Attendance } from '../domain/attendance';
import type { ChatRef, Duty, HistoryEntry, Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { Outbox } from '../queue/outbox';
import { sendOnce } from '../queue/send-once';
import type { ChatRepo } from '../store/chat-repo';
import type { DutyRepo } from '../store/duty-repo';
import type { SentLog } from '../store/sent-log';
import type { SigninRepo } from '../store/signin-repo';
import { formatDateTime } from '../time/format';
import type { PlatformRegistry } from './platform-registry';
import type { RosterService } from './roster';

export type Correction = 'present' | 'absent' | 'revoke';

/**
 * A sign-in's card refresh waits this long: the sign-ins of a meeting's first minutes (hundreds at once) are folded
 * into at most one patch a second (the extra 100 ms absorb the spread of the refreshes' own rendering time), and the
 * card shows the last of them within about a second and a half (bench/signin.bench.ts).
 */
export const SIGNIN_REFRESH_MS = 1100;

const CORRECTION_REFUSAL = '抱歉，只有本群的党务管理员可以补签、记缺席或撤销签到。';

/** Sign-in (签到) use cases: a member's own sign-in, a secretary's corrections, the code and the summary. */
export class SigninService {
  constructor(
    private readonly deps: {
      readonly config: Pick<Config, 'BOT_TIMEZONE' | 'BOT_SUPERADMINS'>;
      readonly duties: DutyRepo;
      readonly signins: SigninRepo;
      readonly chats: ChatRepo;
      readonly roster: RosterService;
      readonly outbox: Outbox;
      readonly platforms: PlatformRegistry;
      readonly sent: SentLog;
    },
  ) {}

  /** Duty #n of the chat, or 本群没有 #n. */
  async find(chat: ChatRef, number: number): Promise<Duty> {
    const duty = await this.deps.duties.getByNumber(chat, number);
    if (!duty) throw new AppError(ErrorCode.NotFound, `本群没有 #${number} 这个事项。发送「列表」查看编号。`);
    return duty;
  }

  /** A duty by id in the chat of a click; undefined when it is not this chat's. */
  async byId(chat: ChatRef, dutyId: string): Promise<Duty | undefined> {
    const duty = await this.deps.duties.get(dutyId);
    return duty && duty.chat.platform === chat.platform && duty.chat.chatId === chat.chatId ? duty : undefined;
  }

  /**
   * A member signs in (签到 #7 [code], or the card's button). Refused with a clear reason, nothing stored, outside the
   * window, on a cancelled duty, for a non-member, and with a missing or wrong code (each wrong code is counted).
   * `already` when they had signed in before (the first sign-in stands).
   */
  async signIn(duty: Duty, member: Member, now: number, how: 'text' | 'button', code?: string): Promise<{ record: SigninRecord; already: boolean }> {
    const refusal = checkSignin(duty, member.id, now);
    if (refusal) throw new AppError(refusal === 'not-member' ? ErrorCode.NotInAudience : ErrorCode.DutyClosed, signinRefusalText(refusal, duty, this.deps.config.BOT_TIMEZONE, now));
    let signedHow: SigninHow = how;
    if (duty.signinCode) {
      const expected = await this.codeOf(duty);
      const verdict = checkCode(code, expected, await this.deps.signins.wrongCodes(duty.id, member.id));
      if (verdict === 'wrong') {
        const wrong = await this.deps.signins.addWrongCode(duty.id, member.id);
        throw new AppError(ErrorCode.BadInput, codeRefusalText('wrong', duty, wrong));
      }
      if (verdict !== 'ok') throw new AppError(ErrorCode.BadInput, codeRefusalText(verdict, duty));
      signedHow = 'code';
    }
    const late = isLate(duty, now);
    const record: SigninRecord = { status: 'present', at: now, by: member.id, how: signedHow, ...(late ? { late } : {}) };
    const entry: HistoryEntry = { type: 'signin', at: now, by: member.id, member: member.id, how: signedHow === 'code' ? 'code' : how, ...(late ? { late } : {}) };
    const write = await this.deps.signins.write(duty.id, member.id, record, entry, true);
    if (write.ok) await this.deps.outbox.refresh(duty.id, SIGNIN_REFRESH_MS);
    return write.ok ? { record, already: false } : { record: write.existing, already: true };
  }

  /** Members present so far (the text answer says it; the button's toast does not, to answer fast). */
  async presentCount(duty: Pick<Duty, 'id'>): Promise<number> {
    return [...(await this.deps.signins.records(duty.id)).values()].filter((r) => r.status === 'present').length;
  }

  /**
   * A secretary's correction: 补签 (present), 缺席 with a reason, 撤销签到. Each is in the duty's history with who did
   * it. The target must be a member of the chat.
   */
  async correct(duty: Duty, by: Member, target: Pick<Member, 'id' | 'name'>, action: Correction, now: number, reason?: string): Promise<void> {
    const secretaries = await this.deps.chats.secretaries(duty.chat);
    if (!isSecretary(by, { secretaries, superadmins: this.deps.config.BOT_SUPERADMINS })) throw new AppError(ErrorCode.Forbidden, CORRECTION_REFUSAL);
    if (duty.kind === 'report') throw new AppError(ErrorCode.BadInput, `#${duty.number} 是报告类事项，没有签到。`);
    if (duty.state === 'cancelled') throw new AppError(ErrorCode.DutyClosed, `#${duty.number} 已取消，不能补签或记缺席。`);
    const members = await this.deps.roster.members(duty.chat);
    if (!members.some((m) => m.id === target.id) && !duty.audience.includes(target.id)) {
      throw new AppError(ErrorCode.NotInAudience, `${target.name} 不在本群，不能${action === 'present' ? '补签' : action === 'absent' ? '记缺席' : '撤销签到'}。`);
    }
    if (now < signinWindow(duty).opens) throw new AppError(ErrorCode.DutyClosed, `#${duty.number} 还没开始签到（${formatDateTime(signinWindow(duty).opens, this.deps.config.BOT_TIMEZONE, now)} 开始）。`);
    if (action === 'revoke') {
      const entry: HistoryEntry = { type: 'signin-correction', at: now, by: by.id, member: target.id, action };
      if (!(await this.deps.signins.revoke(duty.id, target.id, entry))) throw new AppError(ErrorCode.Conflict, `${target.name} 没有 #${duty.number} 的签到记录，无需撤销。`);
    } else {
      const record: SigninRecord = { status: action, at: now, by: by.id, how: 'corrected', ...(reason ? { reason } : {}) };
      const entry: HistoryEntry = { type: 'signin-correction', at: now, by: by.id, member: target.id, action, ...(reason ? { reason } : {}) };
      await this.deps.signins.write(duty.id, target.id, record, entry, false);
    }
    await this.deps.outbox.refresh(duty.id);
  }

  /** Who came, was on leave or was absent. */
  async attendance(duty: Duty): Promise<Attendance> {
    const [records, answers, names] = await Promise.all([this.deps.signins.records(duty.id), this.deps.duties.answers(duty.id), this.deps.roster.names(duty.chat)]);
    if (!names.has(duty.organizer.id)) names.set(duty.organizer.id, duty.organizer.name);
    return computeAttendance(duty, records, answers, names);
  }

  /** Sign-in was used: someone signed in or was recorded by a secretary (src/domain/signin.ts `usedSignin`). */
  async used(duty: Duty): Promise<boolean> {
    return usedSignin(await this.deps.signins.records(duty.id));
  }

  /** The summary posted at the end (`key` makes it one message however often it is asked). */
  async postSummary(duty: Duty, key: string): Promise<boolean> {
    if (!(await this.used(duty))) return false;
    await this.deps.outbox.text(duty.chat, [{ text: attendanceSummary(duty, await this.attendance(duty)) }], key);
    return true;
  }

  /** The duty's 4-digit code, fixed by the first to ask. */
  async codeOf(duty: Pick<Duty, 'id'>): Promise<string> {
    return this.deps.signins.takeCode(duty.id, String(randomInt(0, 10_000)).padStart(4, '0'));
  }

  /**
   * Send the organizer the code one-to-one, once (`key`); on the console, which has no one-to-one chats, in the
   * group shown to the organizer only (issue 14: "console: shown to them only"). False where the platform can do
   * neither.
   */
  async sendCode(duty: Duty, key: string): Promise<boolean> {
    const port = this.deps.platforms.get(duty.chat.platform);
    if (!port.sendDirect && !port.sendPrivate) return false;
    const code = await this.codeOf(duty);
    const text = [{ text: `#${duty.number}「${duty.title}」的签到码：${code}（只发给发起人，请在会上告知参会党员，回复「签到 #${duty.number} ${code}」签到）` }];
    const to = duty.organizer.id;
    await sendOnce(this.deps.sent, key, (k) =>
      port.sendDirect
        ? port.sendDirect(to, text, { idempotencyKey: k })
        : (port.sendPrivate?.(duty.chat.chatId, to, text, { idempotencyKey: k }) ?? Promise.reject(new Error('no private messages'))),
    );
    return true;
  }
}
