/** 积分 on Feishu: a member's own points go one-to-one (the group gets a short note), the ranking stays in the group. */
import { DutyRepo } from '../../src/store/duty-repo';
import { messageEvent, pushToBot } from '../fakes/feishu';
import { CHAT, ENCRYPT_KEY, feishuWorld, member, SECRETARY, textOf, VERIFICATION_TOKEN, type FeishuWorld } from '../feishu/support';
import { eventually } from '../helpers/harness';
import { describePeriod } from '../../src/domain/stats-period';
import { zonedParts } from '../../src/time/zoned';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
/** `2026-11-20` in Beijing time. */
const isoDay = (at: number): string => {
  const p = zonedParts(at, TZ);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

jest.setTimeout(60000);

describe('积分 on Feishu', () => {
  let w: FeishuWorld;

  beforeAll(async () => {
    // Real time: Feishu's signed request timestamps are checked against the bot's clock.
    w = await feishuWorld();
  });

  afterAll(async () => {
    await w.stop();
  });

  const groupText = (text: string) => w.waitFor((m) => m.chatId === CHAT && textOf(m).includes(text), `「${text}」in the group`);

  // Today to the day after tomorrow, Beijing time: the report falls due tomorrow.
  const range = (): { words: string; title: string } => {
    const now = w.clock.now();
    const [from, to] = [isoDay(now), isoDay(now + 2 * DAY)];
    return { words: `${from}至${to}`, title: describePeriod(Date.parse(`${from}T00:00:00+08:00`), Date.parse(`${to}T23:59:59+08:00`), TZ) };
  };

  it('should send a member their 积分 one-to-one and only a note in the group', async () => {
    await w.say(SECRETARY, '述职 学习心得 截止 明天18点');
    await groupText('学习心得');
    await w.say(member(1), '已提交 #1');
    await groupText('已登记提交 #1');
    const { words, title } = range();
    await w.say(member(1), `积分 ${words}`);
    // Feishu's one-to-one message: receive_id_type=open_id (https://open.feishu.cn/document/server-docs/im-v1/message/create).
    const dm = await w.waitFor((m) => m.chatId === `p2p:${member(1)}` && textOf(m).startsWith('🏅'), 'the points one-to-one');
    const due = zonedParts(w.clock.now() + DAY, TZ);
    expect(textOf(dm)).toBe(`🏅 李明 ${title}积分：3 分\n· ${due.month}月${due.day}日 #1 学习心得 · 报告按时 +3`);
    await groupText(`李明：你的${title}积分已私信发给你。`);
    expect(w.fake.messages.some((m) => m.chatId === CHAT && textOf(m).startsWith('🏅 李明'))).toBe(false);
  });

  it('should answer the ranking in the group for the secretary and refuse it to a member', async () => {
    await w.say(member(2), `积分排行${range().words}`);
    await groupText('抱歉，只有本群的党务管理员可以查看积分排行。');
    await w.say(SECRETARY, `积分 排行 ${range().words}`);
    const ranking = await groupText('积分排行（6 人');
    expect(textOf(ranking).split('\n')[1]).toBe('1. 李明 3 分');
    expect(w.fake.messages.some((m) => m.chatId === `p2p:${member(2)}` && textOf(m).startsWith('🏅'))).toBe(false);
  });

  it('should answer 积分 sent to the bot one-to-one with the points in each group that lists the member', async () => {
    const duty = await w.started.bot.services.duties.getByNumber({ platform: 'feishu', chatId: CHAT }, 1);
    await w.say(member(2), '已提交 #1');
    await eventually(async () => (await w.started.bot.services.duties.answers(duty?.id ?? '')).has(member(2)), 5000, '张丽’s answer');
    // A one-to-one chat with the bot (chat_type p2p, no mention needed:
    // https://open.feishu.cn/document/server-docs/im-v1/message/events/receive).
    const dmChat = `p2p:${member(2)}`;
    w.fake.addChat({ chatId: dmChat, name: '张丽', ownerId: member(2), managers: [], members: [{ open_id: member(2), name: '张丽' }] });
    const messageId = `om_${DutyRepo.newId()}${DutyRepo.newId()}`;
    w.fake.recordUserMessage(messageId, dmChat);
    const { words, title } = range();
    const event = messageEvent({ chatId: dmChat, chatType: 'p2p', senderOpenId: member(2), text: `积分 ${words}`, mentionBot: false, messageId, token: VERIFICATION_TOKEN });
    await pushToBot(w.url, event, { encryptKey: ENCRYPT_KEY });
    const answer = await w.waitFor((m) => m.chatId === dmChat && textOf(m).startsWith('🏅'), 'the answer one-to-one');
    const due = zonedParts(w.clock.now() + DAY, TZ);
    expect(textOf(answer)).toBe(`🏅 张丽 ${title}积分（1 个群）\n【第一党支部】3 分\n· ${due.month}月${due.day}日 #1 学习心得 · 报告按时 +3`);
  });

  it('should answer in the group when Feishu refuses the one-to-one message for good', async () => {
    // Someone the bot shares no chat with, as Feishu's member list says: the open_id send is refused (230001).
    const stranger = 'ou_stranger000000000000000000009';
    const { words, title } = range();
    await w.say(stranger, `积分 ${words}`);
    const answer = await w.waitFor((m) => m.chatId === CHAT && textOf(m).includes(`${title}积分：0 分`), 'the points in the group');
    expect(textOf(answer)).toContain('这段时间还没有计分的活动');
    expect(w.fake.messages.some((m) => m.chatId === `p2p:${stranger}`)).toBe(false);
  });
});
