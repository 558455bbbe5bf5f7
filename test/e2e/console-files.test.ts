import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { actAs, ConsoleBrowser, say } from '../helpers/console-page';
import { startBot, type StartedBot } from '../helpers/harness';

/*
 * Materials in a real (headless) Chromium (issue 14): a member picks a file with the composer's 📎 button, the bot
 * answers with a card of their open duties, one tap attaches it and the report counts as 已提交.
 */

jest.setTimeout(60000);

let bot: StartedBot | undefined;
let dataDir = '';
const browser = new ConsoleBrowser();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-e2e-files-'));
  bot = await startBot({ env: { DATA_DIR: dataDir } });
  await browser.launch();
});

afterAll(async () => {
  await browser.close();
  await bot?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await browser.afterEach();
});

async function toastText(page: Page, contains: string): Promise<string> {
  await page.locator('#toast[role="status"]', { hasText: contains }).waitFor();
  return (await page.locator('#toast').textContent()) ?? '';
}

test('the 📎 button: a file, the choice card, one tap, and the report counts as 已提交', async () => {
  if (!bot) throw new Error('bot not started');
  const { page } = await browser.open(bot.baseUrl);
  await say(page, '@落实 述职 年度述职报告 截止 12月31日');
  const report = page.locator('[data-kind="card"]').filter({ has: page.locator('.card-title', { hasText: '年度述职报告' }) });
  await report.locator('.card-tally', { hasText: '已提交 0 · 未提交 6' }).waitFor();

  await actAs(page, '张丽');
  // A program is refused with a clear message, in the toast and in the chat.
  await page.setInputFiles('#file', { name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00') });
  expect(await toastText(page, '不是可以附上的文件')).toContain('「setup.exe」');
  await page.locator('.msg[data-kind="text"]', { hasText: '文件没有保存' }).first().waitFor();

  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 0x20)]);
  // The button opens the browser's file chooser.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#attach')]);
  await chooser.setFiles({ name: '述职报告.pdf', mimeType: 'application/pdf', buffer: pdf });
  const choice = page.locator('[data-kind="card"]', { hasText: '附到哪个事项' }).last();
  await choice.getByRole('button', { name: '#1 年度述职报告' }).click();
  expect(await toastText(page, '已把')).toContain('附到 #1「年度述职报告」。记为已提交。');
  await choice.locator('.card-banner', { hasText: '已附到 #1' }).waitFor();
  await report.locator('.card-tally', { hasText: '已提交 1 · 未提交 5' }).waitFor();
});
