/**
 * The sandbox console against a hostile web page (issue #11 item 9): a page that re-points its own name at
 * 127.0.0.1 (DNS rebinding) sends its requests with its own `Host`, and is refused before anything is read or
 * written; event streams are capped and released on close; the page carries a Content Security Policy.
 */
import http from 'node:http';
import type { ChatRef } from '../../src/domain/types';
import { hostAllowed, HOST_REFUSAL } from '../../src/platforms/sandbox/host-check';
import { CONSOLE_CSP } from '../../src/platforms/sandbox/receiver';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { storeState } from './support';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const CHAT: ChatRef = { platform: 'sandbox', chatId: DEMO_CHAT.id };

interface Raw {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request with exactly the `Host` (and other headers) given: what a rebinding page's browser sends. */
function request(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Open an event stream and resolve once its status is known; the caller destroys it. */
function openStream(port: number): Promise<{ status: number; body: () => string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/sandbox/api/events', headers: { host: `localhost:${port}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, body: () => text, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

describe('sandbox console: Host check (DNS rebinding)', () => {
  let started: StartedBot;

  beforeAll(async () => {
    started = await startBot({
      clock: new TestClock(NOW).now,
      env: { SANDBOX_ALLOWED_HOSTS: 'console.example.cn, lan.example.cn:8443', PUBLIC_BASE_URL: 'https://luoshi.example.cn' },
    });
  });
  afterAll(async () => {
    await started.stop();
  });

  const evil = (): Record<string, string> => ({ host: `rebind.attacker.example:${started.port}` });

  it.each([
    ['the console page', 'GET', '/'],
    ['its script', 'GET', '/sandbox/static/app.js'],
    ['the chat state', 'GET', '/sandbox/api/state'],
    ['the event stream', 'GET', '/sandbox/api/events'],
  ])('should refuse %s to a foreign Host with 403', async (_name, method, path) => {
    const res = await request(started.port, method, path, evil());
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ error: HOST_REFUSAL });
    expect(res.body).not.toContain('第一党支部');
  });

  it('should refuse a message posted under a foreign Host and store nothing, whatever X-Forwarded-Host says', async () => {
    const before = { store: await storeState(started, CHAT), history: await new SandboxDriver(started).messages() };
    const body = JSON.stringify({ chatId: DEMO_CHAT.id, senderId: 'u1', text: '@落实 会议 支部委员会 明天下午3点' });
    for (const extra of [{} as Record<string, string>, { 'x-forwarded-host': `localhost:${started.port}` }]) {
      const res = await request(started.port, 'POST', '/sandbox/api/messages', { ...evil(), ...extra, 'content-type': 'application/json' }, body);
      expect(res.status).toBe(403);
    }
    const missingHost = await request(started.port, 'POST', '/sandbox/api/messages', { 'content-type': 'application/json' }, body);
    // Node's server answers an HTTP/1.1 request without Host itself (requireHostHeader, on by default).
    expect(missingHost.status).toBe(400);
    expect({ store: await storeState(started, CHAT), history: await new SandboxDriver(started).messages() }).toEqual(before);
  });

  it('should refuse a loopback name on another port', async () => {
    expect((await request(started.port, 'GET', '/sandbox/api/state', { host: 'localhost:1' })).status).toBe(403);
    expect((await request(started.port, 'GET', '/sandbox/api/state', { host: 'localhost' })).status).toBe(403);
  });

  it.each([
    ['localhost with the port', (p: number) => `localhost:${p}`],
    ['127.0.0.1 with the port', (p: number) => `127.0.0.1:${p}`],
    ['[::1] with the port', (p: number) => `[::1]:${p}`],
    ['LOCALHOST in capitals', (p: number) => `LOCALHOST:${p}`],
    ['a name in SANDBOX_ALLOWED_HOSTS with the port', (p: number) => `console.example.cn:${p}`],
    ['a name:port in SANDBOX_ALLOWED_HOSTS', () => 'lan.example.cn:8443'],
    ["PUBLIC_BASE_URL's host", () => 'luoshi.example.cn'],
  ])('should serve the console to %s', async (_name, host) => {
    const res = await request(started.port, 'GET', '/sandbox/api/state', { host: host(started.port) });
    expect(res.status).toBe(200);
    expect(res.body).toContain('第一党支部');
  });

  it('should leave the other routes alone (webhooks and health are not the console)', async () => {
    expect((await request(started.port, 'GET', '/healthz', evil())).status).toBe(200);
  });

  it('should send the Content Security Policy with the page', async () => {
    const res = await request(started.port, 'GET', '/', { host: `localhost:${started.port}` });
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    // Nothing inline the policy would block.
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
  });
});

describe('hostAllowed', () => {
  const rules = { listenHost: '0.0.0.0', extra: [] };
  it.each([
    ['evil.example:3000', 3000, rules, false],
    ['127.0.0.1.nip.io:3000', 3000, rules, false],
    ['localhost:3000@evil.example', 3000, rules, false],
    ['0.0.0.0:3000', 3000, rules, false],
    ['localhost:80', 80, rules, true],
    ['localhost', 80, rules, true],
    ['192.168.1.5:3000', 3000, { listenHost: '192.168.1.5', extra: [] }, true],
    ['[::1]:3000', 3000, { listenHost: '::1', extra: [] }, true],
  ])('should judge Host %s on port %d', (host, port, r, allowed) => {
    expect(hostAllowed(host, port, r)).toBe(allowed);
  });
});

describe('sandbox console: event streams are capped', () => {
  let started: StartedBot;

  beforeAll(async () => {
    started = await startBot({ env: { SANDBOX_MAX_STREAMS: '3' } });
  });
  afterAll(async () => {
    await started.stop();
  });

  it('should answer 503 in Chinese past the cap, and take a stream again once one closes', async () => {
    const open = await Promise.all([1, 2, 3].map(() => openStream(started.port)));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
    const refused = await request(started.port, 'GET', '/sandbox/api/events', { host: `localhost:${started.port}` });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(JSON.parse(refused.body)).toEqual({ error: '打开的控制台太多（最多 3 个）：请关闭不用的控制台页面，稍后刷新。' });
    // The open ones still get events.
    await new SandboxDriver(started).say('u2', '大家好');
    await eventually(async () => open.every((s) => s.body().includes('大家好')), 5000, 'the message on every open stream');

    open[0]?.close();
    const again = await eventually(async () => {
      const s = await openStream(started.port);
      if (s.status === 200) return s;
      s.close();
      return undefined;
    }, 5000, 'a stream slot to be released');
    expect(again.status).toBe(200);
    for (const s of [...open, again]) s.close();
  });
});
