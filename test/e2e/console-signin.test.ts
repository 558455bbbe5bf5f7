import type { Locator, Page } from 'playwright-core';
import { signinJobId } from '../../src/queue/signin-planner';
import { runFirstReminder } from '../helpers/follow-ups';
import { actAs, consoleSuite, memberName, WAIT, type PageWindow } from '../helpers/console-page';
import { startBot, TestClock } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { ask, dutyNo, MINUTE, NOW, shanghai } from '../handlers/support';

/*
 * 签到 on the console in a real (headless) Chromium (issue 14: "the console shows it: a screenshot test of a card with
 * the 签到 button open"): a meeting's card in its sign-in window, a member signing in with its button, and the
 * organizer's 签到码 shown to them only.
 */

jest.setTimeout(60000);

const clock = new TestClock(NOW);
const { browser, bot: started } = consoleSuite(() => startBot({ clock: clock.now }));
let driver: SandboxDriver;

beforeAll(() => {
  driver = new SandboxDriver(started());
});

async function openConsole(): Promise<Page> {
  const bot = started();
  const { page } = await browser.open(bot.baseUrl);
  await page.waitForFunction(() => (globalThis as unknown as PageWindow).document.querySelectorAll('#member option').length === 6);
  return page;
}

/** The latest card whose title contains `title`, once it shows `text`. */
async function cardShowing(page: Page, title: string, text: string): Promise<Locator> {
  const handle = await page.waitForFunction(
    ([t, x]) => {
      const cards = Array.from((globalThis as unknown as PageWindow).document.querySelectorAll('[data-kind="card"][data-message-id]'));
      const last = cards.filter((el) => el.querySelector('.card-title')?.textContent?.includes(t)).pop();
      return last?.textContent?.includes(x) ? last.getAttribute('data-message-id') : null;
    },
    [title, text] as const,
    { timeout: WAIT },
  );
  return page.locator(`[data-message-id="${String(await handle.jsonValue())}"]`);
}

test('a meeting card with its 签到 button open: a member signs in with it (screenshot)', async () => {
  await ask(driver, 'u1', '会议 支部委员会 今天下午3点 地点 三楼会议室');
  // 20 minutes before the start: the window is open; 李明 signs in by text, which refreshes the card.
  clock.t = shanghai('2026-11-27T14:40');
  await ask(driver, 'u2', '签到 #1');

  const page = await openConsole();
  const card = await cardShowing(page, '支部委员会', '已签到 1 / 应到 6');
  const signin = card.locator('button.card-btn', { hasText: '签到' });
  await signin.waitFor({ state: 'visible' });
  expect(await card.locator('button.card-btn').allTextContents()).toEqual(['参加', '请假', '签到']);
  expect(await card.textContent()).toContain('签到 #1');

  await actAs(page, '张丽');
  await signin.click();
  await page.locator('#toast[role="status"]', { hasText: '已签到' }).waitFor();
  // The coalesced refresh brings the count up on the same card.
  await cardShowing(page, '支部委员会', '已签到 2 / 应到 6');
  // The toast gone, so that it does not cover the card in the picture. (This machine's Chromium has no CJK font:
  // the Chinese shows as boxes in the file; the checks above read the text.)
  await page.locator('#toast').waitFor({ state: 'hidden' });
  const png = await card.screenshot({ path: '/tmp/console-signin-card.png' });
  expect(png.length).toBeGreaterThan(5000);
  await page.screenshot({ path: '/tmp/console-signin.png' });
});

test('the organizer’s 签到码 is shown on the console to them only', async () => {
  const bot = started();
  clock.t = shanghai('2026-11-27T14:40');
  await ask(driver, 'u1', '会议 党小组会 今天下午4点 签到码 开');
  const duty = await dutyNo(bot, 2);
  expect(duty.signinCode).toBe(true);
  // The 15:00 reminder adds the window's jobs (src/queue/follow-up-window.ts); the opening job (BullMQ would run it
  // at 15:30), run now with the clock there.
  clock.t = duty.at - 60 * MINUTE;
  await runFirstReminder(bot.bot, duty.id);
  clock.t = duty.at - 30 * MINUTE;
  await (await bot.bot.queues.signin.getJob(signinJobId(duty.id, 'open', duty.at - 30 * MINUTE)))?.promote();
  const code = await bot.bot.services.signin.codeOf(duty);

  const page = await openConsole();
  expect(await memberName(page)).toBe('王建国');
  const shown = page.locator('.msg-private', { hasText: `签到码：${code}` });
  await shown.waitFor();
  expect(await shown.locator('.msg-badge-private').textContent()).toBe('仅王建国可见');

  // Another member's console: opened as them, or switched to them, never has it.
  await actAs(page, '李明');
  await page.locator('.msg-private').waitFor({ state: 'detached' });
  expect(await page.content()).not.toContain(`签到码：${code}`);
  const other = await openConsole();
  await actAs(other, '陈静');
  await other.reload();
  await other.locator('#conn[data-state="live"]').waitFor();
  expect(await memberName(other)).toBe('陈静');
  await cardShowing(other, '党小组会', '签到');
  expect(await other.content()).not.toContain(`签到码：${code}`);

  // Back as the organizer: shown again.
  await actAs(page, '王建国');
  await shown.waitFor();
});
