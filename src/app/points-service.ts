import { createHash } from 'node:crypto';
import { minutesPoints, recorderOf } from '../domain/minutes';
import { dutyEntries, summarize, type DutyFacts, type PointsSummary } from '../domain/points';
import type { PointsRules } from '../domain/points-rules';
import type { StatsPeriod } from '../domain/stats-period';
import { chatKey, type ChatRef, type Duty } from '../domain/types';
import { PlatformError } from '../errors';
import type { Logger } from '../logger';
import type { RichText } from '../platforms/port';
import { sendOnce } from '../queue/send-once';
import type { ChatRepo } from '../store/chat-repo';
import type { DutyRepo } from '../store/duty-repo';
import type { DutyRecords, PointsReads } from '../store/points-reads';
import type { SentLog } from '../store/sent-log';
import type { WorkingCalendar } from '../time/calendar';
import type { PlatformRegistry } from './platform-registry';
import { committeeAverages, type CommitteeRow } from './points-committee';
import type { RosterService } from './roster';

/** One member's points over a period. */
export interface MemberPoints extends PointsSummary {
  readonly memberId: string;
  readonly name: string;
}

/** A member's points in one of their groups. */
export interface GroupPoints {
  readonly chat: ChatRef;
  readonly name: string;
  readonly points: MemberPoints;
}

/** A chat's 积分 over a period: every member, highest total first. */
export interface PointsRanking {
  readonly chat: ChatRef;
  readonly chatName: string;
  readonly period: StatsPeriod;
  readonly now: number;
  readonly rules: PointsRules;
  readonly members: readonly MemberPoints[];
}

/** A chat's average per member over a period (a committee's view of its units, issue 15). */
export interface ChatPointsAverage {
  readonly chat: ChatRef;
  readonly members: number;
  readonly total: number;
  /** total / members, to one decimal; 0 for a chat without members. */
  readonly average: number;
}

/** What another part (units, the committee's 通报) needs of 积分: a chat's average per member for a period. */
export interface PointsAverages {
  chatAverage(chat: ChatRef, period: StatsPeriod, now: number): Promise<ChatPointsAverage>;
}

export interface PointsServiceDeps {
  readonly duties: Pick<DutyRepo, 'listByPeriod'>;
  /** The chats a committee chat reaches (its 积分 排行 lists their averages). */
  readonly chats: Pick<ChatRepo, 'known' | 'kinds' | 'rosters' | 'name'>;
  readonly reads: PointsReads;
  readonly roster: RosterService;
  readonly calendar: WorkingCalendar;
  readonly timeZone: string;
  readonly rules: PointsRules;
  readonly platforms: PlatformRegistry;
  readonly sent: SentLog;
  readonly log: Logger;
}

/**
 * 积分 (issue 15): a member's points and a chat's ranking over a period, derived from the records every time (no
 * counter is kept). Reads the period's duties (one ZRANGEBYSCORE + MGET) and their records in one call (a
 * member's: one script; a ranking's: one pipeline, src/store/points-reads.ts); the rules are pure (src/domain/points.ts). No writes, except the one-to-one answer.
 */
export class PointsService implements PointsAverages {
  constructor(private readonly deps: PointsServiceDeps) {}

  get rules(): PointsRules {
    return this.deps.rules;
  }

  /** One member's total and entries over the period. */
  async member(chat: ChatRef, member: { readonly id: string; readonly name: string }, period: StatsPeriod, now: number): Promise<MemberPoints> {
    const duties = await this.deps.duties.listByPeriod(chat, period.from, period.to);
    const recorded = new Set(duties.filter((d) => d.kind !== 'report' && recorderOf(d).id === member.id).map((d) => d.id));
    const records = await this.deps.reads.forMember(duties.map((d) => d.id), member.id, recorded);
    const entries = duties.flatMap((d) => dutyEntries(this.facts(d, records.get(d.id), member.id), [member.id], this.deps.rules, now));
    return { memberId: member.id, name: member.name, ...summarize(entries, this.deps.rules, this.deps.timeZone) };
  }

  /** Every member of the chat (and anyone who earned points in it), highest total first, then by name. */
  async ranking(chat: ChatRef, period: StatsPeriod, now: number): Promise<PointsRanking> {
    const duties = await this.deps.duties.listByPeriod(chat, period.from, period.to);
    const [records, names, roster, chatName] = await Promise.all([
      this.deps.reads.forDuties(duties.map((d) => d.id)),
      this.names(chat),
      this.deps.roster.audience(chat).catch(() => []),
      this.deps.roster.chatName(chat).catch(() => chat.chatId),
    ]);
    const ids = new Set(roster.map((m) => m.id));
    const byMember = new Map<string, ReturnType<typeof dutyEntries>>();
    for (const d of duties) {
      const facts = this.facts(d, records.get(d.id));
      const who = new Set([...d.audience, ...facts.answers.keys(), ...facts.signins.keys()]);
      for (const e of dutyEntries(facts, [...who], this.deps.rules, now)) {
        ids.add(e.memberId);
        const list = byMember.get(e.memberId) ?? [];
        list.push(e);
        byMember.set(e.memberId, list);
      }
    }
    const members = [...ids]
      .map((id) => ({ memberId: id, name: names.get(id) ?? id, ...summarize(byMember.get(id) ?? [], this.deps.rules, this.deps.timeZone) }))
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name, 'zh-CN'));
    return { chat, chatName, period, now, rules: this.deps.rules, members };
  }

  async chatAverage(chat: ChatRef, period: StatsPeriod, now: number): Promise<ChatPointsAverage> {
    const { members } = await this.ranking(chat, period, now);
    const total = members.reduce((s, m) => s + m.total, 0);
    return { chat, members: members.length, total, average: members.length === 0 ? 0 : Math.round((total / members.length) * 10) / 10 };
  }

  /**
   * A member's points in every group of the platform whose kept roster lists them (积分 sent to the bot one-to-one):
   * one pipeline for the rosters, then one member computation per group they are in, groups with entries first.
   */
  async acrossGroups(platform: ChatRef['platform'], member: { readonly id: string; readonly name: string }, period: StatsPeriod, now: number): Promise<GroupPoints[]> {
    const known = await this.deps.chats.known(platform);
    const kinds = await this.deps.chats.kinds(known);
    const groups = known.filter((c) => kinds.get(chatKey(c)) === 'group');
    const rosters = await this.deps.chats.rosters(groups);
    const mine = groups.filter((c) => rosters.get(chatKey(c))?.members.some((m) => m.id === member.id) === true);
    const out = await Promise.all(
      mine.map(async (chat) => ({ chat, name: (await this.deps.chats.name(chat)) ?? chat.chatId, points: await this.member(chat, member, period, now) })),
    );
    return out.sort((a, b) => Number(b.points.entries.length > 0) - Number(a.points.entries.length > 0) || a.name.localeCompare(b.name, 'zh-CN'));
  }

  /** A committee chat's ranking of the chats it reaches, by average per member (src/app/points-committee.ts). */
  async committeeRanking(origin: ChatRef, period: StatsPeriod, now: number): Promise<CommitteeRow[]> {
    return committeeAverages({ chats: this.deps.chats, roster: this.deps.roster, points: this }, origin, period, now);
  }

  /**
   * Send `text` to the member one-to-one, once per command message (a retried job sends nothing more). False where the platform
   * has no one-to-one messages (the console, DingTalk's groups) or refuses this member for good: the caller answers
   * in the group instead.
   */
  async sendToMember(chat: ChatRef, memberId: string, text: RichText, messageId: string): Promise<boolean> {
    const port = this.deps.platforms.get(chat.platform);
    if (!port.sendDirect) return false;
    // ≤ 50 characters (SendOptions.idempotencyKey), the same for every retry of the job answering this message.
    const key = `pts-${createHash('sha256').update(`${chat.platform}:${messageId}`).digest('hex').slice(0, 40)}`;
    try {
      await sendOnce(this.deps.sent, key, (k) => port.sendDirect?.(memberId, text, { idempotencyKey: k }) ?? Promise.reject(new Error('no direct messages')));
      return true;
    } catch (err) {
      // The platform will never deliver it (the member cannot be written to): answer in the group instead. A passing
      // failure is thrown, and the job answering the message is retried.
      if (err instanceof PlatformError && err.permanent) {
        this.deps.log.info({ code: err.platformCode }, '积分 could not go one-to-one: answered in the group');
        return false;
      }
      throw err;
    }
  }

  /** A duty's facts; the minutes' due time only where it can matter (minutes filed, by the member asked about). */
  private facts(duty: Duty, records: DutyRecords | undefined, memberId?: string): DutyFacts {
    const needsDue = duty.kind !== 'report' && records?.minutes !== undefined && (memberId === undefined || recorderOf(duty).id === memberId);
    const due = needsDue ? minutesPoints(duty, this.deps.calendar, this.deps.timeZone)[0]?.dueAt : undefined;
    return {
      duty,
      answers: records?.answers ?? new Map(),
      signins: records?.signins ?? new Map(),
      signinUsed: duty.signinCode === true || (records?.signinCount ?? 0) > 0,
      ...(records?.minutes ? { minutes: records.minutes } : {}),
      ...(due !== undefined ? { minutesDueBy: due } : {}),
    };
  }

  /** The roster's names; a platform that cannot be reached leaves ids in their place. */
  private async names(chat: ChatRef): Promise<Map<string, string>> {
    try {
      return await this.deps.roster.names(chat);
    } catch (err) {
      this.deps.log.warn({ err, chatId: chat.chatId }, 'roster unavailable: 积分 shows member ids');
      return new Map();
    }
  }
}
