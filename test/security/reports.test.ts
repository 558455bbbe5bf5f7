/**
 * Signed report links, taken from the 统计 card as a member gets it: any change of chat, period, expiry or
 * signature, and any link past its expiry, gets 403 and no data, in each of the page, CSV and XLSX forms.
 */
import type { CardModel } from '../../src/domain/card-model';
import type { ChatRef } from '../../src/domain/types';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const DAY = 86_400_000;
const CHAT: ChatRef = { platform: 'sandbox', chatId: DEMO_CHAT.id };
const TITLE = '第四季度支委会';
const REASON = '外出培训请假';

describe('signed report links', () => {
  let started: StartedBot;
  let clock: TestClock;
  let driver: SandboxDriver;
  /** Path and query of the 本季度 and 本月 links. */
  let quarter: URL;
  let month: URL;

  const linkOf = async (command: string): Promise<URL> => {
    const id = await driver.say('u3', `@落实 ${command}`);
    const card = await eventually(async () => (await driver.messages()).find((m) => m.replyTo === id && m.kind === 'card')?.card, 5000, `the card of ${command}`);
    const href = (card as CardModel).fields.find((f) => f.label === '报表')?.href;
    if (!href) throw new Error('the statistics card has no link');
    return new URL(href);
  };

  const get = async (url: URL, form: '' | '/report.csv' | '/report.xlsx' = ''): Promise<{ status: number; body: string; type: string }> => {
    const res = await fetch(`${started.baseUrl}${url.pathname}${form}${url.search}`);
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()).toString('latin1'), type: res.headers.get('content-type') ?? '' };
  };

  const altered = (url: URL, change: (p: URLSearchParams) => void): URL => {
    const out = new URL(url);
    change(out.searchParams);
    return out;
  };

  beforeAll(async () => {
    clock = new TestClock(NOW);
    started = await startBot({ clock: clock.now });
    driver = new SandboxDriver(started);
    const { dutyService } = started.bot.services;
    const duty = await dutyService.create({ chat: CHAT, organizer: { id: 'u1', name: '王建国', platformRole: 'owner' }, kind: 'meeting', label: '会议', title: TITLE, at: NOW + DAY }, NOW);
    await dutyService.answer(duty.id, { id: 'u2', name: '李明' }, 'leave', NOW, REASON);
    quarter = await linkOf('统计 本季度');
    month = await linkOf('统计 本月');
  });
  afterAll(async () => {
    await started.stop();
  });

  it('should serve all three forms when the link is untouched', async () => {
    const page = await get(quarter);
    expect(page.status).toBe(200);
    expect(Buffer.from(page.body, 'latin1').toString('utf8')).toContain(TITLE);
    expect((await get(quarter, '/report.csv')).status).toBe(200);
    expect((await get(quarter, '/report.xlsx')).status).toBe(200);
  });

  const tampered: readonly [string, () => URL][] = [
    ['one character of the signature changed', () => altered(quarter, (p) => p.set('sig', flip(p.get('sig') ?? '', 20)))],
    ['the last character of the signature changed', () => altered(quarter, (p) => p.set('sig', flip(p.get('sig') ?? '', 42)))],
    ['the signature removed', () => altered(quarter, (p) => p.delete('sig'))],
    ['an empty signature', () => altered(quarter, (p) => p.set('sig', ''))],
    ['the signature of the 本月 link', () => altered(quarter, (p) => p.set('sig', month.searchParams.get('sig') ?? ''))],
    ['the period widened by a day at the end', () => altered(quarter, (p) => p.set('to', String(Number(p.get('to')) + 86_400)))],
    ['the period moved a year back', () => altered(quarter, (p) => p.set('from', String(Number(p.get('from')) - 365 * 86_400)))],
    ['the expiry pushed a year on', () => altered(quarter, (p) => p.set('exp', String(Number(p.get('exp')) + 365 * 86_400)))],
    ['a second to parameter', () => altered(quarter, (p) => p.append('to', String(Number(p.get('to')) + 86_400)))],
    ['another chat in the path', () => new URL(quarter.href.replace('/reports/sandbox%3Abranch-1', '/reports/sandbox%3Abranch-2'))],
    ['another platform in the path', () => new URL(quarter.href.replace('/reports/sandbox%3Abranch-1', '/reports/feishu%3Abranch-1'))],
  ];

  it.each(tampered)('should answer 403 with no data, in every form, when the link has %s', async (_name, build) => {
    const url = build();
    for (const form of ['', '/report.csv', '/report.xlsx'] as const) {
      const res = await get(url, form);
      expect([form, res.status]).toEqual([form, 403]);
      expect(res.type).toMatch(/^text\/html/);
      const body = Buffer.from(res.body, 'latin1').toString('utf8');
      expect(body).toContain('链接无效或已过期');
      expect(body).not.toContain(TITLE);
      expect(body).not.toContain(REASON);
      expect(body).not.toContain('李明');
    }
  });

  it('should answer 403 with no data when the link has expired, and serve it until its last second', async () => {
    const exp = Number(quarter.searchParams.get('exp')) * 1000;
    const saved = clock.t;
    try {
      clock.t = exp - 1000;
      expect((await get(quarter)).status).toBe(200);
      for (const t of [exp, exp + 1, exp + 30 * DAY]) {
        clock.t = t;
        for (const form of ['', '/report.csv', '/report.xlsx'] as const) {
          const res = await get(quarter, form);
          expect([t, form, res.status]).toEqual([t, form, 403]);
          expect(Buffer.from(res.body, 'latin1').toString('utf8')).not.toContain(TITLE);
        }
      }
    } finally {
      clock.t = saved;
    }
    expect((await get(quarter)).status).toBe(200);
  });
});

/** Change the character at `i` of a base64url string to another one. */
function flip(s: string, i: number): string {
  const c = s[i] === 'A' ? 'Q' : 'A';
  return `${s.slice(0, i)}${c}${s.slice(i + 1)}`;
}
