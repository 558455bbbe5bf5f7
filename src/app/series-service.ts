import type { Queue } from 'bullmq';
import type { DutyTemplate } from '../../schedules';
import type { Config } from '../config';
import { refuseDutyContent } from '../domain/duty-content';
import { KINDS } from '../domain/duty-kinds';
import { pickOptions } from '../domain/duty-options';
import type { Series } from '../domain/series';
import { sameTitle } from '../domain/similar-notice';
import type { ChatRef, Duty, Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import type { SeriesJob } from '../queue/queues';
import type { SeriesRepo } from '../store/series-repo';
import type { WorkingCalendar } from '../time/calendar';
import { nextOccurrences, type Occurrence } from '../time/occurrences';
import { parseSchedule } from '../time/parse-schedule';
import type { RecurrenceRule } from '../time/recurrence-rule';
import type { DutyService } from './duty-service';

/** How often each series' job scheduler wakes to create the occurrences coming into view. */
export const SERIES_EVERY_MS = 3600 * 1000;
/** An occurrence is created (and announced) this long before its first reminder. */
export const ANNOUNCE_LEAD_MS = 24 * 3600 * 1000;
/** Occurrences missed while the bot was down are looked for this far back (their time must still be ahead). */
const CATCH_UP_MS = 7 * 24 * 3600 * 1000;

/** A new series: the series' own fields, without those the store gives it (id, number, state, times). */
export type NewSeriesInput = Omit<Series, 'id' | 'number' | 'state' | 'createdAt' | 'updatedAt'>;

/**
 * Recurring duties. Each series is data in Redis and has one BullMQ job scheduler (`series-<id>`, upserted, so a
 * restart or a second process never adds another); its jobs create the occurrences that come into view, each
 * guarded by the series' occurrence record in the same transaction: none is skipped and none is created twice.
 */
export class SeriesService {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly series: SeriesRepo;
      readonly dutyService: DutyService;
      readonly calendar: WorkingCalendar;
      readonly queue: Queue<SeriesJob>;
      readonly log: Logger;
    },
  ) {}

  /**
   * Checked before anything is stored: a refused series leaves no record and no scheduler behind. Comes back with
   * what it may repeat (domain/similar-notice.ts): the chat's other active series with the same title, and the
   * duties of the same title within a day of an occurrence it created at once. It is created all the same.
   */
  async create(
    input: NewSeriesInput,
    now: number,
  ): Promise<{ series: Series; created: Duty[]; similar: Series[]; similarDuties: Duty[] }> {
    const refusal = refuseDutyContent(input);
    if (refusal) throw new AppError(ErrorCode.BadInput, refusal);
    if (this.upcoming(input, now, 1).length === 0) throw new AppError(ErrorCode.BadTime, '这个循环规则以后不会再有日子了，请换一个规则。');
    const series = await this.deps.series.create(input, now);
    await this.schedule(series);
    const created = await this.materialize(series.id, now);
    const similar = (await this.deps.series.list(series.chat)).filter((s) => s.id !== series.id && s.state === 'active' && sameTitle(s.title, series.title));
    const near = await Promise.all(created.map((d) => this.deps.dutyService.similarTo(d, now)));
    const similarDuties = [...new Map(near.flat().map((d) => [d.id, d])).values()].sort((a, b) => a.number - b.number);
    return { series, created, similar, similarDuties };
  }

  private async schedule(series: Series): Promise<void> {
    await this.deps.queue.upsertJobScheduler(`series-${series.id}`, { every: SERIES_EVERY_MS }, { name: 'materialize', data: { seriesId: series.id } });
  }

  /** Start-up: every active series has its scheduler (idempotent). */
  async ensureSchedulers(): Promise<number> {
    const active = await this.deps.series.active();
    for (const s of active) await this.schedule(s);
    return active.length;
  }

  /** The next occurrences of a series strictly after `now` (flagged when one falls on a day off). */
  upcoming(series: Pick<Series, 'rule'>, now: number, count = 3): Occurrence[] {
    return nextOccurrences(series.rule, { after: now, count, timeZone: this.deps.config.BOT_TIMEZONE, calendar: this.deps.calendar });
  }

  /** How long before an occurrence its card is posted: a day before its first reminder. */
  announceLeadMs(series: Pick<Series, 'kind' | 'offsets'>): number {
    const offsets = series.offsets ?? KINDS[series.kind].defaultOffsets;
    return Math.max(0, ...offsets) * 60000 + ANNOUNCE_LEAD_MS;
  }

  /**
   * When the next card not yet posted goes out (issue 17: "下一次：12月30日 15:00"): the first occurrence whose
   * announcement is still ahead. The series' job scheduler wakes every SERIES_EVERY_MS, so the card follows within that.
   */
  nextAnnouncement(series: Pick<Series, 'kind' | 'offsets' | 'rule'>, now: number): number | undefined {
    const lead = this.announceLeadMs(series);
    const next = this.upcoming(series, now, 400).find((o) => o.at - lead > now);
    return next === undefined ? undefined : next.at - lead;
  }

  /** Create every occurrence due to be announced by now; returns the duties created by this call. */
  async materialize(seriesId: string, now: number): Promise<Duty[]> {
    const series = await this.deps.series.get(seriesId);
    if (!series || series.state !== 'active') return [];
    const lead = this.announceLeadMs(series);
    const after = Math.max(series.updatedAt, now - CATCH_UP_MS) - 1;
    const occurrences = nextOccurrences(series.rule, { after, count: 400, timeZone: this.deps.config.BOT_TIMEZONE, calendar: this.deps.calendar }).filter(
      (o) => o.at > now && o.at - lead <= now,
    );
    const created: Duty[] = [];
    for (const o of occurrences) {
      const duty = await this.deps.dutyService.createIf(
        {
          chat: series.chat,
          organizer: series.organizer,
          kind: series.kind,
          label: series.label,
          title: series.title,
          at: o.at,
          ...(series.place ? { place: series.place } : {}),
          ...(series.link ? { link: series.link } : {}),
          ...(series.notes ? { notes: series.notes } : {}),
          ...(series.offsets ? { offsets: series.offsets } : {}),
          ...pickOptions(series),
          seriesId: series.id,
        },
        now,
        this.deps.series.occurrenceGuard(series.id, o.at),
      );
      if (duty) created.push(duty);
    }
    if (created.length > 0) this.deps.log.info({ seriesId, created: created.map((d) => d.number) }, 'series occurrences created');
    return created;
  }

  /** The chat's series, active and stopped (系列). */
  async list(chat: ChatRef): Promise<Series[]> {
    return this.deps.series.list(chat);
  }

  /** 启用 <模板>: one series per item of the template, unless the chat has it active already. */
  async enableTemplate(template: DutyTemplate, chat: ChatRef, organizer: Pick<Member, 'id' | 'name'>, now: number): Promise<Series[]> {
    const existing = (await this.deps.series.list(chat)).filter((s) => s.template === template.id && s.state === 'active');
    if (existing.length > 0) {
      throw new AppError(ErrorCode.Conflict, `本群已启用「${template.name}」（${existing.map((s) => `系列${s.number}`).join('、')}）。`);
    }
    const made: Series[] = [];
    for (const item of template.items) {
      const parsed = parseSchedule(item.schedule, { now, timeZone: this.deps.config.BOT_TIMEZONE, calendar: this.deps.calendar, deadline: item.kind === 'report' });
      if (!parsed.ok || parsed.kind !== 'recurring') throw new Error(`template ${template.id} has a bad schedule: ${item.schedule}`);
      const { kind, label, title, category } = item;
      const input = { chat, organizer, kind, label, title, category, rule: parsed.rule, description: parsed.description, template: template.id };
      const { series } = await this.create(input, now);
      made.push(series);
    }
    return made;
  }

  async find(chat: ChatRef, number: number): Promise<Series> {
    const s = await this.deps.series.getByNumber(chat, number);
    if (!s) throw new AppError(ErrorCode.NotFound, `本群没有 系列${number}。发送「系列」查看编号。`);
    return s;
  }

  /** Stop a series: no new occurrences; those already created stay unless cancelled. */
  async stop(chat: ChatRef, number: number, now: number): Promise<Series> {
    const found = await this.find(chat, number);
    const res = await this.deps.series.update(found.id, (s) => (s.state === 'stopped' ? `系列${s.number} 已经停止了。` : { ...s, state: 'stopped', updatedAt: now }));
    if (!res.ok) throw new AppError(ErrorCode.Conflict, res.reason);
    await this.deps.queue.removeJobScheduler(`series-${found.id}`);
    return res.series;
  }

  /** A new rule from now on; occurrences already created keep their time (改期 #n moves one). */
  async reschedule(chat: ChatRef, number: number, rule: RecurrenceRule, description: string, now: number): Promise<Series> {
    const found = await this.find(chat, number);
    const res = await this.deps.series.update(found.id, (s) =>
      s.state === 'stopped' ? `系列${s.number} 已停止，不能改期。` : { ...s, rule, description, updatedAt: now },
    );
    if (!res.ok) throw new AppError(ErrorCode.Conflict, res.reason);
    await this.schedule(res.series);
    await this.materialize(res.series.id, now);
    return res.series;
  }
}
