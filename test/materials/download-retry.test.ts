import path from 'node:path';
import { Readable } from 'node:stream';
import { MaterialsService } from '../../src/app/materials-service';
import { CardReplies } from '../../src/app/stats-card-reply';
import { FsBlobStore } from '../../src/store/files/blob-store';
import { MaterialRepo } from '../../src/store/files/material-repo';
import { ask, dutyNo } from '../handlers/support';
import { recordKeys, silentLogger } from '../helpers/harness';
import { answerTo, keptFiles, pdf, startFileWorld, textOf, type FileWorld } from './support';

/*
 * A platform's file (Feishu's message resource, DingTalk's downloadCode) reaches MaterialsService as a way to
 * download it (FileSource): a download that fails is retried with backoff, then its sender is told (issue 14).
 */
describe('materials downloaded from a platform: retried with backoff, then the sender told', () => {
  let w: FileWorld;
  let service: MaterialsService;

  beforeEach(async () => {
    w = await startFileWorld();
    const s = w.started.bot.services;
    service = new MaterialsService({
      maxMb: 20,
      duties: s.duties,
      dutyService: s.dutyService,
      blobs: new FsBlobStore(path.join(w.dataDir, 'files')),
      // The bot's own connection and record prefix (standalone or cluster).
      materials: new MaterialRepo(w.started.bot.redis, recordKeys(w.started.config)),
      outbox: s.outbox,
      cards: new CardReplies({ sent: s.sent, platforms: s.platforms }),
      clock: w.clock.now,
      log: silentLogger(),
      retryDelaysMs: [10, 20],
    });
    await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日');
    await ask(w.driver, 'u3', '附件 #1');
  });

  afterEach(async () => {
    await w.stop();
  });

  /** A download that breaks after its first bytes `failures` times, then works. */
  function flaky(failures: number, content: Uint8Array): { open: () => Promise<Readable>; tries: () => number } {
    let tries = 0;
    const open = async (): Promise<Readable> => {
      tries += 1;
      if (tries > failures) return Readable.from([Buffer.from(content)]);
      return new Readable({
        read() {
          this.push(Buffer.from(content.slice(0, 600)));
          this.destroy(new Error('socket hang up'));
        },
      });
    };
    return { open, tries: () => tries };
  }

  it('should retry a broken download and attach the file once it arrives whole', async () => {
    const messageId = await w.driver.say('u3', '（文件）');
    const download = flaky(2, pdf(5000));
    const outcome = await service.file({ chat: { platform: 'sandbox', chatId: w.driver.chatId }, messageId, sender: { id: 'u3', name: '张丽' }, name: '述职.pdf', receivedAt: w.clock.now() }, download.open);
    expect(download.tries()).toBe(3);
    expect(outcome).toEqual({ kept: true, text: '已把「述职.pdf」（4.9 KB）附到 #1「2026年度述职报告」。记为已提交。' });
    expect((await service.list((await dutyNo(w.started, 1)).id)).map((m) => m.size)).toEqual([5000]);
  });

  it('should tell the sender when every try failed, and keep nothing', async () => {
    const messageId = await w.driver.say('u3', '（文件）');
    const download = flaky(99, pdf(5000));
    const outcome = await service.file({ chat: { platform: 'sandbox', chatId: w.driver.chatId }, messageId, sender: { id: 'u3', name: '张丽' }, name: '述职.pdf', receivedAt: w.clock.now() }, download.open);
    expect(download.tries()).toBe(3);
    const told = '「述职.pdf」没能从平台下载下来（已重试），文件没有保存：请重新发送。';
    expect(outcome).toEqual({ kept: false, text: told });
    expect(textOf(await answerTo(w, messageId, 'text'))).toBe(told);
    expect(await keptFiles(w.dataDir)).toEqual([]);
    expect(await service.list((await dutyNo(w.started, 1)).id)).toEqual([]);
  });
});
