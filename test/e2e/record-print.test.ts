import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ask } from '../handlers/support';
import { CHROMIUM_ARGS, WAIT } from '../helpers/console-page';
import { holdMeeting, MINUTES } from '../materials/held-meeting';
import { startFileWorld, type FileWorld } from '../materials/support';
import { readZip } from '../materials/zip-reader';

/*
 * The record page (记录 #1) and the ledger's ZIP in a real (headless) Chromium: the page printed on A4 (print media
 * emulated, a screenshot kept under test-output/, git-ignored), and the ZIP unpacked to disk and opened from there
 * (file://): its pages show with their own style and link to each other and to the files beside them.
 */

jest.setTimeout(90000);

/** Screenshots for a person to look at (not compared by the tests): <repo>/test-output/screenshots, git-ignored. */
const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');
/** A4 at CSS pixels (96 per inch): 210 mm × 297 mm. */
const A4 = { width: 794, height: 1123 };

const linkIn = (reply: string): string => /https?:\/\/\S+/.exec(reply)?.[0] ?? 'http://missing';
const onBot = (w: FileWorld, link: string): URL => {
  const u = new URL(link);
  return new URL(`${u.pathname}${u.search}`, w.started.baseUrl);
};

/** Width and height from a PNG's IHDR (https://www.w3.org/TR/png/#11IHDR). */
const pngSize = (png: Buffer): { width: number; height: number } => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

let w: FileWorld;
let browser: Browser;
const pageErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  w = await startFileWorld();
  await holdMeeting(w);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: A4 });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('request', (r) => requests.push(r.url()));
  return page;
}

test('the record page printed on A4: title, facts, attendance, minutes and materials, nothing of the screen', async () => {
  const page = await newPage();
  const link = onBot(w, linkIn((await ask(w.driver, 'u1', '记录＃１')).reply));
  const res = await page.goto(link.href);
  expect(res?.status()).toBe(200);
  await page.emulateMedia({ media: 'print' });

  await page.getByRole('heading', { level: 1, name: '支部党员大会 记录' }).waitFor();
  const facts = page.locator('table.facts');
  await facts.getByRole('row', { name: /时间\s*2026-11-27 15:00 至/ }).waitFor();
  await facts.getByRole('row', { name: /党支部\s*第一党支部/ }).waitFor();
  const attendance = page.locator('table.attendance');
  expect(await attendance.getByRole('row', { name: /实到 2 人/ }).textContent()).toMatch(/王建国/);
  expect(await attendance.getByRole('row', { name: /请假 1 人/ }).textContent()).toContain('张丽（外出培训）');
  await page.locator('.minutes', { hasText: MINUTES }).waitFor();
  expect(await page.locator('ul.materials li').allTextContents()).toEqual([
    expect.stringContaining('会议照片.png'),
    expect.stringContaining('签到表:第1页?.pdf'),
    expect.stringContaining('会议照片.png'),
  ]);
  // Print media: the line about the link's expiry is for the screen only.
  expect(await page.locator('.meta.screen').isVisible()).toBe(false);
  await page.emulateMedia({ media: 'screen' });
  expect(await page.locator('.meta.screen').isVisible()).toBe(true);
  await page.emulateMedia({ media: 'print' });

  const shot = await page.screenshot({ path: path.join(SHOTS, 'record-page-print.png'), fullPage: true });
  expect(pngSize(shot).width).toBe(A4.width);
  expect(pngSize(shot).height).toBeGreaterThanOrEqual(A4.height);
  // Far more than a blank page of the same size (tables, borders, text). This machine may lack CJK fonts: Chinese
  // then shows as boxes in the picture, which the locators above do not see; install fonts-noto-cjk to look at it.
  const blank = await page.screenshot({ clip: { x: 0, y: 0, ...A4 }, style: '*{visibility:hidden!important}' });
  expect(shot.length).toBeGreaterThan(3 * blank.length);
  // And as the browser prints it: A4, on one or two pages.
  const printed = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const pages = (printed.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(2);
  expect(requests.every((u) => u.startsWith(w.started.baseUrl))).toBe(true);
  expect(pageErrors).toEqual([]);
  await page.context().close();
});

test('the ledger ZIP downloaded from the ledger page and unpacked: index.html opens each record page, which shows its style and its files beside it', async () => {
  // The ledger page's link, clicked: the browser downloads the ZIP under the ledger's name.
  const ledgerPage = await newPage();
  await ledgerPage.goto(onBot(w, linkIn((await ask(w.driver, 'u1', '台账 本年')).reply)).href);
  const [download] = await Promise.all([ledgerPage.waitForEvent('download'), ledgerPage.getByRole('link', { name: '下载全部材料（ZIP）' }).click()]);
  expect(download.suggestedFilename()).toBe('第一党支部-2026年-台账.zip');
  const zip = await readFile((await download.path()) ?? '');
  await ledgerPage.context().close();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-ledger-zip-'));
  try {
    for (const f of await readZip(zip)) {
      const target = path.join(dir, ...f.name.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, f.bytes);
    }
    requests.length = 0;
    const page = await newPage();
    await page.goto(pathToFileURL(path.join(dir, '台账-第一党支部-2026年', 'index.html')).href);
    await page.getByRole('heading', { level: 1, name: '第一党支部 · 2026年 台账' }).waitFor();
    await page.locator('table.ledger tr[data-number="1"]').getByRole('link', { name: '记录' }).click();
    await page.getByRole('heading', { level: 1, name: '支部党员大会 记录' }).waitFor();
    expect(decodeURIComponent(page.url())).toMatch(/\/台账-第一党支部-2026年\/支部党员大会\/2026-11-27 支部党员大会 #1\/记录\.html$/);
    // Its own style applies (the inline <style>: a red bar before each heading).
    expect(await page.locator('h2').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderLeftColor: string } }).getComputedStyle(el).borderLeftColor)).toBe('rgb(187, 34, 34)');
    await page.locator('.minutes', { hasText: MINUTES }).waitFor();
    // Each material's link names a file that is there, beside the page.
    const hrefs = await page.locator('ul.materials a').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(hrefs.map((h) => decodeURIComponent(h).split('/').pop())).toEqual(['会议照片.png', '签到表_第1页_.pdf', '会议照片 (2).png']);
    for (const h of hrefs) expect((await stat(fileURLToPath(h))).isFile()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'ledger-zip-record.png'), fullPage: true });
    await page.getByRole('link', { name: '← 返回台账' }).click();
    await page.getByRole('heading', { level: 1, name: '第一党支部 · 2026年 台账' }).waitFor();
    // Nothing is fetched from anywhere but the unpacked folder.
    expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
