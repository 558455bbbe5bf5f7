import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRouter } from '../../src/http/admin';
import { createHttpApp } from '../../src/http/app';
import { CHAT_PATH, createThroughApi, meetingBody, startAdmin, TOKEN, type AdminWorld } from './support';

/** The router mounted the way src/bot.ts mounts routers, in front of health, metrics and the app's error handler. */
describe('admin router inside createHttpApp', () => {
  let w: AdminWorld;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    w = await startAdmin();
    const { bot } = w.started;
    const app = createHttpApp({ routers: [adminRouter(bot.services)], metrics: bot.metrics, log: bot.services.log, ready: async () => ({ ready: true }) });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await w.stop();
  });

  it('should answer its own problems and leave /healthz and other paths alone', async () => {
    const duty = await createThroughApi(w);
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${base}/api/duties/${duty.id}`, { headers: auth })).status).toBe(200);
    const tooLarge = await fetch(`${base}/api/chats/${CHAT_PATH}/duties`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(meetingBody({ notes: 'x'.repeat(70_000) })),
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    const elsewhere = await fetch(`${base}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get('content-type') ?? '').not.toMatch(/problem/);
  });
});
