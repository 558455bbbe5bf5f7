import { GROUP, PLAIN, SECRETARY, user } from './support';
import { filesWorld, pdf, type FilesWorld } from './files-support';

/** The first markdown message sent to the user one-to-one (the choice, without a card template). */
const choiceTo = (w: FilesWorld, userId: string): string | undefined =>
  w.toUser(userId).flatMap((s) => (s.msgKey === 'sampleMarkdown' ? [String((s.msgParam as { text?: unknown }).text)] : []))[0];

/** The names of the files attached to the group's open duty. */
async function materialNames(w: FilesWorld, chatId: string): Promise<string[]> {
  const duty = (await w.started.bot.services.duties.listOpen({ platform: 'dingtalk', chatId }))[0];
  return (await w.started.bot.services.materials.list(duty?.id ?? '')).map((m) => m.name);
}

/*
 * Without a card template (HTTP mode), the choice is a markdown message listing the sender's open duties with the
 * text that picks each, `附件 #7`, typed back one-to-one (issue 14). Numbers are per group: when two of the
 * sender's groups both have a #1, the answer names the groups and the group's name after the number picks one.
 */
describe('DingTalk: files sent one-to-one, answered by text (HTTP mode, no card template)', () => {
  let w: FilesWorld;
  beforeEach(async () => {
    w = await filesWorld({ mode: 'http', template: false });
  });
  afterEach(async () => {
    await w.stop();
  });

  const markdownTo = (userId: string): string | undefined => choiceTo(w, userId);
  const materialsOf = (chatId: string): Promise<string[]> => materialNames(w, chatId);

  it('should list the open duties with 回复「附件 #n」 and attach the waiting file when the sender types it', async () => {
    await w.sayIn(GROUP, SECRETARY, '述职 年度述职报告 截止 后天下午5点', true);
    await w.waitFor(() => w.sent().find((s) => s.msgKey === 'sampleMarkdown'), 'the report in the group');
    await w.sendFile(user(1), { msgtype: 'file', fileName: '述职报告.pdf', downloadCode: w.register({ bytes: pdf(1000), contentType: 'application/pdf' }) });
    const choice = await w.waitFor(() => markdownTo(user(1)), 'the choice as markdown, one-to-one');
    expect(choice).toContain('**＃1 年度述职报告（第一党支部）**：回复「附件 ＃1」');

    await w.sayDirect(user(1), '附件＃１');
    expect(await w.replyTo(user(1), '附到 #1')).toBe('已把「述职报告.pdf」（1000 B）附到 #1「年度述职报告」。记为已提交。');
    expect(await materialsOf(GROUP)).toEqual(['述职报告.pdf']);
  });

  it('should take the next file after 附件 #n sent one-to-one first', async () => {
    await w.sayIn(GROUP, SECRETARY, '会议 支部委员会 明天下午3点', true);
    await w.waitFor(() => w.sent().find((s) => s.msgKey === 'sampleMarkdown'), 'the meeting in the group');
    await w.sayDirect(user(2), '附件 #1');
    await w.replyTo(user(2), '好的：你接下来发给我的文件会附到 第一党支部 #1「支部委员会」（30 分钟内有效）。');
    await w.sendFile(user(2), { msgtype: 'file', fileName: '会议纪要.pdf', downloadCode: w.register({ bytes: pdf(500), contentType: 'application/pdf' }) });
    await w.replyTo(user(2), '已把「会议纪要.pdf」（500 B）附到 #1「支部委员会」。');
    expect(await materialsOf(GROUP)).toEqual(['会议纪要.pdf']);
    expect(markdownTo(user(2))).toBeUndefined();
  });

  it.each([
    ['附件 #5', '你参加的群里没有进行中的 #5。发「列表」可以在群里查看事项编号。'],
    ['附件 #1 第九党支部', '没有找到群名含「第九党支部」的 #1。你参加的 #1：第一党支部「支部委员会」。'],
  ])('should refuse「%s」sent one-to-one, nothing changed', async (words, expected) => {
    await w.sayIn(GROUP, SECRETARY, '会议 支部委员会 明天下午3点', true);
    await w.waitFor(() => w.sent().find((s) => s.msgKey === 'sampleMarkdown'), 'the meeting');
    await w.sayDirect(user(4), words);
    expect(await w.replyTo(user(4), '#')).toBe(expected);
    // No file was promised to a duty: the next one is offered.
    await w.sendFile(user(4), { msgtype: 'file', fileName: '材料.pdf', downloadCode: w.register({ bytes: pdf(300), contentType: 'application/pdf' }) });
    expect(await w.waitFor(() => markdownTo(user(4)), 'the choice')).toContain('回复「附件 ＃1」');
  });
});

/** The same over Stream, where DingTalk's isAdmin is believed: a secretary may start duties in an ordinary group. */
describe('DingTalk: the same #1 in two of the sender’s groups (stream, no card template)', () => {
  let w: FilesWorld;
  beforeEach(async () => {
    w = await filesWorld({ mode: 'stream', template: false });
  });
  afterEach(async () => {
    await w.stop();
  });

  const markdownTo = (userId: string): string | undefined => choiceTo(w, userId);
  const materialsOf = (chatId: string): Promise<string[]> => materialNames(w, chatId);

  it('should name the groups when two of them have the sender’s #1, and take the group’s name after the number', async () => {
    await w.sayIn(GROUP, SECRETARY, '会议 支部委员会 明天下午3点', true);
    await w.sayIn(PLAIN, SECRETARY, '学习 党课学习 后天上午9点', true);
    await w.waitFor(() => w.sent(PLAIN).find((s) => s.msgKey === 'sampleMarkdown') && w.sent(GROUP).find((s) => s.msgKey === 'sampleMarkdown'), 'both duties posted');
    await w.sendFile(user(3), { msgtype: 'file', fileName: '学习笔记.pdf', downloadCode: w.register({ bytes: pdf(800), contentType: 'application/pdf' }) });
    const choice = await w.waitFor(() => markdownTo(user(3)), 'the choice as markdown');
    expect(choice).toContain('回复「附件 ＃1 第一党支部」');
    expect(choice).toContain('回复「附件 ＃1 第二党支部」');

    await w.sayDirect(user(3), '附件＃1');
    expect(await w.replyTo(user(3), '都有 #1')).toBe(
      '你参加的 2 个群都有 #1：第一党支部「支部委员会」、第二党支部「党课学习」。请在编号后写上群名，例如「附件 #1 第一党支部」。',
    );
    await w.sayDirect(user(3), '附件＃1，第二党支部');
    await w.replyTo(user(3), '已把「学习笔记.pdf」（800 B）附到 #1「党课学习」。');
    expect(await materialsOf(PLAIN)).toEqual(['学习笔记.pdf']);
    expect(await materialsOf(GROUP)).toEqual([]);
  });
});
