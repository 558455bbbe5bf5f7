import type { Locator, Page } from 'playwright-core';
import { actAs, ConsoleBrowser, memberName, say, WAIT } from '../helpers/console-page';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

/*
 * The console as a newcomer meets it (issue #12), in a real (headless) Chromium: the demo's committee chat and two
 * branches, switched in the page, a campaign started from the committee chat and answered in a branch; a chat's
 * whole history, loaded as the reader scrolls up, with old cards' buttons still working; and a page that says so
 * when the bot stops.
 */

jest.setTimeout(90000);

const NOW = Date.parse('2026-11-27T10:00:00+08:00');

/** The little of the page's DOM that the browser-side checks use (the tsconfig has no DOM lib). */
interface PageNode {
  readonly textContent: string | null;
  readonly scrollTop: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageNode | null;
}
interface PageDocument {
  querySelector(selector: string): (PageNode & { scrollTop: number }) | null;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
}
/** `globalThis` in the page (page functions are sent as source: they can use no helper of this file). */
type PageGlobal = { document: PageDocument };

const browser = new ConsoleBrowser();

beforeAll(async () => {
  await browser.launch();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await browser.afterEach();
});

/** A fresh console (its own localStorage) on `bot`, loaded and connected to the event stream. */
async function openConsole(bot: StartedBot): Promise<Page> {
  return (await browser.open(bot.baseUrl)).page;
}

async function openChat(page: Page, name: string, members: number): Promise<void> {
  await page.selectOption('#chat', { label: name });
  await page.locator('#chat-name', { hasText: name }).waitFor();
  await page.waitForFunction((n) => (globalThis as unknown as PageGlobal).document.querySelectorAll('#member option').length === n, members);
}

/** The card whose title contains `title`, once it is on the page. */
function card(page: Page, title: string): Locator {
  return page.locator('[data-kind="card"]', { has: page.locator('.card-title', { hasText: title }) });
}

/** Wait until one of `locator`'s elements shows `text`. */
async function waitForText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
  expect(await locator.filter({ hasText: text }).count()).toBeGreaterThan(0);
}

describe('the demo chats in the console', () => {
  let bot: StartedBot;
  beforeAll(async () => {
    bot = await startBot({ clock: new TestClock(NOW).now, env: { SANDBOX_DEMO: 'full' } });
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('should switch between the committee chat and the branches, each with its own members, and run a campaign across them', async () => {
    const page = await openConsole(bot);
    expect(await page.locator('#chat option').allTextContents()).toEqual(['第一党支部', '第二党支部', '市直机关工委']);
    expect(await page.locator('#member option').count()).toBe(6);

    // The committee chat opens with its secretary chosen: the one who may start a campaign.
    await openChat(page, '市直机关工委', 4);
    expect(await page.locator('#member option').allTextContents()).toEqual(['王建国', '孙海燕', '马卫东', '黄晓梅']);
    expect(await memberName(page)).toBe('马卫东');
    expect(await page.textContent('#speaker')).toContain('（书记）');
    await say(page, '@落实 发起 述职 年度述职报告 截止 12月20日 范围 全部');
    await waitForText(page.locator('.msg[data-kind="text"]'), '已在 2 个群发起「年度述职报告」');
    const summary = card(page, '年度述职报告 · 汇总');
    await waitForText(summary.locator('[data-group="各群进度"]'), '第二党支部（已提交 0/5）');

    await openChat(page, '第二党支部', 5);
    expect(await memberName(page)).toBe('孙海燕');
    const report = card(page, '年度述职报告');
    await waitForText(report.locator('.card-tally'), '已提交 0 · 未提交 5');
    // Only this chat's messages: the committee's command and summary stay there.
    expect(await page.locator('#messages .msg', { hasText: '范围 全部' }).count()).toBe(0);
    await actAs(page, '周伟');
    await report.locator('button[data-act="submit"]').click();
    await waitForText(report.locator('.card-tally'), '已提交 1 · 未提交 4');

    await openChat(page, '第一党支部', 6);
    expect(await memberName(page)).toBe('王建国');
    await waitForText(card(page, '年度述职报告').locator('.card-tally'), '已提交 0 · 未提交 6');

    // Back in the committee chat, its summary has followed; back in 第二党支部, 周伟 is still the one chosen there.
    await openChat(page, '市直机关工委', 4);
    await waitForText(card(page, '年度述职报告 · 汇总').locator('[data-group="各群进度"]'), '第二党支部（已提交 1/5）');
    await openChat(page, '第二党支部', 5);
    expect(await memberName(page)).toBe('周伟');
  });

  it('should load earlier messages as the reader scrolls up, down to the first, and an old card still answers', async () => {
    const driver = new SandboxDriver(bot, 'branch-1');
    await driver.command('u1', '会议 党员大会 明天下午4点');
    await eventually(async () => (await driver.messages()).some((m) => m.card?.header.title.includes('党员大会')), WAIT, 'the meeting card');
    const total = 250;
    for (let i = 1; i <= total; i++) await driver.say(i % 2 === 0 ? 'u4' : 'u5', `第 ${i} 条消息`);
    const page = await openConsole(bot);
    const shown = (): Promise<number> => page.locator('#messages .msg').count();
    await page.locator('.msg', { hasText: `第 ${total} 条消息` }).waitFor();
    expect(await shown()).toBe(100);
    expect(await page.locator('#older').isVisible()).toBe(true);

    // Scroll to the top until the first message is there; each page keeps the reader where they were.
    for (let round = 0; round < 10 && !(await page.locator('#history-note').isVisible()); round++) {
      const before = await shown();
      const firstId = await page.locator('#messages .msg').first().getAttribute('data-message-id');
      await page.evaluate(() => {
        const box = (globalThis as unknown as PageGlobal).document.querySelector('#messages');
        if (box) box.scrollTop = 0;
      });
      await page.waitForFunction(
        (n) => (globalThis as unknown as PageGlobal).document.querySelectorAll('#messages .msg').length > n || (globalThis as unknown as PageGlobal).document.querySelector('#history-note')?.getAttribute('hidden') === null,
        before,
      );
      await page.waitForFunction(() => (globalThis as unknown as PageGlobal).document.querySelector('#history')?.getAttribute('data-state') !== 'loading');
      if ((await shown()) > before) {
        // The message that was first is still in view, not jumped away from.
        const top = await page.locator(`[data-message-id="${firstId}"]`).evaluate((el) => (el as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top);
        expect(top).toBeGreaterThan(0);
      }
    }
    await page.locator('#history-note', { hasText: '没有更早的消息了' }).waitFor();
    const ids = await page.locator('#messages .msg').evaluateAll((els) => els.map((el) => (el as unknown as PageNode).getAttribute('data-message-id') ?? ''));
    const all = (await driver.messages()).map((m) => m.id);
    expect(ids).toEqual(all);
    expect(ids.length).toBeGreaterThan(total);

    const old = card(page, '党员大会');
    await old.scrollIntoViewIfNeeded();
    await actAs(page, '李明');
    await old.locator('button[data-act="attend"]').click();
    // 李明 and the organizer 王建国, who attends unless they answer otherwise (issue 17).
    await waitForText(old.locator('.card-tally'), '参加 2 · 请假 0 · 未回复 4');
  });
});

describe('the console when the bot stops', () => {
  it('should stop in under 2 s with two consoles open, and each shows the connection lost', async () => {
    const bot = await startBot();
    try {
      const page = await openConsole(bot);
      const other = await openConsole(bot);
      const stopping = Date.now();
      await bot.bot.stop();
      expect(Date.now() - stopping).toBeLessThan(2000);
      await page.locator('#conn[data-state="down"]').waitFor();
      await other.locator('#conn[data-state="down"]').waitFor();
      expect(await page.textContent('#conn')).toMatch(/服务已停止|已断开/);
    } finally {
      await bot.stop();
    }
  });
});
