import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBot, type StartedBot } from '../helpers/harness';
import { startLocalS3, type LocalS3 } from '../helpers/local-s3';
import { ask, dutyNo } from '../handlers/support';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { answerTo, keptFiles, pdf, startFileWorld, textOf, upload, type FileWorld } from './support';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const linkIn = (reply: string): string => /https?:\/\/\S+/.exec(reply)?.[0] ?? 'http://missing';
/** The signed link on a given bot's address (PUBLIC_BASE_URL is unset: only the path and query are signed). */
const onBot = (bot: StartedBot, link: string): URL => {
  const u = new URL(link);
  return new URL(`${u.pathname}${u.search}`, bot.baseUrl);
};

/** The record page's download link of the one file attached to #1, fetched from `bot`. */
async function download(bot: StartedBot, recordLink: string): Promise<{ status: number; bytes: Buffer }> {
  const page = onBot(bot, recordLink);
  const html = await (await fetch(page)).text();
  const href = /href="(\.\/1\/files\/[^"]+)"/.exec(html)?.[1];
  if (!href) throw new Error(`no download link on the record page: ${html.slice(0, 200)}`);
  const res = await fetch(new URL(href.replace(/&amp;/g, '&'), page));
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Issue 16 item 3: with FILES_S3_BUCKET set, attached files go to the bucket, and every instance reads them there. */
describe('files on S3-compatible storage (FILES_S3_*): the console upload and the record page download', () => {
  let s3: LocalS3;
  let w: FileWorld;

  beforeEach(async () => {
    s3 = await startLocalS3();
    w = await startFileWorld({ ...s3.env, FILE_MAX_MB: '1' });
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
  });

  afterEach(async () => {
    await w.stop();
    await s3.stop();
  });

  it('should keep an uploaded file in the bucket, not under DATA_DIR, and serve it back from there', async () => {
    const sheet = pdf(300_000, 0x41);
    await ask(w.driver, 'u2', '附件＃１');
    const res = await upload(w, 'u2', '签到表.pdf', sheet);
    expect(res.status).toBe(201);
    expect(textOf(await answerTo(w, res.body.message?.id ?? '', 'text'))).toContain('附到 #1「支部委员会」');

    const key = `files/${sha(sheet).slice(0, 2)}/${sha(sheet)}`;
    expect(await s3.keys()).toEqual([key]);
    expect(await keptFiles(w.dataDir)).toEqual([]);

    const record = linkIn((await ask(w.driver, 'u1', '记录＃１')).reply);
    const got = await download(w.started, record);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(Buffer.from(sheet))).toBe(true);
  });

  /** A Windows program's start ("MZ"), padded to `size` bytes. */
  const exe = (size: number): Uint8Array => {
    const bytes = new Uint8Array(size).fill(7);
    bytes.set([0x4d, 0x5a, 0x90, 0], 0);
    return bytes;
  };

  it.each([
    ['too big', '大文件.pdf', pdf(1024 * 1024 + 1), 413, '「大文件.pdf」太大了（1.0 MB）：最大 1 MB。文件没有保存，请压缩或拆分后再发。'],
    ['a program named .pdf', '报告.pdf', exe(900_000), 422, '「报告.pdf」不是可以附上的文件：只收 PDF、Word、Excel、PowerPoint、JPG、PNG 图片或 TXT 文本（扩展名和内容都要对）。文件没有保存。'],
    ['an empty file', '空.txt', new Uint8Array(0), 422, '「空.txt」是空文件，没有保存。'],
  ])('should refuse %s with the reason and leave nothing in the bucket', async (_what, name, content, status, expected) => {
    await ask(w.driver, 'u2', '附件＃１');
    const res = await upload(w, 'u2', name, content);
    expect(res.status).toBe(status);
    expect(textOf(await answerTo(w, res.body.message?.id ?? '', 'text'))).toBe(expected);
    expect(await s3.keys()).toEqual([]);
  });

  it('should let a second instance, with its own DATA_DIR and the same bucket, serve the file and keep the same content once', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-files-'));
    // The same deployment: the same Redis prefix, another process and another disk.
    const other = await startBot({ clock: w.clock.now, env: { ...s3.env, DATA_DIR: otherDir, REDIS_KEY_PREFIX: w.started.config.REDIS_KEY_PREFIX } });
    try {
      const sheet = pdf(200_000, 0x42);
      await ask(w.driver, 'u2', '附件＃１');
      const first = await upload(w, 'u2', '签到表.pdf', sheet);
      expect(textOf(await answerTo(w, first.body.message?.id ?? '', 'text'))).toContain('附到 #1');
      const record = linkIn((await ask(w.driver, 'u1', '记录＃１')).reply);

      const got = await download(other, record);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(Buffer.from(sheet))).toBe(true);
      expect(await keptFiles(otherDir)).toEqual([]);

      // The same bytes sent through the other instance are not kept twice.
      const w2: FileWorld = { ...w, started: other, driver: new SandboxDriver(other), dataDir: otherDir };
      await ask(w2.driver, 'u3', '附件＃１');
      const second = await upload(w2, 'u3', '会议签到表.pdf', sheet);
      expect(textOf(await answerTo(w2, second.body.message?.id ?? '', 'text'))).toContain('附到 #1');
      expect(await w.started.bot.services.materials.list((await dutyNo(w.started, 1)).id)).toHaveLength(2);
      expect(await s3.keys()).toEqual([`files/${sha(sheet).slice(0, 2)}/${sha(sheet)}`]);
    } finally {
      await other.bot.stop();
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
