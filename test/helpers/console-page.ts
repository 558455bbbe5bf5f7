import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import type { StartedBot } from './harness';

/** Debian's Chromium, headless and quiet (no network of its own). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** How long a console page waits for anything it expects. */
export const WAIT = 15000;

/** An element of the page, as far as the browser-side checks read it (the tsconfig has no DOM lib). */
export interface PageNode {
  readonly textContent: string | null;
  readonly value?: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageNode | null;
}

/** `globalThis` in the page (page functions are sent as source: they can use no helper of the test file). */
export interface PageWindow {
  readonly document: { querySelector(selector: string): PageNode | null; querySelectorAll(selector: string): ArrayLike<PageNode> };
}

/**
 * One Chromium for a test file and the console pages opened in it. Every page records its uncaught errors and
 * what its Content Security Policy blocked; `afterEach` closes the pages and expects neither.
 */
export class ConsoleBrowser {
  private browser?: Browser;
  private readonly contexts: BrowserContext[] = [];
  private readonly pageErrors: string[] = [];
  private readonly cspViolations: string[] = [];

  async launch(): Promise<void> {
    this.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }

  async close(): Promise<void> {
    await this.browser?.close();
  }

  /** Close this test's pages and expect none of them to have thrown or been blocked by the CSP. */
  async afterEach(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((c) => c.close()));
    expect(this.pageErrors.splice(0)).toEqual([]);
    expect(this.cspViolations.splice(0)).toEqual([]);
  }

  /** What the pages' CSP has blocked so far, taken (a test that blocks something on purpose reads it here). */
  takeCspViolations(): string[] {
    return this.cspViolations.splice(0);
  }

  /**
   * A fresh console (its own localStorage) at `baseUrl`, loaded on 第一党支部 and connected to the event stream;
   * `timezoneId` is the browser's own time zone (by default the test process's).
   */
  async open(baseUrl: string, options: { timezoneId?: string } = {}): Promise<{ page: Page; response: Response | null }> {
    if (!this.browser) throw new Error('browser not started');
    const context = await this.browser.newContext({ viewport: { width: 900, height: 900 }, ...options });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (err) => this.pageErrors.push(err.message));
    // Chromium reports each blocked resource or script on the console: "Refused to … Content Security Policy …".
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) this.cspViolations.push(msg.text());
    });
    const response = await page.goto(`${baseUrl}/`);
    await page.locator('#chat-name', { hasText: '第一党支部' }).waitFor();
    await page.locator('#conn[data-state="live"]').waitFor();
    return { page, response };
  }
}

export const memberName = async (page: Page): Promise<string> => (await page.locator('#member option:checked').textContent()) ?? '';

/** Pick who you are at the top of the console. */
export async function actAs(page: Page, name: string): Promise<void> {
  await page.selectOption('#member', { label: name });
  expect(await memberName(page)).toBe(name);
}

/** Type a message and send it with Enter; resolves once the input is cleared (the console took it). */
export async function say(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
  await page.waitForFunction(() => (globalThis as unknown as PageWindow).document.querySelector('#input')?.value === '');
}

/**
 * A console test file's bot and browser: `start` runs and Chromium launches before its tests; both stop after them;
 * after each test its pages are closed and checked (ConsoleBrowser.afterEach). `bot()` throws before the start.
 */
export function consoleSuite(start: () => Promise<StartedBot>): { readonly browser: ConsoleBrowser; bot(): StartedBot } {
  let bot: StartedBot | undefined;
  const browser = new ConsoleBrowser();
  beforeAll(async () => {
    bot = await start();
    await browser.launch();
  });
  afterAll(async () => {
    await browser.close();
    await bot?.stop();
  });
  afterEach(async () => {
    await browser.afterEach();
  });
  return {
    browser,
    bot: () => {
      if (!bot) throw new Error('bot not started');
      return bot;
    },
  };
}
