import type { Config } from '../config';
import { judgeMinutes, minutesRefusalText, type Minutes, type MinutesRefusal } from '../domain/minutes';
import { isSecretary } from '../domain/permissions';
import type { ChatRef, Duty, Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { DutyFollowUps } from '../queue/minutes-planner';
import type { ChatRepo } from '../store/chat-repo';
import type { MinutesRepo } from '../store/minutes-repo';
import type { DutyService } from './duty-service';

export interface MinutesServiceDeps {
  readonly config: Pick<Config, 'BOT_SUPERADMINS'>;
  readonly chats: ChatRepo;
  readonly dutyService: DutyService;
  readonly minutes: MinutesRepo;
  /** The planned reminders of missing minutes, dropped once minutes arrive. */
  readonly reminders: Pick<DutyFollowUps, 'unplan'>;
}

const REFUSALS: readonly MinutesRefusal[] = ['report', 'cancelled', 'empty', 'too-long', 'not-allowed'];

/** 纪要 #7 <文字>: who may write a duty's minutes, and storing them (one MULTI, src/store/minutes-repo.ts). */
export class MinutesService {
  constructor(private readonly deps: MinutesServiceDeps) {}

  /**
   * Store `text` as the minutes of duty #`number`: refused (AppError, nothing stored) for an ordinary member, a
   * report, a cancelled duty, an empty or too long text. A second write replaces the first; both stay in the history.
   */
  async write(chat: ChatRef, number: number, sender: Member, text: string, now: number): Promise<{ duty: Duty; minutes: Minutes; replaced: boolean }> {
    const duty = await this.deps.dutyService.find(chat, number);
    const secretaries = await this.deps.chats.secretaries(chat);
    const secretary = isSecretary(sender, { secretaries, superadmins: this.deps.config.BOT_SUPERADMINS });
    const length = [...text].length;
    const refuse = (reason: MinutesRefusal, d: Duty): never => {
      throw new AppError(reason === 'not-allowed' ? ErrorCode.Forbidden : reason === 'cancelled' ? ErrorCode.DutyClosed : ErrorCode.BadInput, minutesRefusalText(reason, d, length));
    };
    const early = judgeMinutes(duty, sender.id, secretary, text);
    if (early) refuse(early, duty);
    // Judged again on the duty as it is inside the transaction (cancelled meanwhile).
    const written = await this.deps.minutes.write(duty.id, text, sender, now, (d) => judgeMinutes(d, sender.id, secretary, text));
    if (!written.ok) {
      const reason = REFUSALS.find((r) => r === written.reason);
      if (reason) refuse(reason, duty);
      throw new AppError(ErrorCode.NotFound, `本群没有 #${number} 这个事项。发送「列表」查看编号。`);
    }
    await this.deps.reminders.unplan(written.duty);
    return written;
  }

  async get(dutyId: string): Promise<Minutes | undefined> {
    return this.deps.minutes.get(dutyId);
  }
}
