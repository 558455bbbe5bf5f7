import type { QuietHours } from '../domain/quiet-hours';
import { formatQuietHours } from '../domain/quiet-hours';
import type { ChatRef, Member } from '../domain/types';
import type { ReminderPlanner } from '../queue/reminder-planner';
import type { ChatRepo } from '../store/chat-repo';
import type { DutyRepo } from '../store/duty-repo';
import { DIRECT_NUDGE_SETTING, QUIET_SETTING, type PlanContexts } from './plan-context';
import type { PlatformRegistry } from './platform-registry';

export { DIRECT_NUDGE_SETTING };
/** `on` creates duties read from free writing at once, without a preview (设置 直接发起 开). */
export const DIRECT_CREATE_SETTING = 'direct-create';
/** `off` stops the automatic circular of a committee chat (设置 自动通报 关); on unless turned off. */
export const AUTO_CIRCULAR_SETTING = 'auto-circular';
/** The switches that are on until someone turns them off. */
const ON_BY_DEFAULT: readonly ChatSwitch[] = [AUTO_CIRCULAR_SETTING];

/** The on/off settings of a chat (设置 <名称> 开|关), by the key each is stored under. */
export type ChatSwitch = typeof DIRECT_NUDGE_SETTING | typeof DIRECT_CREATE_SETTING | typeof AUTO_CIRCULAR_SETTING;

export interface SettingsServiceDeps {
  readonly chats: ChatRepo;
  readonly duties: DutyRepo;
  readonly planContexts: PlanContexts;
  readonly planner: ReminderPlanner;
  readonly platforms: PlatformRegistry;
}

/**
 * A chat's settings (设置 …): its quiet hours and its on/off switches. Every change is stored with its audit entry
 * (who, when, what); a change of quiet hours moves every pending reminder of the chat at once.
 */
export class SettingsService {
  constructor(private readonly deps: SettingsServiceDeps) {}

  async quietHours(chat: ChatRef): Promise<QuietHours> {
    return this.deps.planContexts.quietHours(chat);
  }

  /** New quiet hours, and every open duty of the chat re-planned with them; how many duties were re-planned. */
  async setQuietHours(chat: ChatRef, quiet: QuietHours, by: Pick<Member, 'id'>, now: number): Promise<number> {
    const before = await this.deps.planContexts.for(chat);
    await this.deps.chats.setSetting(chat, QUIET_SETTING, JSON.stringify(quiet), { at: now, by: by.id, what: `免打扰 ${formatQuietHours(quiet)}` });
    // Every pending reminder of the chat moves with the new quiet hours.
    const open = await this.deps.duties.listOpen(chat);
    for (const duty of open) await this.deps.planner.replan(duty, duty, now, before);
    return open.length;
  }

  async isOn(chat: ChatRef, name: ChatSwitch): Promise<boolean> {
    const value = await this.deps.chats.setting(chat, name);
    return value === undefined ? ON_BY_DEFAULT.includes(name) : value === 'on';
  }

  /** Turn a switch on or off; `label` is its name in the chat's audit (私信催办, 直接发起). */
  async turn(chat: ChatRef, name: ChatSwitch, on: boolean, label: string, by: Pick<Member, 'id'>, now: number): Promise<void> {
    await this.deps.chats.setSetting(chat, name, on ? 'on' : 'off', { at: now, by: by.id, what: `${label} ${on ? '开' : '关'}` });
  }

  /** Whether the chat's platform lets the bot write to a member one to one (私信催办 needs it). */
  sendsDirect(chat: ChatRef): boolean {
    return Boolean(this.deps.platforms.get(chat.platform).sendDirect);
  }
}
