import type { Config } from '../config';
import { categoryOf, inferCategory } from '../domain/categories';
import { KINDS } from '../domain/duty-kinds';
import { pickOptions } from '../domain/duty-options';
import { describeReminders } from '../domain/reminder-plan';
import { similarNotice } from '../domain/similar-notice';
import type { ChatRef, Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import { DutyRepo } from '../store/duty-repo';
import type { DraftRepo, DutyDraft } from '../store/draft-repo';
import { formatDateTime, formatOffset } from '../time/format';
import { otherCategoryExample } from './category-words';
import type { DutyService } from './duty-service';
import type { SeriesService } from './series-service';
import { DIRECT_CREATE_SETTING, type SettingsService } from './settings-service';

export type { DutyDraft };

/** Who creates a draft, where and when: from a command or from a preview's button. */
export interface DraftCreator {
  readonly chat: ChatRef;
  readonly organizer: Member;
  readonly log: Logger;
  readonly now: number;
}

export interface DraftServiceDeps {
  readonly config: Pick<Config, 'BOT_TIMEZONE'>;
  readonly drafts: DraftRepo;
  readonly settings: SettingsService;
  readonly dutyService: DutyService;
  readonly seriesService: SeriesService;
}

/**
 * Duties read from free writing (issue 12): previewed and kept for their author's 确认 (30 minutes, one per author
 * and chat), then created as a duty with its card or as a series; or created at once (设置 直接发起 开).
 */
export class DraftService {
  constructor(private readonly deps: DraftServiceDeps) {}

  /** Whether the chat creates what it reads at once, without a preview (设置 直接发起 开). */
  async createsDirectly(chat: ChatRef): Promise<boolean> {
    return this.deps.settings.isOn(chat, DIRECT_CREATE_SETTING);
  }

  /** Keep the draft for its author's 确认; the draft as kept, named so that only its own card's buttons take it. */
  async preview(chat: ChatRef, author: Pick<Member, 'id'>, draft: DutyDraft, now: number): Promise<DutyDraft> {
    // A time already over is said at once, with the time read, not after 确认.
    if (draft.schedule.kind === 'once' && draft.schedule.at <= now) {
      throw new AppError(ErrorCode.BadTime, `这个时间已经过去了（${formatDateTime(draft.schedule.at, this.deps.config.BOT_TIMEZONE, now)}），请换一个将来的时间。`);
    }
    const shown = { ...draft, id: DutyRepo.newId() };
    await this.deps.drafts.save(chat, author.id, shown);
    return shown;
  }

  /** The author's draft, taken (one 确认 creates it once); undefined when none is waiting. */
  async take(chat: ChatRef, author: Pick<Member, 'id'>): Promise<DutyDraft | undefined> {
    return this.deps.drafts.take(chat, author.id);
  }

  /** The author's draft if it is the one a preview card showed (`id`), taken; undefined otherwise. */
  async takeIf(chat: ChatRef, author: Pick<Member, 'id'>, id: string): Promise<DutyDraft | undefined> {
    return this.deps.drafts.takeIf(chat, author.id, id);
  }

  /**
   * Create what the draft says; the answer to show (已发起 #7 … / 已建立 系列2 …) and what was made. A category read
   * from the title is said on the answer's last line, with how to change it (类别 #7 党课).
   */
  async create(c: DraftCreator, draft: DutyDraft, replyTo: string | undefined): Promise<{ text: string; made: string }> {
    const { kind, title, schedule } = draft;
    const tz = this.deps.config.BOT_TIMEZONE;
    const warning = draft.warning ? `\n⚠️ ${draft.warning}` : '';
    const common = {
      chat: c.chat,
      organizer: c.organizer,
      kind,
      label: draft.label,
      title,
      ...(draft.place ? { place: draft.place } : {}),
      ...(draft.link ? { link: draft.link } : {}),
      ...(draft.notes ? { notes: draft.notes } : {}),
      ...(draft.offsets ? { offsets: draft.offsets } : {}),
      ...pickOptions(draft),
    };
    if (schedule.kind === 'recurring') {
      const series = this.deps.seriesService;
      const made = await series.create({ ...common, rule: schedule.rule, description: schedule.description }, c.now);
      const twin = similarNotice(made.similarDuties, made.similar);
      const { number } = made.series;
      c.log.info({ seriesId: made.series.id, number }, 'series created');
      const next = series.upcoming(made.series, c.now).map((o) => `${formatDateTime(o.at, tz, c.now)}${o.dayOff ? '（休息日）' : ''}`);
      const dayOffHint = next.some((n) => n.includes('休息日')) ? '\n⚠️ 有的日子是休息日；如需顺延，在规则后加「遇节假日顺延」。' : '';
      const category = draft.category ?? inferCategory(kind, title, draft.label);
      const filed = draft.category ? '' : `\n类别：${category}（按标题判断）；单次事项可发送「类别 #编号 ${otherCategoryExample(category)}」更改。`;
      const first = made.created.length > 0 ? `已发起 ${made.created.map((d) => `#${d.number}`).join('、')}；` : '';
      const announceAt = series.nextAnnouncement(made.series, c.now);
      const lead = `每次提前${formatOffset(series.announceLeadMs(made.series) / 60000)}发出通知卡片${announceAt === undefined ? '' : `，下一次约在 ${formatDateTime(announceAt, tz, c.now)}`}`;
      return {
        made: `系列${number}`,
        text: `已建立 系列${number}「${title}」：${schedule.description}。${first}接下来：${next.join('、')}。${lead}；停止请发送「停止 系列${number}」。${filed}${dayOffHint}${warning}${twin}`,
      };
    }
    const at = schedule.at;
    const { duty, similar } = await this.deps.dutyService.createNoting({ ...common, at, ...(replyTo ? { replyTo } : {}) }, c.now);
    const twin = similarNotice(similar);
    c.log.info({ dutyId: duty.id, number: duty.number }, 'duty created');
    const when = formatDateTime(duty.at, tz, c.now);
    const reminders = describeReminders(duty, c.now, formatOffset);
    const plan = reminders.startsWith('提前') ? `将在${reminders}提醒` : reminders;
    const category = categoryOf(duty);
    // Said when read from the title: the secretary sees where the 台账 files it and how to change that.
    const filed = draft.category ? '' : `\n类别：${category}（按标题判断）；如需更改，发送「类别 #${duty.number} ${otherCategoryExample(category)}」。`;
    return { made: `#${duty.number}`, text: `已发起 #${duty.number}「${duty.title}」，${KINDS[kind].timeLabel} ${when}；${plan}。${filed}${warning}${twin}` };
  }
}
