/**
 * What the 通报 tests on Feishu and DingTalk share: a meeting's time as a member types it, the period word that
 * names the meeting's month at the time of 通报, the 3rd working day (09:00) of the month after, the conversation
 * that registers the units and holds a 支委会, and the automatic circulars' check. Beijing time, whatever TZ the tests
 * run with.
 */
import { circularSizesDue } from '../../src/domain/circular';
import { addDays, fromZoned, zonedParts } from '../../src/time/zoned';
import { eventually, type StartedBot, type TestClock } from '../helpers/harness';

const TZ = 'Asia/Shanghai';
type Day = { year: number; month: number; day: number };

/** The next whole ten minutes at least 20 minutes after `now`. */
export const meetingAt = (now: number): number => Math.ceil((now + 20 * 60_000) / 600_000) * 600_000;

/** `12月6日14:30` in Beijing time. */
export function meetingWords(at: number): string {
  const p = zonedParts(at, TZ);
  return `${p.month}月${p.day}日${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** `本月` when `now` is in the month of `at`, else `上月` (a test run across midnight at a month's end). */
export function monthWord(at: number, now: number): string {
  const [a, n] = [zonedParts(at, TZ), zonedParts(now, TZ)];
  return a.year === n.year && a.month === n.month ? '本月' : '上月';
}

/** `2026年12月`, the title of the month of `at`. */
export function monthTitle(at: number): string {
  const p = zonedParts(at, TZ);
  return `${p.year}年${p.month}月`;
}

/** 09:00 of the 3rd working day of the month after the month of `at`: the automatic circular's run. */
export function circularRunAfter(at: number, isWorkday: (d: Day) => boolean): number {
  const p = zonedParts(at, TZ);
  let day: Day = p.month === 12 ? { year: p.year + 1, month: 1, day: 1 } : { year: p.year, month: p.month + 1, day: 1 };
  for (let i = 0; i < 15 && circularSizesDue(day, isWorkday).length === 0; i++) day = addDays(day, 1);
  return fromZoned({ ...day, hour: 9, minute: 0 }, TZ);
}

/** A platform's world as the shared steps drive it (test/feishu/support.ts, test/dingtalk/support.ts). */
export interface StepsWorld {
  readonly clock: TestClock;
  /** `sender` writes `text` in `chatId`, through the platform's public entry. */
  say(sender: string, text: string, chatId: string): Promise<unknown>;
  /** Waits for the bot's text in `chatId` that contains `part`. */
  said(chatId: string, part: string): Promise<unknown>;
  /** Waits for the meeting's card in the branch's chat. */
  meetingCard(): Promise<unknown>;
}

/** Who and where: the superadmin, the branch's secretary and two of its members (李明, 张丽), and the three chats. */
export interface StepsCast {
  readonly root: string;
  readonly secretary: string;
  readonly members: readonly [string, string];
  readonly committee: string;
  readonly branch: string;
  readonly branch2: string;
}

/**
 * The units registered by 本群 … 上级 … (市直机关工委 above 第一党支部 and 第二党支部), then in 第一党支部 a 支委会
 * that two members sign in to and whose minutes are filed after it ended. Resolves to the meeting's start.
 */
export async function holdBranchMeeting(w: StepsWorld, c: StepsCast): Promise<number> {
  await w.say(c.root, '本群 市直机关工委', c.committee);
  await w.said(c.committee, '已登记：本群为「市直机关工委」（工委）');
  await w.say(c.root, '本群 第一党支部 上级 市直机关工委', c.branch);
  await w.said(c.branch, '已登记：本群为「第一党支部」');
  await w.say(c.root, '本群 第二党支部 上级 市直机关工委', c.branch2);
  await w.said(c.branch2, '已登记：本群为「第二党支部」');
  const at = meetingAt(Date.now());
  await w.say(c.secretary, `会议 支部委员会 ${meetingWords(at)}`, c.branch);
  await w.meetingCard();
  w.clock.t = at + 5 * 60_000;
  await w.say(c.members[0], '签到 #1', c.branch);
  await w.said(c.branch, '李明：已签到');
  await w.say(c.members[1], '签到 #1', c.branch);
  await w.said(c.branch, '张丽：已签到');
  w.clock.t = at + 2 * 3_600_000;
  await w.say(c.secretary, '纪要 #1 传达学习了上级精神。', c.branch);
  await w.said(c.branch, '✅ 已保存 #1「支部委员会」的纪要');
  return at;
}

/** Runs the automatic circulars' check (the inbound queue's `circular-check` job) and resolves to what it returned. */
export async function runCircularCheck(started: StartedBot, jobId: string): Promise<unknown> {
  const { queues } = started.bot;
  const job = await queues.inbound.add('circular-check', { type: 'circular-check' }, { jobId });
  return eventually(async () => (await job.isCompleted()) && (await queues.inbound.getJob(job.id ?? ''))?.returnvalue, 8000, 'the check');
}
