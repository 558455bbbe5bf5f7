import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { open, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ask } from '../handlers/support';
import { eventually } from '../helpers/harness';
import { holdMeeting, MINUTES, PHOTO_2, type HeldMeeting } from './held-meeting';
import { startFileWorld, type FileWorld } from './support';
import { hrefsOf, readZip, resolveIn, sha256, type ZipFile } from './zip-reader';

/*
 * The ledger's ZIP (issue 14 "The ledger"): 台账 本年 in the console, the ledger page the bot links to, its
 * 「下载全部材料（ZIP）」 link, and the ZIP read back with yauzl: names an inspector finds a meeting by, the files'
 * exact bytes, self-contained record pages with attendance and minutes, an index linking into the folders.
 */

jest.setTimeout(60000);

const linkIn = (reply: string): string => /https?:\/\/\S+/.exec(reply)?.[0] ?? 'http://missing';
/** The signed link on the test bot's own address (only the path and query are signed). */
const onBot = (w: FileWorld, link: string): URL => {
  const u = new URL(link);
  return new URL(`${u.pathname}${u.search}`, w.started.baseUrl);
};

/** The ZIP link of the ledger page the bot answers `台账 <period>` with. */
async function zipLink(w: FileWorld, period: string): Promise<URL> {
  const { reply } = await ask(w.driver, 'u1', `台账 ${period}`);
  expect(reply).toContain('页面上可下载 Excel 和全部材料（ZIP）');
  const page = onBot(w, linkIn(reply));
  const html = await (await fetch(page)).text();
  const href = /<a class="zip" href="([^"]+)"[^>]*>([^<]+)<\/a>/.exec(html);
  expect(href?.[2]).toContain('全部材料（ZIP）');
  return new URL((href?.[1] ?? '').replace(/&amp;/g, '&'), page);
}

const byName = (files: readonly ZipFile[], name: string): ZipFile => {
  const found = files.find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} in ${files.map((f) => f.name).join(', ')}`);
  return found;
};

describe('the ledger ZIP', () => {
  let w: FileWorld;
  beforeEach(async () => {
    w = await startFileWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  const heldMeeting = (): Promise<HeldMeeting> => holdMeeting(w);

  it('should hold index.html, the workbook, and a dated folder per meeting with its record page and files byte for byte', async () => {
    const { photo, sheet } = await heldMeeting();
    const res = await fetch(await zipLink(w, '本年'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('第一党支部-2026年-台账.zip');
    const files = await readZip(Buffer.from(await res.arrayBuffer()));

    const root = '台账-第一党支部-2026年';
    const folder = `${root}/支部党员大会/2026-11-27 支部党员大会 #1`;
    expect(files.map((f) => f.name).sort()).toEqual(
      [`${root}/index.html`, `${root}/台账.xlsx`, `${folder}/记录.html`, `${folder}/会议照片.png`, `${folder}/会议照片 (2).png`, `${folder}/签到表_第1页_.pdf`].sort(),
    );
    expect(files.every((f) => f.utf8)).toBe(true);
    expect(sha256(byName(files, `${folder}/会议照片.png`).bytes)).toBe(sha256(photo));
    expect(sha256(byName(files, `${folder}/会议照片 (2).png`).bytes)).toBe(sha256(PHOTO_2));
    expect(sha256(byName(files, `${folder}/签到表_第1页_.pdf`).bytes)).toBe(sha256(sheet));
    // Files kept compressed already are stored; the pages are deflated.
    expect(byName(files, `${folder}/签到表_第1页_.pdf`).method).toBe(0);
    expect(byName(files, `${folder}/记录.html`).method).toBe(8);
    expect(byName(files, `${root}/台账.xlsx`).bytes.subarray(0, 2).toString()).toBe('PK');

    const record = byName(files, `${folder}/记录.html`).bytes.toString('utf8');
    expect(record).toContain('支部党员大会 记录');
    expect(record).toContain('出席以签到为准');
    expect(record).toMatch(/实到 2 人<\/th>\s*<td[^>]*>[^<]*王建国、李明|实到 2 人<\/th>\s*<td[^>]*>[^<]*李明、王建国/);
    expect(record).toMatch(/请假 1 人<\/th>\s*<td[^>]*>[^<]*张丽（外出培训）/);
    expect(record).toContain(MINUTES);
    // Self-contained: inline style, nothing loaded, every link relative and to an entry of the ZIP.
    expect(record).toContain('<style>');
    expect(record).not.toMatch(/<link|<script|src=|https?:\/\//);
    const names = new Set(files.map((f) => f.name));
    const recordLinks = hrefsOf(record).map((h) => resolveIn(`${folder}/记录.html`, h));
    expect(recordLinks.sort()).toEqual([`${root}/index.html`, `${folder}/会议照片.png`, `${folder}/会议照片 (2).png`, `${folder}/签到表_第1页_.pdf`].sort());

    const index = byName(files, `${root}/index.html`).bytes.toString('utf8');
    expect(index).toContain('第一党支部 · 2026年 台账');
    expect(index).not.toContain('链接有效至');
    expect(index).not.toMatch(/https?:\/\//);
    const indexLinks = hrefsOf(index).map((h) => resolveIn(`${root}/index.html`, h));
    expect(indexLinks).toEqual(expect.arrayContaining([`${folder}/记录.html`, `${root}/台账.xlsx`]));
    for (const link of indexLinks) expect(names.has(link)).toBe(true);
  });

  it('should name a folder safely from a title with characters Windows forbids, and mark a cancelled duty', async () => {
    await ask(w.driver, 'u1', '学习 学习"党章":第1章/第2章? 明天上午9点');
    await ask(w.driver, 'u1', '会议 支部委员会 下周一下午3点');
    await ask(w.driver, 'u1', '取消＃２');
    const files = await readZip(Buffer.from(await (await fetch(await zipLink(w, '本年'))).arrayBuffer()));
    const records = files.map((f) => f.name).filter((n) => n.endsWith('/记录.html'));
    expect(records).toHaveLength(2);
    const study = records.find((n) => n.includes('#1')) ?? '';
    expect(study).toMatch(/^台账-第一党支部-2026年\/[^/]+\/2026-11-28 学习_党章__第1章_第2章_ #1\/记录\.html$/);
    expect(records.find((n) => n.includes('#2'))).toMatch(/\/2026-11-30 支部委员会（已取消） #2\/记录\.html$/);
    for (const name of files.map((f) => f.name)) for (const part of name.split('/')) expect(part).not.toMatch(/[\\:*?"<>|]|^\s|[\s.]$/);
  });

  it('should give a period without duties a ZIP of index.html alone, saying so', async () => {
    await heldMeeting();
    const files = await readZip(Buffer.from(await (await fetch(await zipLink(w, '去年'))).arrayBuffer()));
    expect(files.map((f) => f.name)).toEqual(['台账-第一党支部-2025年/index.html']);
    const index = files[0]?.bytes.toString('utf8') ?? '';
    expect(index).toContain('这段时间没有活动');
    expect(index).toContain('本材料包只有这一页');
  });

  it('should refuse a changed signature and an expired link with the Chinese page, and send no ZIP', async () => {
    await heldMeeting();
    const link = await zipLink(w, '本年');
    const forged = new URL(link);
    const sig = forged.searchParams.get('sig') ?? '';
    forged.searchParams.set('sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    const refused = await fetch(forged);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('text/html');
    expect(await refused.text()).toContain('链接无效或已过期');

    const widened = new URL(link);
    widened.searchParams.set('from', String(Number(widened.searchParams.get('from')) - 86_400));
    expect((await fetch(widened)).status).toBe(403);

    w.clock.advance(8 * 86_400_000);
    const expired = await fetch(link);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('链接无效或已过期');
  });

  it('should stream: the ZIP starts before a material can even be read, and ends with its bytes once it can', async () => {
    const { sheet } = await heldMeeting();
    // The stored PDF becomes a named pipe: reading it waits until the test writes to it.
    const blob = path.join(w.dataDir, 'files', sha256(sheet).slice(0, 2), sha256(sheet));
    await unlink(blob);
    execFileSync('mkfifo', [blob]);
    let fed = false;
    const feed = async (): Promise<void> => {
      if (fed) return;
      fed = true;
      await writeFile(blob, sheet);
    };
    try {
      const link = await zipLink(w, '本年');
      // The headers and the first bytes (index.html, the workbook, the first photo) come while the PDF is unreadable.
      const start = async () => {
        const res = await fetch(link);
        expect(res.status).toBe(200);
        const reader = (res.body ?? new ReadableStream<Uint8Array>()).getReader();
        return { reader, first: await reader.read() };
      };
      let timer: NodeJS.Timeout | undefined;
      const { reader, first } = await Promise.race([
        start(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no byte of the ZIP before its material could be read')), 5000))),
      ]).finally(() => clearTimeout(timer));
      const chunks: Uint8Array[] = [];
      expect(first.done).toBe(false);
      chunks.push(first.value ?? new Uint8Array());
      expect(Buffer.from(chunks[0] ?? []).subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))).toBe(true);
      await feed();
      for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
      const files = await readZip(Buffer.concat(chunks));
      const pdfEntry = files.find((f) => f.name.endsWith('/签到表_第1页_.pdf'));
      expect(sha256(pdfEntry?.bytes ?? Buffer.alloc(0))).toBe(sha256(sheet));
      expect(files.map((f) => f.name).filter((n) => n.endsWith('/记录.html'))).toHaveLength(1);
    } finally {
      // Never leave the server's read of the pipe waiting (it would hold a thread of libuv's pool).
      await feed();
    }
  });

  it('should still give the ZIP when a material cannot be read, its record page saying which', async () => {
    const { sheet } = await heldMeeting();
    await unlink(path.join(w.dataDir, 'files', sha256(sheet).slice(0, 2), sha256(sheet)));
    const files = await readZip(Buffer.from(await (await fetch(await zipLink(w, '本年'))).arrayBuffer()));
    expect(files.some((f) => f.name.endsWith('.pdf'))).toBe(false);
    expect(files.filter((f) => f.name.endsWith('.png'))).toHaveLength(2);
    const record = files.find((f) => f.name.endsWith('/记录.html'))?.bytes.toString('utf8') ?? '';
    expect(record).toContain('以下材料生成时无法读取，未放入本材料包：签到表:第1页?.pdf');
    expect(hrefsOf(record).map(decodeURIComponent)).not.toContain('签到表_第1页_.pdf');
  });

  it('should stop reading a material when the reader goes away, and serve the next download whole', async () => {
    const { sheet } = await heldMeeting();
    const blob = path.join(w.dataDir, 'files', sha256(sheet).slice(0, 2), sha256(sheet));
    await unlink(blob);
    execFileSync('mkfifo', [blob]);
    const link = await zipLink(w, '本年');
    const res = await fetch(link);
    const reader = (res.body ?? new ReadableStream<Uint8Array>()).getReader();
    // The pipe's write end, opened without blocking once the server has opened the read end (ENXIO until then).
    const pipe = await eventually(() => open(blob, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined), 5000, 'the server reading the PDF');
    try {
      await pipe.write(sheet.subarray(0, 4096));
      expect((await reader.read()).done).toBe(false);
      // The reader goes away in the middle of the PDF: the server closes its end of the pipe, so writing fails
      // with EPIPE. (A server that kept the file open would take the bytes, or leave the pipe full: EAGAIN.)
      await reader.cancel();
      const code = await eventually(
        async () => {
          const err = await pipe.write(Buffer.alloc(512, 0x41)).then(() => undefined, (e: NodeJS.ErrnoException) => e.code);
          return err === 'EPIPE' ? err : undefined;
        },
        5000,
        'the server closing the PDF',
      );
      expect(code).toBe('EPIPE');
    } finally {
      await pipe.close();
    }
    await unlink(blob);
    await writeFile(blob, sheet);
    const files = await readZip(Buffer.from(await (await fetch(link)).arrayBuffer()));
    expect(sha256(files.find((f) => f.name.endsWith('.pdf'))?.bytes ?? Buffer.alloc(0))).toBe(sha256(sheet));
  });
});
