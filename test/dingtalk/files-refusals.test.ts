import { existsSync } from 'node:fs';
import path from 'node:path';
import { UNKNOWN_CODE } from '../fakes/dingtalk';
import { cardsIn, GROUP, SECRETARY, user } from './support';
import { filesWorld, keptFiles, pdf, PNG, type FilesWorld } from './files-support';

const DOWNLOAD_PATH = '/v1.0/robot/messageFiles/download';

/*
 * Files DingTalk delivers that cannot be kept (issue 14): every refusal is a clear Chinese answer in the one-to-one
 * chat and nothing under DATA_DIR; a download that fails is tried again, each try asking DingTalk for a fresh link.
 */
describe('DingTalk: files refused, downloads retried (stream)', () => {
  let w: FilesWorld;
  beforeEach(async () => {
    w = await filesWorld({ mode: 'stream', env: { FILE_MAX_MB: '1' } });
    await w.sayIn(GROUP, SECRETARY, '会议 支部委员会 明天下午3点', true);
    await w.waitFor(() => cardsIn(w.fake)[0], 'the meeting card');
  });
  afterEach(async () => {
    await w.stop();
  });

  const downloads = (): number => w.fake.calls.filter((c) => c.path === DOWNLOAD_PATH).length;

  it('should refuse a file whose link declares more than FILE_MAX_MB before reading it, keeping nothing', async () => {
    const code = w.register({ bytes: pdf(1.5 * 1024 * 1024), contentType: 'application/pdf' });
    await w.sendFile(user(1), { msgtype: 'file', fileName: '全年材料.pdf', downloadCode: code });
    expect(await w.replyTo(user(1), '太大了')).toBe('「全年材料.pdf」太大了（1.5 MB）：最大 1 MB。文件没有保存，请压缩或拆分后再发。');
    expect(downloads()).toBe(1);
    expect(w.cardsTo(user(1))).toEqual([]);
    expect(await keptFiles(w.dataDir)).toEqual([]);
    // Refused from the link's Content-Length: the blob store never started (not even its temporary folder).
    expect(existsSync(path.join(w.dataDir, 'files'))).toBe(false);
  });

  it('should stop a file that declares no size once it passes FILE_MAX_MB, keeping nothing', async () => {
    const code = w.register({ bytes: pdf(1.5 * 1024 * 1024), contentType: 'application/pdf', noLength: true });
    await w.sendFile(user(1), { msgtype: 'file', fileName: '全年材料.pdf', downloadCode: code });
    expect(await w.replyTo(user(1), '太大了')).toBe('「全年材料.pdf」太大了：最大 1 MB。文件没有保存，请压缩或拆分后再发。');
    expect(await keptFiles(w.dataDir)).toEqual([]);
    expect(existsSync(path.join(w.dataDir, 'files', 'tmp'))).toBe(true);
  });

  it.each([
    ['a program', '学习软件.exe', Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])],
    ['a picture named as a PDF', '会议纪要.pdf', PNG],
  ])('should refuse %s, keeping nothing', async (_what, name, bytes) => {
    await w.sendFile(user(2), { msgtype: 'file', fileName: name, downloadCode: w.register({ bytes }) });
    expect(await w.replyTo(user(2), '不是可以附上的文件')).toBe(
      `「${name}」不是可以附上的文件：只收 PDF、Word、Excel、PowerPoint、JPG、PNG 图片或 TXT 文本（扩展名和内容都要对）。文件没有保存。`,
    );
    expect(await keptFiles(w.dataDir)).toEqual([]);
  });

  it('should try again with a fresh link when a download breaks half-way, then keep the file once', async () => {
    const code = w.register({ bytes: pdf(4000), contentType: 'application/pdf' });
    w.fake.files.failDownloads(code, 'reset', 1);
    await w.sendFile(user(3), { msgtype: 'file', fileName: '党课讲稿.pdf', downloadCode: code });
    const choice = await w.waitFor(() => w.cardsTo(user(3))[0], 'the choice card after the retry', 10_000);
    expect(choice.cardData.fields).toContain('党课讲稿.pdf（3.9 KB）');
    // The downloadCode was asked again for the second try: links are temporary.
    expect(w.fake.files.issued.filter((i) => i.code === code)).toHaveLength(2);
    expect(w.fake.files.gets.map((g) => g.status)).toEqual([200, 200]);
    expect(await keptFiles(w.dataDir)).toHaveLength(1);
  });

  it('should tell the sender when every try fails (the download API refusing the code), keeping nothing', async () => {
    await w.sendFile(user(4), { msgtype: 'file', fileName: '总结.pdf', downloadCode: 'dcNeverIssued0000' });
    expect(await w.replyTo(user(4), '没能从平台下载', 40_000)).toBe('「总结.pdf」没能从平台下载下来（已重试），文件没有保存：请重新发送。');
    // The first try and the materials' four (1 + 3 retries with backoff), each refused as documented by the fake.
    const refused = w.fake.calls.filter((c) => c.path === DOWNLOAD_PATH);
    expect(refused.length).toBe(5);
    expect(refused.every((c) => c.status === UNKNOWN_CODE.status && JSON.stringify(c.response).includes(UNKNOWN_CODE.code))).toBe(true);
    expect(refused.every((c) => typeof c.headers['x-acs-dingtalk-access-token'] === 'string')).toBe(true);
    expect(await keptFiles(w.dataDir)).toEqual([]);
  }, 60_000);

  it('should tell a sender with no open duty in any group, keeping nothing', async () => {
    w.fake.addUser({ userId: 'staff099', name: '外单位联络员' });
    await w.sendFile('staff099', { msgtype: 'file', fileName: '通知.pdf', downloadCode: w.register({ bytes: pdf(200), contentType: 'application/pdf' }) });
    expect(await w.replyTo('staff099', '没有可以附上材料的事项')).toBe(
      '你现在没有可以附上材料的事项（会议、学习或报告），文件没有保存。事项发起后再发，或先发「附件 #编号」。',
    );
    expect(await keptFiles(w.dataDir)).toEqual([]);
  });

  it('should answer a picture sent in a group with an @ in the group, with the group’s duties', async () => {
    await w.sendFile(user(5), { msgtype: 'picture', downloadCode: w.register({ bytes: PNG, contentType: 'image/png' }) }, GROUP);
    const choice = await w.waitFor(() => cardsIn(w.fake).find((c) => c.cardData.title === '📎 附到哪个事项？'), 'the choice card in the group');
    expect(choice.cardData.btn1Label).toBe('#1 支部委员会');
  });
});
