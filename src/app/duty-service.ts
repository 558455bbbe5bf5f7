import { categoryOf, type Category } from '../domain/categories';
import type { DutyOptions } from '../domain/duty-options';
import { refuseDutyContent } from '../domain/duty-content';
import { dutyRefusal, newTimeRefusal } from '../domain/duty-refusals';
import { canCancel, canReschedule, canSetReminders, checkNewTime } from '../domain/duty-rules';
import type { PlanContext } from '../domain/reminder-plan';
import { sameTitle, SIMILAR_WITHIN_MS } from '../domain/similar-notice';
import { isSecretary, REFUSAL, type ManageAction } from '../domain/permissions';
import { chatKey, type Answer, type AnswerStatus, type ChatRef, type Duty, type HistoryEntry, type Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { Config } from '../config';
import type { Outbox } from '../queue/outbox';
import type { ReminderPlanner } from '../queue/reminder-planner';
import type { CampaignRepo } from '../store/campaign-repo';
import type { ChatRepo } from '../store/chat-repo';
import type { AnswerOptions, AnswerWrite, CreateGuard, DutyRepo } from '../store/duty-repo';
import { inStages } from './in-stages';
import { newDuty } from './new-duty';
import type { RosterService } from './roster';

/** A new duty as a command, a series or a campaign gives it: the duty's own fields, and how it is made. */
export type CreateDutyInput = Pick<Duty, 'chat' | 'organizer' | 'kind' | 'label' | 'title' | 'at'> &
  Partial<Pick<Duty, 'place' | 'link' | 'notes' | 'campaignId' | 'seriesId'>> &
  DutyOptions & {
    /** Reminder points, minutes before `at` (Duty.reminderOffsets); the kind's defaults when absent. */
    readonly offsets?: readonly number[];
    /** The command message, so the card can answer it where the platform threads replies. */
    readonly replyTo?: string;
  };

/** Chats a stage of a bulk creation takes, and stages at a time: a campaign of 200 chats goes as 2 of 100 together. */
const STAGE_CHATS = 100;
const STAGE_LANES = 2;

/** Use cases on duties: each checks its input, writes the store atomically, then plans and enqueues sends. */
export class DutyService {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly duties: DutyRepo;
      readonly chats: ChatRepo;
      readonly roster: RosterService;
      readonly planner: ReminderPlanner;
      readonly outbox: Outbox;
      readonly campaigns: CampaignRepo;
    },
  ) {}

  async requireSecretary(chat: ChatRef, member: Member, action: ManageAction): Promise<void> {
    const secretaries = await this.deps.chats.secretaries(chat);
    if (!isSecretary(member, { secretaries, superadmins: this.deps.config.BOT_SUPERADMINS })) {
      throw new AppError(ErrorCode.Forbidden, REFUSAL[action]);
    }
  }

  /**
   * Create a duty. With `replyTo` (the command message) creation is idempotent: a command retried after a failure
   * half-way (Redis lost) finds the duty it created and completes the planning and the card, whose job ids are
   * fixed, so nothing is done twice.
   */
  async create(input: CreateDutyInput, now: number): Promise<Duty> {
    const guard = input.replyTo ? this.deps.duties.commandGuard(input.chat, input.replyTo) : undefined;
    const duty = await this.createIf(input, now, guard);
    if (duty) return duty;
    const existing = input.replyTo ? await this.deps.duties.byCommand(input.chat, input.replyTo) : undefined;
    if (!existing) throw new Error('duty creation was guarded out');
    await this.deps.planner.plan(existing, now);
    await this.deps.outbox.announce(existing.id, input.replyTo);
    return existing;
  }

  /**
   * Create a duty, and name the duties it may repeat: the chat's other duties still ahead with the same title within
   * a day of it (domain/similar-notice.ts). The duty is created all the same; the caller shows the others.
   */
  async createNoting(input: CreateDutyInput, now: number): Promise<{ duty: Duty; similar: Duty[] }> {
    const duty = await this.create(input, now);
    return { duty, similar: await this.similarTo(duty, now) };
  }

  /** Scheduled duties of the same chat, other than `duty`, with its title and within a day of its time, soonest first. */
  async similarTo(duty: Pick<Duty, 'id' | 'chat' | 'title' | 'at' | 'seriesId'>, now: number): Promise<Duty[]> {
    const near = await this.deps.duties.listByPeriod(duty.chat, duty.at - SIMILAR_WITHIN_MS, duty.at + SIMILAR_WITHIN_MS);
    return near.filter(
      (d) => d.id !== duty.id && d.state === 'scheduled' && d.at > now && sameTitle(d.title, duty.title) && (!duty.seriesId || d.seriesId !== duty.seriesId),
    );
  }

  /** Create unless `guard` says the duty exists already (a series occurrence): undefined then, nothing written. */
  async createIf(input: CreateDutyInput, now: number, guard?: CreateGuard): Promise<Duty | undefined> {
    this.check(input, now);
    // A chat whose members the platform cannot list (a DingTalk group without a 名单) gets an open audience.
    const members = await this.deps.roster.audience(input.chat);
    const duty = await this.deps.duties.createIf(newDuty(input, members), now, guard);
    if (!duty) return undefined;
    await this.deps.planner.plan(duty, now);
    await this.deps.outbox.announce(duty.id, input.replyTo);
    return duty;
  }

  /**
   * Create many duties at once (a campaign over many chats): every input is checked first, so one bad input
   * creates none; the rosters are read together, each chat's duties written in one transaction, their reminders
   * planned with bulk adds and their cards announced with one bulk add. The duties come back in the order of
   * `inputs`. With `campaignId` (one duty per chat), a chat that has its duty of the campaign already keeps it.
   */
  async createMany(inputs: readonly CreateDutyInput[], now: number, campaignId?: string): Promise<Duty[]> {
    for (const input of inputs) this.check(input, now);
    // Every chat's roster and plan context read first, together: a chat that cannot be read (a platform that fails, a
    // damaged setting) stops the creation before anything is written, whatever stage it would have been in.
    const chats = inputs.map((i) => i.chat);
    const [rosters, contexts] = await Promise.all([this.deps.roster.membersMany(chats), this.deps.planner.contextsOf(chats)]);
    return inStages(inputs, STAGE_CHATS, STAGE_LANES, (stage) => this.createStage(stage, now, { rosters, contexts }, campaignId));
  }

  /**
   * One stage of a bulk creation (src/app/in-stages.ts): the duties written, then their reminders and cards queued
   * together (job ids fixed by the duty: a retry adds neither twice; src/app/reconcile.ts fills gaps).
   */
  private async createStage(
    inputs: readonly CreateDutyInput[],
    now: number,
    read: { rosters: ReadonlyMap<string, Member[]>; contexts: ReadonlyMap<string, PlanContext> },
    campaignId?: string,
  ): Promise<Duty[]> {
    const duties = await this.deps.duties.createMany(
      inputs.map((input) => newDuty(input, read.rosters.get(chatKey(input.chat)) ?? [])),
      now,
      campaignId,
    );
    await Promise.all([
      this.deps.planner.planMany(duties, now, read.contexts),
      this.deps.outbox.announceMany(duties.map((d, i) => ({ dutyId: d.id, ...(inputs[i]?.replyTo ? { replyTo: inputs[i]?.replyTo } : {}) }))),
    ]);
    return duties;
  }

  /** The checks every new duty passes before anything is read or written (throws the refusal). */
  check(input: CreateDutyInput, now: number): void {
    const refusal = refuseDutyContent(input);
    if (refusal) throw new AppError(ErrorCode.BadInput, refusal);
    this.assertFuture(input.at, now);
  }

  async find(chat: ChatRef, number: number): Promise<Duty> {
    const duty = await this.deps.duties.getByNumber(chat, number);
    if (!duty) throw new AppError(ErrorCode.NotFound, `本群没有 #${number} 这个事项。发送「列表」查看编号。`);
    return duty;
  }

  /** The chat's duties still ahead, soonest first (列表). */
  async upcoming(chat: ChatRef, now: number): Promise<Duty[]> {
    return (await this.deps.duties.listOpen(chat)).filter((d) => d.at > now);
  }

  /** Every change of the duty and its answers, oldest first (历史). */
  async history(duty: Pick<Duty, 'id'>): Promise<HistoryEntry[]> {
    return this.deps.duties.history(duty.id);
  }

  async cancel(chat: ChatRef, number: number, by: Member, now: number): Promise<Duty> {
    const found = await this.find(chat, number);
    const res = await this.deps.duties.update(found.id, (d) => {
      const verdict = canCancel(d, now);
      if (!verdict.ok) return dutyRefusal({ request: 'cancel', reason: verdict.reason }, d);
      return { duty: { ...d, state: 'cancelled', updatedAt: now }, entry: { type: 'cancelled', at: now, by: by.id } };
    });
    if (!res.ok) throw new AppError(ErrorCode.Conflict, res.reason);
    await this.deps.planner.unplan(res.duty);
    await this.refresh(res.duty.id);
    return res.duty;
  }

  async reschedule(chat: ChatRef, number: number, at: number, by: Member, now: number): Promise<{ duty: Duty; previous: Duty }> {
    const found = await this.find(chat, number);
    this.assertFuture(at, now);
    const res = await this.deps.duties.update(found.id, (d) => {
      const verdict = canReschedule(d, at, now);
      if (!verdict.ok) return dutyRefusal({ request: 'reschedule', reason: verdict.reason }, d);
      return { duty: { ...d, at, updatedAt: now }, entry: { type: 'rescheduled', at: now, by: by.id, from: d.at, to: at } };
    });
    if (!res.ok) throw new AppError(ErrorCode.Conflict, res.reason);
    await this.deps.planner.replan(res.previous, res.duty, now);
    await this.refresh(res.duty.id);
    return { duty: res.duty, previous: res.previous };
  }

  async setReminders(chat: ChatRef, number: number, offsets: readonly number[], by: Member, now: number): Promise<Duty> {
    const found = await this.find(chat, number);
    const sorted = [...offsets].sort((a, b) => b - a);
    const res = await this.deps.duties.update(found.id, (d) => {
      const verdict = canSetReminders(d, now);
      if (!verdict.ok) return dutyRefusal({ request: 'set-reminders', reason: verdict.reason }, d);
      return { duty: { ...d, reminderOffsets: sorted, updatedAt: now }, entry: { type: 'reminders', at: now, by: by.id, offsets: sorted } };
    });
    if (!res.ok) throw new AppError(ErrorCode.Conflict, res.reason);
    await this.deps.planner.replan(res.previous, res.duty, now);
    await this.refresh(res.duty.id);
    return res.duty;
  }

  /** 类别 #7 党课: the organizer or a secretary changes the duty's category (the 台账 groups by it); cards refreshed. */
  async setCategory(chat: ChatRef, number: number, category: Category, by: Member, now: number): Promise<{ duty: Duty; from: Category }> {
    const found = await this.find(chat, number);
    if (found.organizer.id !== by.id) await this.requireSecretary(chat, by, 'category');
    const res = await this.deps.duties.update(found.id, (d) => {
      const from = categoryOf(d);
      if (from === category) return `#${d.number}「${d.title}」的类别已经是「${category}」。`;
      return { duty: { ...d, category, updatedAt: now }, entry: { type: 'category', at: now, by: by.id, from, to: category } };
    });
    if (!res.ok) throw new AppError(ErrorCode.Conflict, res.reason);
    await this.refresh(res.duty.id);
    return { duty: res.duty, from: categoryOf(res.previous) };
  }

  /** Record an answer; refused answers change nothing and carry a notice for the member. */
  async answer(
    dutyId: string,
    member: Member,
    status: Exclude<AnswerStatus, 'pending'>,
    now: number,
    reason?: string,
    options: AnswerOptions = {},
  ): Promise<AnswerWrite | undefined> {
    const write = await this.deps.duties.answer(dutyId, member.id, status, now, reason, options);
    if (write?.ok) {
      // An earlier answer's refresh, queued and not yet started, will render this one too.
      if (!write.refreshQueued) await this.refresh(dutyId);
      if (write.duty.campaignId) await this.deps.outbox.campaign(write.duty.campaignId, await this.deps.campaigns.bump(write.duty.campaignId));
    }
    return write;
  }

  async refresh(dutyId: string): Promise<void> {
    await this.deps.outbox.refresh(dutyId);
  }

  private assertFuture(at: number, now: number): void {
    const verdict = checkNewTime(at, now);
    if (!verdict.ok) throw new AppError(ErrorCode.BadTime, newTimeRefusal(verdict.reason, at, this.deps.config.BOT_TIMEZONE, now));
  }
}

export type { Answer };
