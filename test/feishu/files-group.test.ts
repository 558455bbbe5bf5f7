import { memberEvent, pushToBot } from '../fakes/feishu';
import { CHAT, cardValues, ENCRYPT_KEY, isCard, member, SECRETARY, textOf, VERIFICATION_TOKEN } from './support';
import { filesWorld, keptFiles, pdf, type FilesWorld } from './files-support';

const chat = { platform: 'feishu' as const, chatId: CHAT };

/*
 * Issue 14 on Feishu, in a group: a file sent as a reply to a duty's card (message.parent_id, the card's message id)
 * goes straight to that duty; any other file in the group is answered with the choice card there. (Feishu delivers
 * group messages without an @ only with the group-messages permission: README.)
 */
describe('Feishu files in a group', () => {
  let w: FilesWorld;
  beforeEach(async () => {
    w = await filesWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  const materials = async (number: number) => {
    const duty = await w.started.bot.services.duties.getByNumber(chat, number);
    return (await w.started.bot.services.materials.list(duty?.id ?? '')).map((m) => [m.name, m.by.id]);
  };

  it('should attach a file sent as a reply to a duty\'s card to that duty, without a choice card', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const first = await w.waitFor(isCard, 'the card of #1');
    await w.say(SECRETARY, '会议 党小组会 后天下午3点');
    const second = await w.waitFor((m) => isCard(m) && m.messageId !== first.messageId, 'the card of #2');
    const sent = await w.send(member(2), { name: '党小组会签到表.pdf', bytes: pdf(4000), p2p: false, parentId: second.messageId });
    const answer = await w.waitFor((m) => m.parentId === sent.messageId, 'the answer in the group');
    expect(answer.chatId).toBe(CHAT);
    expect(textOf(answer)).toBe('已把「党小组会签到表.pdf」（3.9 KB）附到 #2「党小组会」。');
    expect(await materials(2)).toEqual([['党小组会签到表.pdf', member(2)]]);
    expect(await materials(1)).toEqual([]);
    expect(w.fake.messagesIn(CHAT).filter((m) => isCard(m) && m.parentId === sent.messageId)).toEqual([]);
  });

  it('should answer a file in the group that replies to no card with the choice card there, for its sender only', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the duty card');
    const sent = await w.send(member(3), { name: '学习笔记.pdf', bytes: pdf(2000), p2p: false });
    const card = await w.waitFor((m) => isCard(m) && m.parentId === sent.messageId, 'the choice card');
    expect(card.chatId).toBe(CHAT);
    const [choice] = cardValues(card.content);
    const other = await w.click(member(4), card.messageId, choice);
    expect((other.json as { toast: { content: string } }).toast.content).toBe('只有发这个文件的人可以选择事项。');
    expect(await materials(1)).toEqual([]);
    const mine = await w.click(member(3), card.messageId, choice);
    expect((mine.json as { toast: { content: string } }).toast.content).toBe('已把「学习笔记.pdf」（2.0 KB）附到 #1「支部委员会」。');
    expect(await materials(1)).toEqual([['学习笔记.pdf', member(3)]]);
  });

  it('should refuse a reply to the card of a cancelled duty, and keep nothing', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await w.waitFor(isCard, 'the duty card');
    const cancel = await w.say(SECRETARY, '取消 #1');
    await w.waitFor((m) => m.parentId === cancel.messageId, 'the answer to 取消');
    const sent = await w.send(member(2), { name: '会议材料.pdf', bytes: pdf(2000), p2p: false, parentId: card.messageId });
    const answer = await w.waitFor((m) => m.parentId === sent.messageId, 'the refusal');
    expect(textOf(answer)).toBe('#1「支部委员会」已取消，不能再附材料。文件没有保存。');
    expect(await keptFiles(w.dataDir)).toEqual([]);
  });

  it('should refuse a reply to a card by someone who takes no part in the duty, and keep nothing', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await w.waitFor(isCard, 'the duty card');
    // 周敏 joins the group after the meeting was called: not among its participants.
    const newcomer = 'ou_newcomer000000000000000000007';
    w.fake.chat(CHAT)?.members.push({ open_id: newcomer, name: '周敏' });
    await pushToBot(w.url, memberEvent('added', { chatId: CHAT, users: [{ openId: newcomer, name: '周敏' }], token: VERIFICATION_TOKEN }), { encryptKey: ENCRYPT_KEY });
    const sent = await w.send(newcomer, { name: '会议材料.pdf', bytes: pdf(2000), p2p: false, parentId: card.messageId });
    const answer = await w.waitFor((m) => m.parentId === sent.messageId, 'the refusal');
    expect(textOf(answer)).toBe('你不是 #1「支部委员会」的参加人，不能给它附材料。文件没有保存。');
    expect(await materials(1)).toEqual([]);
    expect(await keptFiles(w.dataDir)).toEqual([]);
  });
});
