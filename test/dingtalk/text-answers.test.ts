import type { DingSent } from '../fakes/dingtalk';
import { tallyOfMarkdown } from '../platforms/dingtalk-world';
import { GROUP, SECRETARY, USERS, dingWorld, pause, textOf, user, type DingWorld } from './support';

const INTERVAL_S = 2;
const markdown = (s: DingSent): { title: string; text: string } => s.msgParam as { title: string; text: string };
const isTallyOf = (title: string) => (s: DingSent) => s.kind === 'group' && s.msgKey === 'sampleMarkdown' && markdown(s).title === `${title} 最新统计`;

// The organizer (SECRETARY, in the audience) attends their own meeting unless they answer otherwise (issue 17), so
// every tally below counts them under 参加.
describe('DingTalk without a card template: markdown cards and text answers', () => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream', template: false, env: { DINGTALK_TALLY_INTERVAL_SECONDS: String(INTERVAL_S) } });
  });
  afterEach(async () => {
    await w.stop();
  });

  const replyTo = (who: string, words: string): Promise<DingSent> =>
    w.waitFor(() => w.sent().find((s) => s.kind === 'session' && textOf(s).includes(words) && textOf(s).includes(USERS.find((u) => u.userId === who)?.name ?? '?')), `the reply to ${who}`);

  it('should post the duty as markdown that says how to answer by text', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点 地点 三楼[会议室](http://x)', { isAdmin: true });
    const card = await w.waitFor(() => w.sent().find((s) => s.msgKey === 'sampleMarkdown'), 'the markdown card');
    const { title, text } = markdown(card);
    expect(title).toBe('【会议】支部委员会');
    expect(tallyOfMarkdown(text)).toBe(`参加 1 · 请假 0 · 未回复 ${USERS.length - 1}`);
    expect(text).toContain('参加 ＃1 / 请假 ＃1 原因');
    // User text cannot add a link: brackets are shown, not read as markdown.
    expect(text).toContain('三楼［会议室］（http://x）');
  });

  it('should take 参加 / 请假 / 已提交 as text and post the tally after them, at most once per interval, last state included', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    await w.waitFor(() => w.sent().find((s) => s.msgKey === 'sampleMarkdown'), 'the markdown card');
    const isTally = isTallyOf('【会议】支部委员会');

    await w.say(user(1), '参加 #1');
    await replyTo(user(1), '已确认参加 #1');
    const first = await w.waitFor(() => w.sent().find(isTally), 'the first tally');
    expect(tallyOfMarkdown(markdown(first).text)).toBe(`参加 2 · 请假 0 · 未回复 ${USERS.length - 2}`);

    // Two more answers inside the interval: no tally now, one tally with the last state when it ends.
    await w.say(user(2), '请假 #1 外出培训');
    await replyTo(user(2), '已请假 #1（外出培训）');
    await w.say(user(3), '参加 #1');
    await replyTo(user(3), '已确认参加 #1');
    expect(w.sent().filter(isTally)).toHaveLength(1);
    const second = await w.waitFor(() => w.sent().filter(isTally)[1], 'the trailing tally', INTERVAL_S * 1000 + 5000);
    expect(tallyOfMarkdown(markdown(second).text)).toBe(`参加 3 · 请假 1 · 未回复 ${USERS.length - 4}`);
    expect(markdown(second).text).toContain('请假：张丽（外出培训）');
    expect(second.at - first.at).toBeGreaterThanOrEqual(INTERVAL_S * 1000 - 50);
    await pause(INTERVAL_S * 1000 + 500);
    expect(w.sent().filter(isTally)).toHaveLength(2);
  }, 30000);

  it('should take 已提交 for a report', async () => {
    await w.say(SECRETARY, '述职 年度述职报告 截止 后天下午5点', { isAdmin: true });
    await w.waitFor(() => w.sent().find((s) => s.msgKey === 'sampleMarkdown'), 'the report card');
    await w.say(user(4), '已提交 #1');
    await replyTo(user(4), '已登记提交 #1');
    const tally = await w.waitFor(() => w.sent().find(isTallyOf('【述职】年度述职报告')), 'the tally');
    expect(tallyOfMarkdown(markdown(tally).text)).toBe(`已提交 1 · 未提交 ${USERS.length - 1}`);
  });

  it('should fall back to groupMessages/send when the session webhook has expired', async () => {
    const stale = w.fake.robotMessage({ conversationId: GROUP, senderStaffId: SECRETARY, senderNick: '王建国', text: '帮助', isAdmin: true });
    const expired = { ...stale, sessionWebhookExpiredTime: Date.now() - 1000 };
    await w.fake.pushRobotMessage(expired);
    const help = await w.waitFor(() => w.sent().find((s) => textOf(s).includes('最常用的五件事')), 'the help text');
    expect(help).toMatchObject({ kind: 'group', msgKey: 'sampleText' });
  });
});
