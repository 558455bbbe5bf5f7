import { chromium, type Browser, type Page } from 'playwright-core';
import type { CardModel } from '../../src/domain/card-model';
import { eventually } from '../helpers/harness';
import { playQuarter, startQuarterWorld, type QuarterWorld } from './quarter-world';

/*
 * The report page in headless Chromium, opened through the signed link of the 统计 本季度 card: the chart, the
 * tables, the CSV download, and 403 for a link altered or expired.
 */

jest.setTimeout(90000);

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** The little of the page's DOM the browser-side checks use (the tsconfig has no DOM lib). */
interface PageNode {
  readonly textContent: string | null;
  readonly href?: string;
  getAttribute(name: string): string | null;
}
interface PageWindow {
  readonly document: { querySelector(selector: string): PageNode | null; querySelectorAll(selector: string): ArrayLike<PageNode> };
}

/** What the phone-layout check reads in the page (the tsconfig has no DOM lib). */
interface PhoneElement {
  readonly textContent: string | null;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  getBoundingClientRect(): { readonly height: number; readonly width: number };
}
interface PhoneDocument {
  readonly documentElement: PhoneElement;
  querySelector(selector: string): PhoneElement | null;
  querySelectorAll(selector: string): ArrayLike<PhoneElement>;
}

let w: QuarterWorld;
let browser: Browser;
let link: URL;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  w = await startQuarterWorld();
  await playQuarter(w);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const id = await w.driver.say('u1', '@落实 统计 本季度');
  const card = await eventually(async () => (await w.driver.messages()).find((m) => m.replyTo === id && m.kind === 'card')?.card, 5000, 'the statistics card');
  link = new URL((card as CardModel).fields.find((f) => f.label === '报表')?.href ?? 'http://missing');
});

afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

async function open(url: URL | string): Promise<{ page: Page; status: number }> {
  const page = await browser.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const res = await page.goto(String(url));
  return { page, status: res?.status() ?? 0 };
}

const altered = (change: (params: URLSearchParams) => void): URL => {
  const url = new URL(link);
  change(url.searchParams);
  return url;
};

describe('the report page', () => {
  it('should show the chart with one bar per duty, the tables and the totals', async () => {
    const { page, status } = await open(link);
    expect(status).toBe(200);
    expect(await page.title()).toBe('第一党支部 · 2026年第四季度 统计');
    const bars = await page.evaluate(() =>
      Array.from((globalThis as unknown as PageWindow).document.querySelectorAll('svg.chart g.bar')).map((g) => [g.getAttribute('data-number'), g.getAttribute('data-phase')]),
    );
    expect(bars).toEqual([
      ['1', 'past'],
      ['2', 'past'],
      ['3', 'cancelled'],
      ['4', 'past'],
      ['7', 'past'],
      ['8', 'past'],
      ['9', 'upcoming'],
    ]);
    expect(await page.locator('svg.chart g.bar[data-number="1"] rect.seg').count()).toBe(3);
    expect(await page.locator('svg.chart g.bar[data-number="3"] rect.seg').count()).toBe(0);
    expect(await page.locator('.summary .rate').textContent()).toBe('68.4%');
    const members = await page.locator('table.members tbody tr').evaluateAll((rows) =>
      rows.map((r) => Array.from((r as unknown as { querySelectorAll(s: string): ArrayLike<PageNode> }).querySelectorAll('td')).map((td) => td.textContent)),
    );
    expect(members).toEqual([
      ['陈静', '3', '1', '0', '2', '33.3%', '2', '1', '0', '1'],
      ['李明', '3', '2', '1', '0', '66.7%', '2', '2', '0', '0'],
      ['刘洋', '3', '2', '1', '0', '66.7%', '2', '0', '0', '2'],
      ['孙伟', '1', '1', '0', '0', '100%', '1', '0', '1', '0'],
      ['王建国', '3', '3', '0', '0', '100%', '2', '2', '0', '0'],
      ['张丽', '3', '2', '1', '0', '66.7%', '2', '0', '1', '1'],
      ['赵磊', '3', '2', '0', '1', '66.7%', '2', '0', '0', '2'],
    ]);
    // a title with markup is shown as text, never as markup
    expect(await page.locator('table.duties tr[data-number="9"] td').nth(1).textContent()).toBe('党课：<b>初心</b> & 使命');
    expect(await page.locator('table.duties b, svg.chart b').count()).toBe(0);
    await page.screenshot({ path: '/tmp/report-page.png', fullPage: true });
    expect(requests.every((u) => u.startsWith(w.reportsUrl))).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('should fit a phone (390 × 844): no sideways page, tables scroll inside, names on one line', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    expect((await page.goto(String(link)))?.status()).toBe(200);
    const layout = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: PhoneDocument }).document;
      const box = (el: PhoneElement | null) => el?.getBoundingClientRect() ?? { height: 0, width: 0 };
      const wrappers = Array.from(doc.querySelectorAll('.scroll'));
      const names = Array.from(doc.querySelectorAll('table.members td:first-child')).map((td) => ({ text: td.textContent, height: box(td).height }));
      const lineHeight = box(doc.querySelector('table.members td.n')).height;
      return {
        pageWidth: doc.documentElement.scrollWidth,
        wrappers: wrappers.map((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth })),
        names,
        lineHeight,
      };
    });
    // The page itself never scrolls sideways; the wide tables do, inside their own frame.
    expect(layout.pageWidth).toBeLessThanOrEqual(390);
    expect(layout.wrappers).toHaveLength(2);
    expect(layout.wrappers[0]?.scrollWidth ?? 0).toBeGreaterThan(layout.wrappers[0]?.clientWidth ?? 0);
    // A name keeps to one line: its cell is no taller than a number's (not one character per line).
    expect(layout.names.map((n) => n.text)).toContain('王建国');
    for (const n of layout.names) expect(n.height).toBeLessThanOrEqual(layout.lineHeight + 1);
    await page.screenshot({ path: '/tmp/report-page-390.png', fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('should download the CSV from the page link', async () => {
    const { page } = await open(link);
    const got = await page.evaluate(async () => {
      const a = (globalThis as unknown as PageWindow).document.querySelector('a.csv');
      const res = await fetch(a?.href ?? '');
      return { status: res.status, type: res.headers.get('content-type'), bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
    });
    expect(got.status).toBe(200);
    expect(got.type).toBe('text/csv; charset=utf-8');
    const text = Buffer.from(got.bytes).toString('utf8');
    expect(text.startsWith('\uFEFF支部,事项,类型,时间,成员,状态,原因,确认时间,是否逾期\r\n')).toBe(true);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(1 + 45);
    expect(await page.locator('a.xlsx').getAttribute('href')).toMatch(/^\.\/sandbox%3Abranch-1\/report\.xlsx\?from=\d+&to=\d+&exp=\d+&sig=[\w-]{43}$/);
    await page.close();
  });

  it('should refuse an altered signature, an altered period, another chat and an expired link with 403', async () => {
    const sig = link.searchParams.get('sig') ?? '';
    const cases: URL[] = [
      altered((p) => p.set('sig', `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`)),
      altered((p) => p.set('to', String(Number(p.get('to')) + 86400))),
      altered((p) => p.set('from', String(Number(p.get('from')) - 86400 * 92))),
      altered((p) => p.delete('sig')),
      new URL(link.href.replace('/reports/sandbox%3Abranch-1', '/reports/sandbox%3Abranch-2')),
      new URL(link.href.replace('/reports/sandbox%3Abranch-1?', '/reports/sandbox%3Abranch-1/report.csv?').replace(/sig=[\w-]+/, 'sig=x')),
    ];
    for (const url of cases) {
      const { page, status } = await open(url);
      expect([url.href, status]).toEqual([url.href, 403]);
      expect(await page.locator('h1').textContent()).toBe('链接无效或已过期');
      await page.close();
    }
    w.clock.advance(8 * 24 * 3600_000);
    try {
      for (const url of [link, new URL(link.href.replace('?', '/report.csv?'))]) {
        const { page, status } = await open(url);
        expect([url.pathname, status]).toEqual([url.pathname, 403]);
        await page.close();
      }
    } finally {
      w.clock.advance(-8 * 24 * 3600_000);
    }
    expect((await open(link)).status).toBe(200);
  });
});
