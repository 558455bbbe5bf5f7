/**
 * 签到 on DingTalk through its real entries (the robot's Stream or HTTP messages, the card callback) against the fake
 * built from DingTalk's documentation (test/fakes/dingtalk): the window's jobs update the template card (the 签到
 * button, with the code input under 签到码 开), the organizer gets the code one-to-one (oToMessages/batchSend:
 * https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches), members sign in
 * by the button or by text, 迟到 after 10 minutes, and the chat gets the summary at the end. Without a template the
 * card cannot change and 签到 #n by text is the way (the card's footer says so).
 */
import type { Duty } from '../../src/domain/types';
import { runFirstReminder } from '../helpers/follow-ups';
import { signinJobId } from '../../src/queue/signin-planner';
import type { DingCard } from '../fakes/dingtalk';
import { GROUP, SECRETARY, USERS, cardsIn, dingWorld, textOf, user, type DingWorld } from '../dingtalk/support';
import { plannedDuty } from './planned-duty';

const MINUTE = 60_000;

interface Answer {
  cardData?: { cardParamMap?: Record<string, string> };
  userPrivateData?: { cardParamMap?: Record<string, string> };
}

/** A meeting an hour from now, planned and announced as a command would. */
async function meeting(w: DingWorld, fields: Partial<Duty> = {}): Promise<Duty> {
  return plannedDuty(w, (now) => ({
    chat: { platform: 'dingtalk', chatId: GROUP },
    kind: 'meeting',
    label: '会议',
    title: '支部委员会',
    at: now + 60 * MINUTE,
    organizer: { id: SECRETARY, name: '王建国' },
    audience: USERS.map((u) => u.userId),
    reminderOffsets: [],
    ...fields,
  }));
}

/** Run a window job now (the job BullMQ would run at its time), with the bot's clock at `at`. */
async function runJob(w: DingWorld, duty: Duty, moment: 'open' | 'end', dueAt: number, at: number): Promise<void> {
  w.clock.t = at;
  const job = await w.started.bot.queues.signin.getJob(signinJobId(duty.id, moment, dueAt));
  if (!job) throw new Error(`no ${moment} job`);
  await job.promote();
}

/** The group's text answers (session replies and group messages) that contain `part`. */
const said = (w: DingWorld, part: string) => () => w.sent(GROUP).find((s) => s.kind !== 'card' && textOf(s).includes(part));

describe('签到 on DingTalk with the template card (Stream mode)', () => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream' });
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should open the window on the card, send the code one-to-one, take button and text sign-ins, mark 迟到 and sum up at the end', async () => {
    const duty = await meeting(w, { signinCode: true });
    const card: DingCard = await w.waitFor(() => cardsIn(w.fake)[0], 'the duty card');
    expect([card.cardData.btn1Label, card.cardData.btn2Label]).toEqual(['参加', '请假']);
    await w.say(user(4), '请假 #1 外出培训');
    await w.waitFor(said(w, '请假'), 'the answer to 请假');

    // The window opens 30 minutes before the start: the card gets 签到 with its code input, the organizer the code.
    await runJob(w, duty, 'open', duty.at - 30 * MINUTE, duty.at - 25 * MINUTE);
    const dm = await w.waitFor(() => w.fake.sent.find((s) => s.kind === 'oto' && textOf(s).includes('签到码')), 'the code one-to-one');
    expect(dm.userIds).toEqual([SECRETARY]);
    const code = /签到码：(\d{4})/.exec(textOf(dm))?.[1] ?? 'none';
    expect(code).toBe(await w.started.bot.services.signin.codeOf(duty));
    const open = await w.waitFor(() => (w.fake.cards.get(card.outTrackId)?.cardData.btn2Label === '签到' ? w.fake.cards.get(card.outTrackId) : undefined), 'the 签到 button on the card');
    expect(open.cardData).toMatchObject({ btn1Label: '请假', btn2Label: '签到', btn2Reason: 'true', btn2Prompt: '请输入4位签到码', closed: 'false' });
    expect(open.cardData.footer).toContain('签到 ＃1 签到码');
    // Nothing of the code in the group.
    expect(w.sent(GROUP).some((s) => JSON.stringify(s.msgParam ?? {}).includes(code))).toBe(false);

    // The button, with the code typed into its input; a wrong one is refused and counted.
    const signinValue = open.cardData.btn2Value ?? '';
    const wrong = code === '1111' ? '2222' : '1111';
    const refused = (await w.click(user(5), card.outTrackId, signinValue, wrong)).response as Answer;
    expect(refused.userPrivateData?.cardParamMap).toMatchObject({ myStatus: '签到码不对，还可以再试 4 次。', myStatusKind: 'warning' });
    const ok = (await w.click(user(1), card.outTrackId, signinValue, code)).response as Answer;
    expect(ok.userPrivateData?.cardParamMap).toMatchObject({ myStatus: '已签到', myStatusKind: 'success' });

    // By text, as typed: no space, full-width ＃ and a Chinese comma before the code.
    w.clock.t = duty.at - 5 * MINUTE;
    await w.say(user(2), `签到＃1，${code}`);
    await w.waitFor(said(w, '张丽：已签到 #1「支部委员会」，目前已签到 2 人。'), 'the text sign-in');
    await w.say(user(3), '签到 #1');
    await w.waitFor(said(w, '#1 需要签到码'), 'the refusal without a code');

    // More than 10 minutes after the start: 迟到.
    w.clock.t = duty.at + 11 * MINUTE;
    await w.say(user(3), `签到 #1 ${code}`);
    await w.waitFor(said(w, '刘洋：已签到 #1「支部委员会」（迟到），目前已签到 3 人。'), 'the late sign-in');

    // The meeting's time has come: its escalation (its only reminder-queue job) adds the window's end job
    // (src/queue/follow-up-window.ts). The end: the summary in the chat, and the card takes no more sign-ins.
    await runFirstReminder(w.started.bot, duty.id);
    await runJob(w, duty, 'end', duty.at + 120 * MINUTE, duty.at + 121 * MINUTE);
    const summary = await w.waitFor(said(w, '签到结果'), 'the attendance summary');
    expect(textOf(summary)).toBe(
      ['📋 #1「支部委员会」签到结果：应到 6 · 实到 3 · 请假 1 · 缺席 2 · 迟到 1', '实到：李明、张丽、刘洋（迟到）', '请假：陈静（外出培训）', '缺席：王建国、赵磊'].join('\n'),
    );
    await w.waitFor(() => (w.fake.cards.get(card.outTrackId)?.cardData.closed === 'true' ? true : undefined), 'the card closed');
    expect(w.fake.cards.get(card.outTrackId)?.cardData).toMatchObject({ btn1Show: 'false', btn2Show: 'false' });
  });
});

describe('签到 on DingTalk without a template (HTTP mode)', () => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'http', template: false });
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should take 签到 #n by text in the window and refuse it before, the card saying how', async () => {
    const duty = await meeting(w);
    await w.waitFor(() => w.sent(GROUP).find((s) => s.msgKey === 'sampleMarkdown' && textOf(s).includes('支部委员会')), 'the duty as markdown');
    await w.say(user(1), '签到 #1');
    await w.waitFor(said(w, '#1 还没到签到时间'), 'the refusal before the window');
    expect(await w.started.bot.services.signin.presentCount(duty)).toBe(0);

    await runJob(w, duty, 'open', duty.at - 30 * MINUTE, duty.at - 20 * MINUTE);
    // The card cannot change: its refresh is a tally message, with the text answer that signs in.
    const tally = await w.waitFor(() => w.sent(GROUP).find((s) => textOf(s).includes('最新统计') && textOf(s).includes('签到 ＃1')), 'the tally naming 签到 #1');
    expect(textOf(tally)).toContain('文字回复：参加 ＃1 / 请假 ＃1 原因 / 签到 ＃1');
    await w.say(user(1), '签到#1');
    await w.waitFor(said(w, '李明：已签到 #1「支部委员会」，目前已签到 1 人。'), 'the text sign-in');
  });
});
