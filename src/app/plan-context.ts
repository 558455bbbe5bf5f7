import { DEFAULT_QUIET_HOURS, nextAllowed, type QuietHours } from '../domain/quiet-hours';
import { quietHoursSchema } from '../domain/record-schemas';
import type { PlanContext } from '../domain/reminder-plan';
import { chatKey, type ChatRef } from '../domain/types';
import type { ChatRepo } from '../store/chat-repo';
import type { WorkingCalendar } from '../time/calendar';

export const QUIET_SETTING = 'quiet';
/** `on` when nudges also go to each member one to one (设置 私信催办 开). */
export const DIRECT_NUDGE_SETTING = 'direct-nudge';

/**
 * Builds the context a duty's plan is computed in: the chat's quiet hours, the working calendar and the time
 * zone. The planner and the worker use the same context, so both derive the same job ids.
 */
export class PlanContexts {
  constructor(
    private readonly chats: ChatRepo,
    private readonly calendar: WorkingCalendar,
    private readonly timeZone: string,
    private readonly defaultQuiet: QuietHours = DEFAULT_QUIET_HOURS,
  ) {}

  /**
   * The chat's 免打扰 setting, or the default when unset. A setting that does not parse throws DamagedRecord
   * (src/store/chat-settings.ts settingRecord) instead of falling back to the default: the planner and the worker must
   * compute the same plan, and the error names the key to repair.
   */
  async quietHours(chat: ChatRef): Promise<QuietHours> {
    return (await this.chats.settingRecord(chat, QUIET_SETTING, quietHoursSchema)) ?? this.defaultQuiet;
  }

  async for(chat: ChatRef): Promise<PlanContext> {
    return this.build(await this.quietHours(chat));
  }

  /** The contexts of many chats, their settings read in one pipeline; keyed by chatKey. */
  async forMany(chats: readonly ChatRef[]): Promise<Map<string, PlanContext>> {
    const quiet = await this.chats.settingRecords(chats, QUIET_SETTING, quietHoursSchema);
    return new Map(chats.map((chat) => [chatKey(chat), this.build(quiet.get(chatKey(chat)) ?? this.defaultQuiet)]));
  }

  private build(quiet: QuietHours): PlanContext {
    const ctx = { quiet, timeZone: this.timeZone, isWorkday: (d: { year: number; month: number; day: number }) => this.calendar.isWorkday(d) };
    return {
      timeZone: this.timeZone,
      dayOfNudgeMinute: quiet.enabled ? quiet.end : 8 * 60,
      adjust: (t, duty, options) => nextAllowed(t, duty.at, ctx, options),
    };
  }
}
