/**
 * 述职评议 in the console page (headless Chromium): the clicker's own card (their choice, sealed buttons) is shown
 * to them alone, and a change is made from it; another member at the same console sees the shared card only.
 */
import type { Locator, Page } from 'playwright-core';
import { CHAT } from '../handlers/support';
import { actAs, consoleSuite, say, WAIT, type PageWindow } from '../helpers/console-page';
import { startBot } from '../helpers/harness';

jest.setTimeout(60000);

const { browser, bot: started } = consoleSuite(() => startBot());

async function ratingCard(page: Page): Promise<Locator> {
  const handle = await page.waitForFunction(
    () => {
      const { document } = globalThis as unknown as PageWindow;
      for (const el of Array.from(document.querySelectorAll('[data-kind="card"][data-message-id]'))) {
        if (el.querySelector('.card-title')?.textContent?.startsWith('述职评议')) return el.getAttribute('data-message-id');
      }
      return null;
    },
    undefined,
    { timeout: WAIT },
  );
  return page.locator(`[data-message-id="${String(await handle.jsonValue())}"]`);
}

async function toast(page: Page, text: string): Promise<void> {
  await page.locator('#toast[role="status"]', { hasText: text }).waitFor();
}

test('a member rates, sees their own choice, and changes it; the next member sees none of it', async () => {
  const bot = started();
  const now = Date.now();
  await bot.bot.services.duties.create(
    { chat: CHAT, kind: 'report', label: '述职', title: '年度述职', at: now - 3_600_000, organizer: { id: 'u1', name: '王建国' }, audience: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'], reminderOffsets: [] },
    now,
  );
  const { page } = await browser.open(bot.baseUrl);
  await say(page, '@落实 评议#1');
  const card = await ratingCard(page);
  await card.locator('.card-tally', { hasText: '已评议 0 / 应评议 6' }).waitFor();

  await actAs(page, '张丽');
  await card.getByRole('button', { name: '好', exact: true }).click();
  await toast(page, '已评议：好');
  await card.locator('.card-fields', { hasText: /你的评议\s*好（/ }).waitFor();
  await card.locator('.card-tally', { hasText: '已评议 1 / 应评议 6' }).waitFor();

  await actAs(page, '刘洋');
  await card.locator('.card-tally', { hasText: '已评议 1 / 应评议 6' }).waitFor();
  expect(await card.locator('.card-fields').textContent()).not.toContain('你的评议');

  await actAs(page, '张丽');
  await card.locator('.card-fields', { hasText: /你的评议\s*好（/ }).waitFor();
  await card.getByRole('button', { name: '差', exact: true }).click();
  await toast(page, '已改为：差');
  await card.locator('.card-fields', { hasText: /你的评议\s*差（/ }).waitFor();
  const duty = await bot.bot.services.duties.getByNumber(CHAT, 1);
  expect((await bot.bot.services.rating.results(duty?.id ?? '', Date.now()))?.counts).toEqual({ good: 0, fair: 0, average: 0, poor: 1 });
});
