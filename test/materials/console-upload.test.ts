import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { ask, dutyNo, NOW, DAY, type CardMessage } from '../handlers/support';
import { answerTo, keptFiles, markNeedsFile, pdf, PNG, startFileWorld, textOf, upload, type FileWorld } from './support';

/** A Windows program's start ("MZ"), padded to `size` bytes. */
const exe = (size: number): Uint8Array => {
  const bytes = new Uint8Array(size).fill(7);
  bytes.set([0x4d, 0x5a, 0x90, 0], 0);
  return bytes;
};

const sha = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

describe('materials from the console (issue 14): the 📎 upload, the choice card, 附件 #n', () => {
  let w: FileWorld;

  beforeEach(async () => {
    w = await startFileWorld({ FILE_MAX_MB: '1' });
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日');
  });

  afterEach(async () => {
    await w.stop();
  });

  it('should answer a file with a card of the sender\'s open duties, reports first, and attach it with one tap', async () => {
    const content = pdf(300_000);
    const res = await upload(w, 'u3', '述职报告.pdf', content);
    expect(res.status).toBe(201);
    expect(res.body.kept).toBe(true);
    const card = (await answerTo(w, res.body.message?.id ?? '', 'card')) as CardMessage;
    expect(card.card.header.title).toBe('📎 附到哪个事项？');
    expect(card.card.buttons.map((b) => b.label)).toEqual(['#2 2026年度述职报告', '#1 支部委员会']);

    // Someone else cannot choose for the sender; nothing is attached.
    const foreign = await w.driver.clickButton(card, 'u4', '#2 2026年度述职报告');
    expect(foreign.body.toast).toEqual({ kind: 'warning', text: '只有发这个文件的人可以选择事项。' });
    const report = await dutyNo(w.started, 2);
    expect(await w.started.bot.services.materials.list(report.id)).toEqual([]);

    const click = await w.driver.clickButton(card, 'u3', '#2 2026年度述职报告');
    expect(click.body.toast).toEqual({ kind: 'success', text: '已把「述职报告.pdf」（293.0 KB）附到 #2「2026年度述职报告」。记为已提交。' });
    expect(click.body.card?.banner).toBe('已附到 #2「2026年度述职报告」');
    expect(click.body.card?.buttons).toEqual([]);

    const [material, ...more] = await w.started.bot.services.materials.list(report.id);
    expect(more).toEqual([]);
    expect(material).toMatchObject({ name: '述职报告.pdf', size: 300_000, type: 'application/pdf', sha256: sha(content), by: { id: 'u3', name: '张丽' }, at: NOW });
    const back = Buffer.from(await text(await material!.open()), 'latin1');
    expect(back.length).toBe(300_000);
    expect(await keptFiles(w.dataDir)).toEqual([sha(content)]);
    // The file counts as 已提交 for its member.
    expect((await w.started.bot.services.duties.answers(report.id)).get('u3')).toMatchObject({ status: 'submitted' });

    // The same card tapped again changes nothing.
    const again = await w.driver.clickButton(card, 'u3', '#1 支部委员会');
    expect(again.body.toast).toEqual({ kind: 'warning', text: '这个文件已附上或已过期（24 小时），请重新发送。' });
    expect(await w.started.bot.services.materials.list((await dutyNo(w.started, 1)).id)).toEqual([]);
  });

  it('should attach the next file to the duty 附件 #n named, written the way a secretary types it', async () => {
    const { reply } = await ask(w.driver, 'u2', '附件＃１');
    expect(reply).toBe('好的：你接下来发的文件会附到 #1「支部委员会」（30 分钟内有效）。控制台：点输入框旁的「📎」选择文件。');
    const res = await upload(w, 'u2', '会议照片.PNG', PNG);
    expect(res.status).toBe(201);
    const answer = await answerTo(w, res.body.message?.id ?? '', 'text');
    expect(textOf(answer)).toBe('已把「会议照片.PNG」（16 B）附到 #1「支部委员会」。');
    const meeting = await dutyNo(w.started, 1);
    expect((await w.started.bot.services.materials.list(meeting.id)).map((m) => [m.name, m.type, m.by.id])).toEqual([['会议照片.PNG', 'image/png', 'u2']]);
    // The next one is offered again on a card.
    const second = await upload(w, 'u2', '签到表.txt', '王建国 李明\n');
    await answerTo(w, second.body.message?.id ?? '', 'card');
  });

  it.each([
    ['附件', '请写上事项编号，例如：附件 #7'],
    ['附件 #9', '本群没有 #9 这个事项。发送「列表」查看编号。'],
  ])('should refuse「%s」', async (words, expected) => {
    expect((await ask(w.driver, 'u2', words)).reply).toBe(expected);
  });

  it('should mark a file attached after the deadline as a late submission', async () => {
    w.clock.advance(30 * DAY);
    const res = await upload(w, 'u5', '报告.docx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    const card = (await answerTo(w, res.body.message?.id ?? '', 'card')) as CardMessage;
    const click = await w.driver.clickButton(card, 'u5', '#2 2026年度述职报告');
    expect(click.body.toast.text).toBe('已把「报告.docx」（7 B）附到 #2「2026年度述职报告」。记为已提交（逾期提交）。');
    expect((await w.started.bot.services.duties.answers((await dutyNo(w.started, 2)).id)).get('u5')).toMatchObject({ status: 'submitted', late: true });
  });

  describe('bad files: a clear answer, nothing kept', () => {
    it.each([
      ['too big', '大文件.pdf', pdf(1024 * 1024 + 1), 413, '「大文件.pdf」太大了（1.0 MB）：最大 1 MB。文件没有保存，请压缩或拆分后再发。'],
      ['a program named .pdf (its whole body read and dropped)', '报告.pdf', exe(900_000), 422, '「报告.pdf」不是可以附上的文件：只收 PDF、Word、Excel、PowerPoint、JPG、PNG 图片或 TXT 文本（扩展名和内容都要对）。文件没有保存。'],
      ['a refused kind', '安装包.exe', pdf(100), 422, '「安装包.exe」不是可以附上的文件：只收 PDF、Word、Excel、PowerPoint、JPG、PNG 图片或 TXT 文本（扩展名和内容都要对）。文件没有保存。'],
      ['an empty file', '空.txt', new Uint8Array(0), 422, '「空.txt」是空文件，没有保存。'],
      ['a binary .txt', '说明.txt', Uint8Array.from([0x41, 0, 0x42]), 422, '「说明.txt」不是可以附上的文件：只收 PDF、Word、Excel、PowerPoint、JPG、PNG 图片或 TXT 文本（扩展名和内容都要对）。文件没有保存。'],
    ])('should refuse %s', async (_what, name, content, status, expected) => {
      const res = await upload(w, 'u3', name, content);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ kept: false, text: expected });
      expect(textOf(await answerTo(w, res.body.message?.id ?? '', 'text'))).toBe(expected);
      expect(await keptFiles(w.dataDir)).toEqual([]);
    });

    it('should refuse a file from a member with no open duty, before reading it', async () => {
      await ask(w.driver, 'u1', '取消 #1');
      await ask(w.driver, 'u1', '取消 #2');
      const res = await upload(w, 'u3', '报告.pdf', pdf());
      expect(res.status).toBe(422);
      expect(res.body.text).toBe('你现在没有可以附上材料的事项（会议、学习或报告），文件没有保存。事项发起后再发，或先发「附件 #编号」。');
      expect(await keptFiles(w.dataDir)).toEqual([]);
    });

    it.each([
      ['an unknown member', { sender: 'u99' }, 'application/octet-stream', 404],
      ['an empty name', { name: ' ' }, 'application/octet-stream', 400],
      ['a form post (cross-site)', {}, 'text/plain', 415],
    ])('should answer %s with an error and keep nothing', async (_what, override, type, status) => {
      const query = new URLSearchParams({ chat: w.driver.chatId, sender: 'u3', name: 'a.pdf', ...override });
      const res = await fetch(`${w.started.baseUrl}/sandbox/api/files?${query.toString()}`, { method: 'POST', headers: { 'content-type': type }, body: Buffer.from(pdf()) });
      expect(res.status).toBe(status);
      expect(await keptFiles(w.dataDir)).toEqual([]);
    });
  });

  describe('需附件 reports', () => {
    beforeEach(async () => {
      await markNeedsFile(w, await dutyNo(w.started, 2));
    });

    it('should answer 已提交 without a file with how to send one, typed or clicked, and record nothing', async () => {
      const { reply } = await ask(w.driver, 'u4', '已提交＃２');
      const howTo = '#2「2026年度述职报告」需附件，附上文件才算提交。请把文件发给我（控制台：点输入框旁的「📎」），再点选 #2；也可以先发「附件 #2」，接下来发的文件就附到 #2。';
      expect(reply).toBe(howTo);
      const click = await w.driver.clickButton(await w.driver.card(2), 'u4', '已提交');
      expect(click.body.toast).toEqual({ kind: 'warning', text: howTo });
      expect((await w.started.bot.services.duties.answers((await dutyNo(w.started, 2)).id)).size).toBe(0);
    });

    it('should count 已提交 once the member attached a file', async () => {
      await ask(w.driver, 'u4', '附件 #2');
      await upload(w, 'u4', '述职.pdf', pdf());
      const report = await dutyNo(w.started, 2);
      await expect(w.started.bot.services.materials.hasFileFrom(report.id, 'u4')).resolves.toBe(true);
      expect((await w.started.bot.services.duties.answers(report.id)).get('u4')).toMatchObject({ status: 'submitted' });
    });
  });
});
