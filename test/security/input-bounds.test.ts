/**
 * Times far out of range, as a secretary could type them by mistake or on purpose (`9999999周后`,
 * `99999999999小时后`, a date after 2100 through the admin API). They must be refused with a Chinese reply and
 * store nothing: a duty dated beyond the working calendar (1901–2100) or beyond what a Date can hold breaks every
 * later 列表 of the chat, and the reminder reconciliation at start-up, so the bot would no longer start.
 */
import pino from 'pino';
import { Bot } from '../../src/bot';
import type { ChatRef } from '../../src/domain/types';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';
import { removePrefix, startBot, testConfig, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { settle, storeState } from './support';

const CHAT: ChatRef = { platform: 'sandbox', chatId: DEMO_CHAT.id };
const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const TOKEN = 'input-bounds-admin-token-0123456789';
const INTERNAL = '出了点问题';

describe('times out of range from a secretary', () => {
  let started: StartedBot;
  let driver: SandboxDriver;

  beforeEach(async () => {
    started = await startBot({ clock: new TestClock(NOW).now, env: { ADMIN_TOKEN: TOKEN } });
    driver = new SandboxDriver(started);
  });
  afterEach(async () => {
    await started.stop();
  });

  it.each([
    ['会议 党小组会 9999999周后'],
    ['会议 支部委员会 99999999999小时后'],
    ['述职 年度述职 截止 99999999999分钟后'],
    ['会议 支部委员会 2150年1月1日下午3点'],
  ])('should answer in Chinese and store no duty when a secretary sends「%s」', async (command) => {
    const before = (await storeState(started, CHAT)) as { duties: unknown };
    const reply = await driver.command('u1', command);
    expect(reply).not.toContain(INTERNAL);
    expect(reply).toMatch(/[\u4e00-\u9fff]/);
    await settle(started);
    expect(await started.bot.services.duties.listAllOpen()).toEqual([]);
    expect(((await storeState(started, CHAT)) as { duties: unknown }).duties).toEqual(before.duties);
  });

  it('should keep 列表 working when a secretary has written a time beyond what a date can hold', async () => {
    await driver.command('u1', '会议 支部委员会 99999999999小时后');
    const list = await driver.command('u2', '列表');
    expect(list).not.toContain(INTERNAL);
  });

  it('should keep the duty\'s time when a secretary moves it beyond what a date can hold', async () => {
    await driver.command('u1', '会议 支部委员会 明天下午3点');
    const at = (await started.bot.services.duties.getByNumber(CHAT, 1))?.at;
    const reply = await driver.command('u1', '改期 #1 99999999999小时后');
    expect(reply).not.toContain(INTERNAL);
    expect((await started.bot.services.duties.getByNumber(CHAT, 1))?.at).toBe(at);
  });

  it('should answer in Chinese, not fail, when asked「时间 99999999999个月后」', async () => {
    const reply = await driver.command('u2', '时间 99999999999个月后');
    expect(reply).not.toContain(INTERNAL);
  });

  it('should refuse with a problem (422, like a past time) and store nothing when the admin API is asked for a duty after 2100', async () => {
    const res = await fetch(`${started.baseUrl}/api/chats/${encodeURIComponent(`sandbox:${DEMO_CHAT.id}`)}/duties`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'meeting', title: '远期会议', at: '2150-01-01T09:00:00+08:00', organizer: { id: 'u1', name: '王建国' } }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toBe('时间太远了：最多安排三年以内的事项。');
    expect(await started.bot.services.duties.listAllOpen()).toEqual([]);
  });
});

describe('restarting after a time out of range', () => {
  it('should start again when a secretary has written 会议 党小组会 9999999周后', async () => {
    const config = testConfig();
    const clock = new TestClock(NOW);
    const first = new Bot({ config, log: pino({ level: 'silent' }), clock: clock.now, workers: false });
    let second: Bot | undefined;
    try {
      await first.start(0, '127.0.0.1');
      await first.dispatcher.processMessage({
        kind: 'message',
        chat: CHAT,
        messageId: 'bounds-1',
        sender: { id: 'u1', name: '王建国', platformRole: 'owner' },
        text: '会议 党小组会 9999999周后',
        receivedAt: NOW,
      });
      await first.stop();
      second = new Bot({ config, log: pino({ level: 'silent' }), clock: clock.now, workers: false });
      await expect(second.start(0, '127.0.0.1')).resolves.toBeGreaterThan(0);
    } finally {
      await first.stop();
      await second?.stop();
      await removePrefix(config.REDIS_KEY_PREFIX);
    }
  });
});
