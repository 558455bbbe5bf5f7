/**
 * The admin API as the running bot serves it (the composed express app, not the router alone): without the
 * bearer token, or with a wrong one however it is presented, nothing is read, written or sent.
 */
import type { ChatRef } from '../../src/domain/types';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { settle, storeState } from './support';

const TOKEN = 'security-suite-admin-token-0123456789';
const CHAT: ChatRef = { platform: 'sandbox', chatId: DEMO_CHAT.id };
const CHAT_PATH = encodeURIComponent(`sandbox:${DEMO_CHAT.id}`);
const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const TITLE = '机密支委会议题';

const meeting = (): Record<string, unknown> => ({
  kind: 'meeting',
  title: '党小组会',
  at: '2026-12-05T15:00:00+08:00',
  organizer: { id: 'u1', name: '王建国' },
});

describe('admin API refusals on the running bot', () => {
  let started: StartedBot;
  let driver: SandboxDriver;
  let dutyId: string;

  beforeAll(async () => {
    started = await startBot({ clock: new TestClock(NOW).now, env: { ADMIN_TOKEN: TOKEN } });
    driver = new SandboxDriver(started);
    await driver.command('u1', `会议 ${TITLE} 明天下午3点`);
    dutyId = (await started.bot.services.duties.getByNumber(CHAT, 1))?.id ?? '';
    await settle(started);
  });
  afterAll(async () => {
    await started.stop();
  });

  const state = async (): Promise<unknown> => ({ store: await storeState(started, CHAT), sent: await driver.messages() });

  const routes = (): readonly [string, string, unknown][] => [
    ['POST', `/api/chats/${CHAT_PATH}/duties`, meeting()],
    ['GET', `/api/chats/${CHAT_PATH}/duties`, undefined],
    ['GET', `/api/chats/${CHAT_PATH}/export?format=csv`, undefined],
    ['GET', `/api/duties/${dutyId}`, undefined],
    ['POST', `/api/duties/${dutyId}/cancel`, { by: { id: 'u1', name: '王建国' } }],
    ['GET', `/api/duties/${dutyId}/tally`, undefined],
    ['GET', `/api/duties/${dutyId}/history`, undefined],
  ];

  /** Ways of presenting no token or a wrong one. */
  const credentials: readonly [string, (path: string) => { path: string; headers: Record<string, string> }][] = [
    ['no Authorization header', (path) => ({ path, headers: {} })],
    ['a wrong bearer token', (path) => ({ path, headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}X` } })],
    ['the token with an extra character', (path) => ({ path, headers: { authorization: `Bearer ${TOKEN}0` } })],
    ['the token cut short by one character', (path) => ({ path, headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } })],
    ['the token in capitals', (path) => ({ path, headers: { authorization: `Bearer ${TOKEN.toUpperCase()}` } })],
    ['the token without a scheme', (path) => ({ path, headers: { authorization: TOKEN } })],
    ['the token as Basic credentials', (path) => ({ path, headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` } })],
    ['the token in the query string', (path) => ({ path: `${path}${path.includes('?') ? '&' : '?'}token=${TOKEN}&access_token=${TOKEN}`, headers: {} })],
    ['the token in a cookie and an X-Admin-Token header', (path) => ({ path, headers: { cookie: `token=${TOKEN}`, 'x-admin-token': TOKEN } })],
  ];

  it.each(credentials)('should answer 401 to every route and read, store or send nothing when the request has %s', async (_name, present) => {
    await settle(started);
    const before = await state();
    for (const [method, route, body] of routes()) {
      const { path, headers } = present(route);
      const res = await fetch(`${started.baseUrl}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      expect([method, route, res.status]).toEqual([method, route, 401]);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      expect(text).not.toContain(TITLE);
      // The problem names the path asked for (instance), and nothing of the data behind it.
      expect(text).not.toContain('王建国');
      expect(text).not.toContain('scheduled');
    }
    await settle(started);
    expect(await state()).toEqual(before);
  });

  it('should answer 401 before reading the body when an oversized body comes without a token', async () => {
    const before = await state();
    const res = await fetch(`${started.baseUrl}/api/chats/${CHAT_PATH}/duties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...meeting(), notes: 'x'.repeat(200_000) }),
    });
    expect(res.status).toBe(401);
    expect(await state()).toEqual(before);
  });

  it('should keep the duty scheduled with no history entry and no notice when a cancel comes with a wrong token', async () => {
    const before = await started.bot.services.duties.history(dutyId);
    const res = await fetch(`${started.baseUrl}/api/duties/${dutyId}/cancel`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-admin-token-at-all', 'content-type': 'application/json' },
      body: JSON.stringify({ by: { id: 'u1', name: '王建国' } }),
    });
    expect(res.status).toBe(401);
    await settle(started, 100);
    expect((await started.bot.services.duties.get(dutyId))?.state).toBe('scheduled');
    expect(await started.bot.services.duties.history(dutyId)).toEqual(before);
    expect((await driver.messages()).filter((m) => m.kind === 'text' && m.text?.some((s) => 'text' in s && s.text.includes('已取消')))).toEqual([]);
  });

  it('should serve the same route when the right token is given, so the refusals above were about the token', async () => {
    const res = await fetch(`${started.baseUrl}/api/duties/${dutyId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(TITLE);
  });
});
