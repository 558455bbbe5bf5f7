import * as lark from '@larksuiteoapi/node-sdk';
import { messageEvent, cardActionEvent } from '../fakes/feishu';
import { eventually } from '../helpers/harness';
import { CHAT, SECRETARY, VERIFICATION_TOKEN, cardTally, cardValues, feishuWorld, isCard, member, type FeishuWorld } from './support';

const DAY = 86_400_000;
const chat = { platform: 'feishu' as const, chatId: CHAT };

// The organizer (SECRETARY, in the audience) attends their own meeting unless they answer otherwise (issue 17), so
// every tally below counts them under 参加.
describe('Feishu long connection and the 14-day edit window', () => {
  let w: FeishuWorld | undefined;
  afterEach(async () => {
    jest.restoreAllMocks();
    await w?.stop();
    w = undefined;
  });

  it('should hand the long connection the same dispatcher, whose events reach the handlers', async () => {
    const starts: unknown[] = [];
    jest.spyOn(lark.WSClient.prototype, 'start').mockImplementation(async (params: { eventDispatcher: lark.EventDispatcher }) => {
      starts.push(params.eventDispatcher);
    });
    w = await feishuWorld({ env: { FEISHU_MODE: 'ws' } });
    const feishu = w.started.bot.feishu;
    expect(starts).toEqual([feishu?.receiver.events]);
    // What WSClient does with a frame: invoke the dispatcher without signature checks.
    const event = messageEvent({ chatId: CHAT, senderOpenId: SECRETARY, text: '会议 支部委员会 明天下午3点', mentionBot: true, botName: '落实', token: VERIFICATION_TOKEN });
    w.fake.recordUserMessage((event.event as { message: { message_id: string } }).message.message_id, CHAT);
    await feishu?.receiver.events.invoke(event, { needCheck: false });
    const card = await w.waitFor(isCard, 'the card');
    const [attend] = cardValues(card.content);
    const answer = (await feishu?.receiver.events.invoke(
      cardActionEvent({ chatId: CHAT, messageId: card.messageId, operatorOpenId: member(1), value: attend, token: VERIFICATION_TOKEN }),
      { needCheck: false },
    )) as { toast: { content: string }; card: { data: unknown } };
    expect(answer.toast.content).toBe('已确认参加 #1');
    expect(cardTally(answer.card.data)).toBe('参加 2 · 请假 0 · 未回复 4');
  });

  it('should stop patching a card after 14 days and keep the fresh reminder card up to date instead', async () => {
    let fakeNow = Date.now();
    w = await feishuWorld({ fake: { now: () => fakeNow } });
    const world = w;
    await world.say(SECRETARY, '会议 年度组织生活会 20天后上午9点 提醒 提前1天');
    const first = await world.waitFor(isCard, 'the announcement card');
    const duty = await world.started.bot.services.duties.getByNumber(chat, 1);
    if (!duty) throw new Error('no duty');

    // 15 days later a member answers: the announcement is too old to patch.
    world.clock.advance(15 * DAY);
    fakeNow += 15 * DAY;
    await world.started.bot.services.dutyService.answer(duty.id, { id: member(1), name: '李明' }, 'attending', world.clock.now());
    const refresh = await eventually(async () => {
      const jobs = await world.started.bot.queues.cards.getCompleted();
      return jobs.find((j) => j.name === 'refresh' && j.returnvalue === 'no-cards');
    }, 5000, 'the refresh job');
    expect(refresh.returnvalue).toBe('no-cards');
    expect(world.fake.message(first.messageId)?.patches).toHaveLength(0);

    // The reminder (one day before) posts a fresh card, which later answers keep up to date.
    world.clock.t = duty.at - DAY;
    fakeNow = duty.at - DAY;
    const job = (await world.started.bot.queues.reminders.getDelayed())[0];
    await job?.promote();
    const reminder = await world.waitFor((m) => isCard(m) && m.messageId !== first.messageId, 'the reminder card');
    expect(cardTally(reminder.content)).toBe('参加 2 · 请假 0 · 未回复 4');
    await world.started.bot.services.dutyService.answer(duty.id, { id: member(2), name: '张丽' }, 'attending', world.clock.now());
    await eventually(async () => world.fake.message(reminder.messageId)?.patches.some((p) => cardTally(p) === '参加 3 · 请假 0 · 未回复 3'), 5000, 'the patched reminder card');
    expect(world.fake.message(first.messageId)?.patches).toHaveLength(0);
  });
});
