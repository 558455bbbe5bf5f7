import { CHAT, isCard, member, SECRETARY, textOf } from './support';
import { filesWorld, keptFiles, pdf, PNG, type FilesWorld } from './files-support';

const chat = { platform: 'feishu' as const, chatId: CHAT };

/** What the bot answers in the one-to-one chat to the file message `messageId`. */
const answerIn = (w: FilesWorld, messageId: string) => w.waitFor((m) => m.parentId === messageId && m.msgType === 'text', `the answer to ${messageId}`);

/*
 * Issue 14 on Feishu: an image (no name: named from its time and Content-Type), and every refusal — too large
 * (refused from the declared Content-Length before reading, or while streaming when none is declared), the wrong
 * kind, a download that keeps failing — each answered in the chat, nothing kept under DATA_DIR.
 */
describe('Feishu files: images, refusals and downloads that fail', () => {
  let w: FilesWorld;
  beforeEach(async () => {
    w = await filesWorld({ FILE_MAX_MB: '1' });
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the duty card');
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should name an image from when it was sent (Beijing time) and its type, and attach it to the duty 附件 #1 named in the group', async () => {
    const named = await w.say(member(2), '附件＃１');
    await w.waitFor((m) => m.parentId === named.messageId, 'the answer to 附件 #1');
    const sent = await w.send(member(2), { kind: 'image', bytes: PNG, contentType: 'image/png', createTime: Date.UTC(2026, 11, 6, 1, 30) });
    expect(textOf(await answerIn(w, sent.messageId))).toBe('已把「图片-20261206-0930.png」（16 B）附到 #1「支部委员会」。');
    expect(w.fake.resourceCalls(sent.key).map((c) => c.query.type)).toEqual(['image']);
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    const list = await w.started.bot.services.materials.list(duty?.id ?? '');
    expect(list.map((m) => [m.name, m.type, m.by.id])).toEqual([['图片-20261206-0930.png', 'image/png', member(2)]]);
  });

  it('should name an image from its Content-Type even when its first download failed', async () => {
    const key = 'img_v3_flaky_first';
    w.fake.failResource(key, 1);
    const named = await w.say(member(2), '附件 #1');
    await w.waitFor((m) => m.parentId === named.messageId, 'the answer to 附件 #1');
    const sent = await w.send(member(2), { kind: 'image', key, bytes: PNG, contentType: 'image/png', createTime: Date.UTC(2026, 11, 6, 1, 30) });
    expect(textOf(await answerIn(w, sent.messageId))).toBe('已把「图片-20261206-0930.png」（16 B）附到 #1「支部委员会」。');
    expect(w.fake.resourceCalls(key).map((c) => c.status)).toEqual([500, 200]);
  });

  it('should refuse a file whose Content-Length is too large before reading it, try once, and keep nothing', async () => {
    const sent = await w.send(member(2), { name: '全年材料.pdf', bytes: pdf(1.5 * 1024 * 1024) });
    expect(textOf(await answerIn(w, sent.messageId))).toBe('「全年材料.pdf」太大了（1.5 MB）：最大 1 MB。文件没有保存，请压缩或拆分后再发。');
    expect(w.fake.resourceCalls(sent.key)).toHaveLength(1);
    expect(await keptFiles(w.dataDir)).toEqual([]);
    expect(w.fake.messagesIn(w.p2p(member(2))).filter(isCard)).toEqual([]);
  });

  it('should refuse a too-large file that declares no length once it passes the limit, and keep nothing', async () => {
    const sent = await w.send(member(2), { name: '全年材料.pdf', bytes: pdf(1.5 * 1024 * 1024), contentLength: false });
    expect(textOf(await answerIn(w, sent.messageId))).toBe('「全年材料.pdf」太大了：最大 1 MB。文件没有保存，请压缩或拆分后再发。');
    expect(await keptFiles(w.dataDir)).toEqual([]);
  });

  it.each([
    ['a program renamed', '通知.exe', Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])],
    ['a PNG named .pdf', '会议记录.pdf', PNG],
  ])('should refuse %s and keep nothing', async (_label, name, bytes) => {
    const sent = await w.send(member(2), { name, bytes });
    expect(textOf(await answerIn(w, sent.messageId))).toBe(`「${name}」不是可以附上的文件：只收 PDF、Word、Excel、PowerPoint、JPG、PNG 图片或 TXT 文本（扩展名和内容都要对）。文件没有保存。`);
    expect(await keptFiles(w.dataDir)).toEqual([]);
  });

  it('should refuse a video (media) by its kind', async () => {
    const sent = await w.send(member(2), { kind: 'media', name: '现场.mp4', bytes: Uint8Array.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]) });
    expect(textOf(await answerIn(w, sent.messageId))).toContain('「现场.mp4」不是可以附上的文件');
    expect(w.fake.resourceCalls(sent.key).map((c) => c.query.type)).toEqual(['file']);
  });

  it('should tell the sender when every try failed, after three tries, and keep nothing', async () => {
    const key = 'file_v3_always_failing';
    w.fake.failResource(key, 99);
    const sent = await w.send(member(2), { name: '会议材料.pdf', bytes: pdf(3000), key });
    expect(textOf(await answerIn(w, sent.messageId))).toBe('「会议材料.pdf」没能从平台下载下来（已重试），文件没有保存：请重新发送。');
    expect(w.fake.resourceCalls(key).map((c) => c.status)).toEqual([500, 500, 500]);
    expect(await keptFiles(w.dataDir)).toEqual([]);
  });

  it('should attach a file whose first two downloads fail', async () => {
    const key = 'file_v3_flaky';
    w.fake.failResource(key, 2);
    const sent = await w.send(member(2), { name: '会议材料.pdf', bytes: pdf(3000), key });
    const card = await w.waitFor((m) => isCard(m) && m.parentId === sent.messageId, 'the choice card');
    expect(card.chatId).toBe(w.p2p(member(2)));
    expect(w.fake.resourceCalls(key).map((c) => c.status)).toEqual([500, 500, 200]);
    expect(await keptFiles(w.dataDir)).toHaveLength(1);
  });
});
