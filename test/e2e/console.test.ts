import type { Locator, Page } from 'playwright-core';
import { actAs, consoleSuite, memberName, say, WAIT, type PageWindow } from '../helpers/console-page';
import { startBot } from '../helpers/harness';

/*
 * The sandbox console in a real (headless) Chromium: a secretary creates a meeting, members answer with the
 * card's buttons, and every open console sees the card change without reloading (server-sent events).
 */

jest.setTimeout(60000);

/** The page's `globalThis`, with the mark a reload would lose. */
interface MarkedWindow extends PageWindow {
  notReloaded?: boolean;
}

const { browser, bot: started } = consoleSuite(() => startBot());

/** A fresh console (its own localStorage), loaded and connected to the event stream. */
async function openConsole(): Promise<Page> {
  const bot = started();
  const { page, response } = await browser.open(bot.baseUrl);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.waitForFunction(() => (globalThis as unknown as PageWindow).document.querySelectorAll('#member option').length === 6);
  return page;
}

/** The card whose title contains `title`, once it is on the page; returns its message id. */
async function cardId(page: Page, title: string): Promise<string> {
  const handle = await page.waitForFunction(
    (t) => {
      const { document } = globalThis as unknown as PageWindow;
      for (const el of Array.from(document.querySelectorAll('[data-kind="card"][data-message-id]'))) {
        if (el.querySelector('.card-title')?.textContent?.includes(t)) return el.getAttribute('data-message-id');
      }
      return null;
    },
    title,
    { timeout: WAIT },
  );
  const id = (await handle.jsonValue()) as string | null;
  if (!id) throw new Error(`no card ${title}`);
  return id;
}

const card = (page: Page, id: string): Locator => page.locator(`[data-message-id="${id}"]`);

async function waitForTally(page: Page, id: string, tally: string): Promise<void> {
  await page.waitForFunction(
    ([mid, t]) => (globalThis as unknown as PageWindow).document.querySelector(`[data-message-id="${mid}"] .card-tally`)?.textContent === t,
    [id, tally] as const,
    { timeout: WAIT },
  );
  expect(await card(page, id).locator('.card-tally').textContent()).toBe(tally);
}

async function click(page: Page, id: string, act: string): Promise<string> {
  const button = card(page, id).locator(`button[data-act="${act}"]`);
  await button.waitFor();
  await button.click();
  return act;
}

async function toastText(page: Page, contains: string): Promise<string> {
  await page.locator('#toast[role="status"]', { hasText: contains }).waitFor();
  return (await page.locator('#toast').textContent()) ?? '';
}

test('a meeting card: members answer with the buttons, and every open console updates live', async () => {
  const secretary = await openConsole();
  expect(await memberName(secretary)).toBe('王建国');
  expect(await secretary.getAttribute('#input', 'placeholder')).toContain('@落实');

  await say(secretary, '@落实 会议 支部委员会 明天下午3点 地点 三楼会议室');
  const id = await cardId(secretary, '支部委员会');
  // The organizer 王建国 attends their own meeting unless they answer otherwise (issue 17).
  await waitForTally(secretary, id, '参加 1 · 请假 0 · 未回复 5');
  expect((await card(secretary, id).locator('[data-group="参加"]').textContent()) ?? '').toContain('王建国');
  const fields = (await card(secretary, id).locator('.card-fields').textContent()) ?? '';
  expect(fields).toContain('三楼会议室');
  // The bot's confirmation quotes the command it answers.
  await secretary.locator('.msg[data-kind="text"] .reply-quote', { hasText: '回复' }).first().waitFor();

  // A second console, opened before the clicks and never reloaded.
  const other = await openConsole();
  await actAs(other, '陈静');
  await waitForTally(other, id, '参加 1 · 请假 0 · 未回复 5');
  await other.evaluate(() => {
    (globalThis as unknown as MarkedWindow).notReloaded = true;
  });

  await actAs(secretary, '李明');
  await click(secretary, id, 'attend');
  expect(await toastText(secretary, '参加')).toContain('参加');
  await waitForTally(secretary, id, '参加 2 · 请假 0 · 未回复 4');

  await actAs(secretary, '张丽');
  await click(secretary, id, 'attend');
  await waitForTally(secretary, id, '参加 3 · 请假 0 · 未回复 3');
  const attending = (await card(secretary, id).locator('[data-group="参加"]').textContent()) ?? '';
  expect(attending).toContain('李明');
  expect(attending).toContain('张丽');
  const text = (await card(secretary, id).textContent()) ?? '';
  expect(text).toContain('李明');
  expect(text).toContain('张丽');

  // The other console got the update over SSE.
  await waitForTally(other, id, '参加 3 · 请假 0 · 未回复 3');
  expect((await card(other, id).textContent()) ?? '').toContain('张丽');
  expect(await other.evaluate(() => (globalThis as unknown as MarkedWindow).notReloaded)).toBe(true);

  // 请假 asks for the reason inside the card first.
  await actAs(secretary, '刘洋');
  await click(secretary, id, 'leave');
  const reason = card(secretary, id).getByPlaceholder('请填写请假原因');
  await reason.waitFor();
  await reason.fill('外出参加培训');
  await card(secretary, id).getByRole('button', { name: '提交' }).click();
  expect(await toastText(secretary, '已请假')).toContain('外出参加培训');
  await waitForTally(secretary, id, '参加 3 · 请假 1 · 未回复 2');
  const leave = (await card(secretary, id).locator('[data-group="请假"]').textContent()) ?? '';
  expect(leave).toContain('刘洋');
  expect(leave).toContain('外出参加培训');
  await reason.waitFor({ state: 'detached' });

  await waitForTally(other, id, '参加 3 · 请假 1 · 未回复 2');
  expect((await card(other, id).locator('[data-group="请假"]').textContent()) ?? '').toContain('外出参加培训');
  expect(await other.evaluate(() => (globalThis as unknown as MarkedWindow).notReloaded)).toBe(true);

  // The member picker is remembered.
  await secretary.reload();
  await secretary.locator('#conn[data-state="live"]').waitFor();
  expect(await memberName(secretary)).toBe('刘洋');
});

test('markup in a title is shown as literal text', async () => {
  const page = await openConsole();
  const title = '<b>x</b><at user_id="all"></at>';
  await say(page, `@落实 会议 「${title}」 明天下午4点`);
  const id = await cardId(page, '<b>x</b>');
  const shown = (await card(page, id).locator('.card-title').textContent()) ?? '';
  expect(shown).toContain('<b>x</b>');
  expect(shown).toContain('<at user_id="all"></at>');
  expect(await card(page, id).locator('b').count()).toBe(0);
  expect(await card(page, id).locator('at').count()).toBe(0);
  expect(await page.locator('#messages b, #messages at').count()).toBe(0);
});

test('the Content Security Policy blocks a script injected into the page, and nothing of the console itself', async () => {
  const page = await openConsole();
  await page.evaluate(() => {
    const { document } = globalThis as unknown as { document: { createElement(t: string): { textContent: string }; body: { appendChild(n: unknown): void } } };
    const script = document.createElement('script');
    script.textContent = 'globalThis.injected = true;';
    document.body.appendChild(script);
  });
  expect(await page.evaluate(() => (globalThis as unknown as { injected?: boolean }).injected)).toBeUndefined();
  const until = Date.now() + WAIT;
  let blocked = browser.takeCspViolations();
  while (blocked.length === 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    blocked = browser.takeCspViolations();
  }
  expect(blocked.join('\n')).toMatch(/inline script/i);
  // The console still works under the policy: a command gets its card.
  await say(page, '@落实 学习 党章学习 后天上午9点');
  await cardId(page, '党章学习');
});
