import { dutyRefusal } from '../domain/duty-refusals';
import { canNudge } from '../domain/duty-rules';
import { isSecretary } from '../domain/permissions';
import type { TallyEntry } from '../domain/tally';
import type { Duty, Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { RichText, TextSegment } from '../platforms/port';
import type { ChatRepo } from '../store/chat-repo';
import type { DutyRepo } from '../store/duty-repo';
import type { NudgeThrottle } from '../store/nudge-throttle';
import { formatDateTime } from '../time/format';
import type { DutyViews } from './duty-views';
import type { PlatformRegistry } from './platform-registry';
import type { RosterService } from './roster';

export interface PreparedNudge {
  readonly text: RichText;
  /** Members mentioned (claimed in the throttle). */
  readonly members: readonly TallyEntry[];
  /** Members left out because they were nudged within the window. */
  readonly throttled: readonly TallyEntry[];
}

/**
 * Nudges (催办) and escalation summaries. Only members who have not answered are mentioned, and each at most
 * once per duty per 2 hours however the nudge was triggered (the throttle is in Redis).
 */
export class NudgeService {
  constructor(
    private readonly deps: {
      readonly duties: DutyRepo;
      readonly views: DutyViews;
      readonly chats: ChatRepo;
      readonly roster: RosterService;
      readonly platforms: PlatformRegistry;
      readonly throttle: NudgeThrottle;
      readonly timeZone: string;
    },
  ) {}

  /**
   * 催办 from the chat: refused (Conflict) when the duty can no longer be nudged (src/domain/duty-rules.ts), else
   * `prepare`.
   */
  async nudge(duty: Duty, now: number): Promise<PreparedNudge | undefined> {
    const verdict = canNudge(duty, now);
    if (!verdict.ok) throw new AppError(ErrorCode.Conflict, dutyRefusal({ request: 'nudge', reason: verdict.reason }, duty));
    return this.prepare(duty, now);
  }

  /** Claim the pending members and build the text; undefined when nobody is left to nudge. */
  async prepare(duty: Duty, now: number): Promise<PreparedNudge | undefined> {
    const tally = await this.deps.views.tally(duty);
    if (tally.pending.length === 0) return undefined;
    const claimed = new Set(await this.deps.throttle.claim(duty.id, tally.pending.map((p) => p.memberId)));
    const members = tally.pending.filter((p) => claimed.has(p.memberId));
    const throttled = tally.pending.filter((p) => !claimed.has(p.memberId));
    if (members.length === 0) return { text: [], members, throttled };
    const action =
      duty.kind === 'report'
        ? `提交（回复「已提交 #${duty.number}」）`
        : `确认是否参加（回复「参加 #${duty.number}」或「请假 #${duty.number} 原因」）`;
    const segments: TextSegment[] = [{ text: '⏰ 催办 ' }];
    for (const p of members) segments.push({ mention: { id: p.memberId, name: p.name } }, { text: ' ' });
    segments.push({ text: `\n请尽快${action}：#${duty.number}「${duty.title}」 ${formatDateTime(duty.at, this.deps.timeZone, now)}` });
    return { text: segments, members, throttled };
  }

  async release(duty: Duty, nudge: PreparedNudge): Promise<void> {
    await this.deps.throttle.release(
      duty.id,
      nudge.members.map((m) => m.memberId),
    );
  }

  /** The organizer and the chat's secretaries (owner, admins, those set with 设置管理员). */
  async leaders(duty: Duty, superadmins: readonly string[]): Promise<Pick<Member, 'id' | 'name'>[]> {
    const [members, secretaries] = await Promise.all([this.deps.roster.members(duty.chat).catch(() => []), this.deps.chats.secretaries(duty.chat)]);
    const out = new Map<string, Pick<Member, 'id' | 'name'>>([[duty.organizer.id, duty.organizer]]);
    for (const m of members) if (isSecretary(m, { secretaries, superadmins })) out.set(m.id, { id: m.id, name: m.name });
    return [...out.values()];
  }

  /**
   * The summary when the time has passed with people still unanswered: who did not answer, who is on leave and
   * why; for reports, who is late. Undefined when everyone answered.
   */
  async escalation(duty: Duty, leaders: readonly Pick<Member, 'id' | 'name'>[]): Promise<RichText | undefined> {
    const t = await this.deps.views.tally(duty);
    if (t.pending.length === 0) return undefined;
    const names = (entries: readonly TallyEntry[]): string => entries.map((e) => (e.reason ? `${e.name}（${e.reason}）` : e.name)).join('、') || '无';
    const lines =
      duty.kind === 'report'
        ? [
            `📋 #${duty.number}「${duty.title}」已截止：已提交 ${t.submitted.length} · 未提交 ${t.pending.length}`,
            `逾期未交：${names(t.pending)}（此后提交将记为逾期）`,
          ]
        : [
            `📋 #${duty.number}「${duty.title}」已开始：参加 ${t.attending.length} · 请假 ${t.leave.length} · 未回复 ${t.pending.length}`,
            `未回复：${names(t.pending)}`,
            `请假：${names(t.leave)}`,
          ];
    const segments: TextSegment[] = [];
    for (const l of leaders) segments.push({ mention: l }, { text: ' ' });
    segments.push({ text: `\n${lines.join('\n')}` });
    return segments;
  }
}
