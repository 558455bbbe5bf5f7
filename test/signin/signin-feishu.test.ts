/** 签到码 on Feishu: the organizer gets the code one-to-one when the window opens, and members sign in with it. */
import { runFirstReminder } from '../helpers/follow-ups';
import { signinJobId } from '../../src/queue/signin-planner';
import { CHAT, cardValues, feishuWorld, isCard, member, SECRETARY, textOf, type FeishuWorld } from '../feishu/support';
import { plannedDuty } from './planned-duty';

const MINUTE = 60_000;

describe('签到码 on Feishu', () => {
  let w: FeishuWorld;

  beforeEach(async () => {
    w = await feishuWorld();
  });

  afterEach(async () => {
    await w.stop();
  });

  it('should send the organizer the code one-to-one at the opening and take it from members', async () => {
    const duty = await plannedDuty(w, (now) => ({
      chat: { platform: 'feishu', chatId: CHAT },
      kind: 'meeting',
      label: '会议',
      title: '支部委员会',
      // The window opens 2 s from now (real time: a BullMQ delayed job).
      at: now + 30 * MINUTE + 2000,
      organizer: { id: SECRETARY, name: '王建国' },
      audience: [0, 1, 2, 3, 4, 5].map(member),
      reminderOffsets: [],
      signinCode: true,
    }));
    const dm = await w.waitFor((m) => m.chatId === `p2p:${SECRETARY}` && textOf(m).includes('签到码'), 'the code one-to-one');
    const code = /签到码：(\d{4})/.exec(textOf(dm))?.[1] ?? '';
    expect(code).toBe(await w.started.bot.services.signin.codeOf(duty));
    // Nothing of the code in the group.
    expect(w.fake.messages.filter((m) => m.chatId === CHAT).some((m) => JSON.stringify(m.content).includes(code) && !isCard(m))).toBe(false);

    w.clock.t = Date.now();
    await w.say(member(1), `签到 #${duty.number} ${code}`);
    await w.waitFor((m) => m.chatId === CHAT && textOf(m).startsWith('李明：已签到'), 'the sign-in answer');
    // The card's copies are patched with the 签到 button.
    await w.waitFor(
      (m) => m.chatId === CHAT && isCard(m) && m.patches.some((p) => cardValues(p).some((v) => (v as { act?: string }).act === 'signin')),
      'the card with its 签到 button',
    );
  });

  it('should patch every meeting’s card with 签到 when the window opens and take it off at the end, without 签到码', async () => {
    const duty = await plannedDuty(w, (now) => ({
      chat: { platform: 'feishu', chatId: CHAT },
      kind: 'study',
      label: '学习',
      title: '理论学习',
      at: now + 60 * MINUTE,
      organizer: { id: SECRETARY, name: '王建国' },
      audience: [0, 1, 2].map(member),
      reminderOffsets: [],
    }));
    const signsIn = (content: unknown): boolean => cardValues(content).some((v) => (v as { act?: string }).act === 'signin');
    const card = await w.waitFor((m) => m.chatId === CHAT && isCard(m), 'the card');
    expect(signsIn(card.content)).toBe(false);
    // The window's jobs, run now (BullMQ would run them at their times) with the clock there.
    const run = async (moment: 'open' | 'end', dueAt: number, at: number): Promise<void> => {
      w.clock.t = at;
      await (await w.started.bot.queues.signin.getJob(signinJobId(duty.id, moment, dueAt)))?.promote();
    };
    await run('open', duty.at - 30 * MINUTE, duty.at - 29 * MINUTE);
    await w.waitFor((m) => m.messageId === card.messageId && signsIn(m.patches[m.patches.length - 1]), 'the card patched with 签到');
    expect(w.fake.messages.filter((m) => m.chatId === `p2p:${SECRETARY}`)).toEqual([]);
    const patched = card.patches.length;
    // The meeting's time: its escalation adds the window's end job (src/queue/follow-up-window.ts).
    w.clock.t = duty.at;
    await runFirstReminder(w.started.bot, duty.id);
    await run('end', duty.at + 120 * MINUTE, duty.at + 121 * MINUTE);
    await w.waitFor((m) => m.messageId === card.messageId && m.patches.length > patched && !signsIn(m.patches[m.patches.length - 1]), 'the card patched without 签到');
    // Nobody signed in: the meeting did not use sign-in, so no summary.
    expect(w.fake.messages.filter((m) => m.chatId === CHAT && textOf(m).includes('签到结果'))).toEqual([]);
  });

  it('should send the code at once to an organizer who makes the meeting inside the window', async () => {
    // Not announced: the code goes out as the meeting is planned.
    const duty = await plannedDuty(
      w,
      (now) => ({
        chat: { platform: 'feishu', chatId: CHAT },
        kind: 'meeting',
        label: '会议',
        title: '党小组会',
        at: now + 10 * MINUTE,
        organizer: { id: SECRETARY, name: '王建国' },
        audience: [0, 1, 2].map(member),
        reminderOffsets: [],
        signinCode: true,
      }),
      false,
    );
    const dm = await w.waitFor((m) => m.chatId === `p2p:${SECRETARY}` && textOf(m).includes('党小组会'), 'the code one-to-one');
    expect(textOf(dm)).toContain(`签到码：${await w.started.bot.services.signin.codeOf(duty)}`);
  });
});
