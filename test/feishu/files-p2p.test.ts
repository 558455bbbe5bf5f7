import { CHAT, cardValues, isCard, member, SECRETARY, textOf } from './support';
import { filesWorld, keptFiles, linkOnBot, pdf, type FilesWorld } from './files-support';

const chat = { platform: 'feishu' as const, chatId: CHAT };

/*
 * Issue 14, files as evidence on Feishu: a file sent one-to-one to the bot arrives as `im.message.receive_v1` with
 * message_type `file` in a p2p chat; the bot downloads it through the SDK's messageResource.get from the fake and
 * answers with a choice card in that chat; the click attaches it.
 */
describe('Feishu: a file sent one-to-one becomes a duty\'s material', () => {
  let w: FilesWorld;
  beforeEach(async () => {
    w = await filesWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should answer a PDF with a choice card in the one-to-one chat, attach it on a click, and list it on the record page', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the duty card');
    const sent = await w.send(member(2), { name: '会议材料.pdf', bytes: pdf(5000), contentType: 'application/pdf' });
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(1000);

    const card = await w.waitFor((m) => isCard(m) && m.chatId === w.p2p(member(2)), 'the choice card in the p2p chat');
    expect(card.parentId).toBe(sent.messageId);
    expect(JSON.stringify(card.content)).toContain('#1 支部委员会（第一党支部）');
    expect(w.fake.resourceCalls(sent.key).map((c) => c.query.type)).toEqual(['file']);

    const [choice] = cardValues(card.content);
    const click = await w.click(member(2), card.messageId, choice, undefined, w.p2p(member(2)));
    expect((click.json as { toast: { type: string; content: string } }).toast).toEqual({ type: 'success', content: '已把「会议材料.pdf」（4.9 KB）附到 #1「支部委员会」。' });

    const record = await w.say(SECRETARY, '记录＃１');
    const reply = await w.waitFor((m) => m.parentId === record.messageId && textOf(m).includes('http'), 'the record link');
    const html = await (await fetch(linkOnBot(w, textOf(reply)))).text();
    expect(html).toContain('会议材料.pdf');
    expect(await keptFiles(w.dataDir)).toHaveLength(1);
  });

  it('should count a report member\'s file as 已提交', async () => {
    await w.say(SECRETARY, '述职 2026年度述职报告 截止 12月20日');
    await w.waitFor(isCard, 'the duty card');
    const sent = await w.send(member(3), { name: '述职报告.pdf', bytes: pdf(3000) });
    const card = await w.waitFor((m) => isCard(m) && m.parentId === sent.messageId, 'the choice card');
    const [choice] = cardValues(card.content);
    const click = await w.click(member(3), card.messageId, choice, undefined, w.p2p(member(3)));
    expect((click.json as { toast: { content: string } }).toast.content).toBe('已把「述职报告.pdf」（2.9 KB）附到 #1「2026年度述职报告」。记为已提交。');
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    const answers = await w.started.bot.services.duties.answers(duty?.id ?? '');
    expect(answers.get(member(3))).toMatchObject({ status: 'submitted' });
  });

  it('should refuse a click on the choice card by anyone but the sender, and attach nothing', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the duty card');
    const sent = await w.send(member(2), { name: '会议材料.pdf', bytes: pdf(2000) });
    const card = await w.waitFor((m) => isCard(m) && m.parentId === sent.messageId, 'the choice card');
    const [choice] = cardValues(card.content);
    const click = await w.click(member(4), card.messageId, choice, undefined, w.p2p(member(2)));
    expect((click.json as { toast: { type: string; content: string } }).toast).toEqual({ type: 'warning', content: '只有发这个文件的人可以选择事项。' });
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    expect(await w.started.bot.services.materials.list(duty?.id ?? '')).toEqual([]);
  });

  it('should take a file message delivered twice once: attached once, answered once', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the duty card');
    const named = await w.say(member(2), '附件 #1');
    await w.waitFor((m) => m.parentId === named.messageId, 'the answer to 附件 #1');
    const sent = await w.send(member(2), { name: '会议材料.pdf', bytes: pdf(2000) });
    await w.send(member(2), { name: '会议材料.pdf', bytes: pdf(2000), messageId: sent.messageId });
    await w.waitFor((m) => m.parentId === sent.messageId, 'the answer');
    await new Promise((r) => setTimeout(r, 500));
    expect(w.fake.messagesIn(w.p2p(member(2))).map(textOf)).toEqual(['已把「会议材料.pdf」（2.0 KB）附到 #1「支部委员会」。']);
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    expect(await w.started.bot.services.materials.list(duty?.id ?? '')).toHaveLength(1);
  });
});
