import { CHAT_PATH, createThroughApi, expectProblem, meetingBody, ORGANIZER, startAdmin, storedState, TOKEN, type AdminWorld } from './support';

interface RouteCase {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: (dutyId: string) => string;
  readonly body?: unknown;
  readonly ok: number;
}

const ROUTES: readonly RouteCase[] = [
  { name: 'create', method: 'POST', path: () => `/api/chats/${CHAT_PATH}/duties`, body: meetingBody({ title: '党小组会' }), ok: 201 },
  { name: 'list', method: 'GET', path: () => `/api/chats/${CHAT_PATH}/duties`, ok: 200 },
  { name: 'read', method: 'GET', path: (id) => `/api/duties/${id}`, ok: 200 },
  { name: 'cancel', method: 'POST', path: (id) => `/api/duties/${id}/cancel`, body: { by: ORGANIZER }, ok: 200 },
  { name: 'tally', method: 'GET', path: (id) => `/api/duties/${id}/tally`, ok: 200 },
  { name: 'history', method: 'GET', path: (id) => `/api/duties/${id}/history`, ok: 200 },
  { name: 'export json', method: 'GET', path: () => `/api/chats/${CHAT_PATH}/export?from=2026-11-01&to=2026-12-31`, ok: 200 },
  { name: 'export csv', method: 'GET', path: () => `/api/chats/${CHAT_PATH}/export?format=csv`, ok: 200 },
];

describe('admin API: Authorization: Bearer <ADMIN_TOKEN>', () => {
  let w: AdminWorld;
  let dutyId: string;

  beforeEach(async () => {
    w = await startAdmin();
    dutyId = (await createThroughApi(w)).id;
  });

  afterEach(async () => {
    await w.stop();
  });

  it.each(ROUTES)('should serve $name with the good token and refuse a missing or wrong one with 401', async (route) => {
    const path = route.path(dutyId);
    const before = await storedState(w);

    const missing = await w.call(route.method, path, { token: null, ...(route.body ? { body: route.body } : {}) });
    expect(expectProblem(missing, 401).detail).toContain('缺少管理令牌');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="luoshi-admin"');

    const wrong = await w.call(route.method, path, { token: `${TOKEN}x`, ...(route.body ? { body: route.body } : {}) });
    expect(expectProblem(wrong, 401).detail).toBe('管理令牌不正确。');
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer realm="luoshi-admin", error="invalid_token"/);

    const shortWrong = await w.call(route.method, path, { token: 'x', ...(route.body ? { body: route.body } : {}) });
    expectProblem(shortWrong, 401);
    expect(await storedState(w)).toEqual(before);

    const good = await w.call(route.method, path, route.body ? { body: route.body } : {});
    expect(good.status).toBe(route.ok);
  });

  it('should refuse other schemes and an empty bearer token with 401', async () => {
    for (const header of [`Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`, 'Bearer ', TOKEN]) {
      const res = await fetch(`${w.baseUrl}/api/duties/${dutyId}`, { headers: { authorization: header } });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="luoshi-admin"/);
    }
  });

  it('should accept the scheme in any case, as RFC 7235 allows', async () => {
    const res = await fetch(`${w.baseUrl}/api/duties/${dutyId}`, { headers: { authorization: `bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
  });

  it('should serve the OpenAPI document without a token, and also with a wrong one', async () => {
    expect((await w.call('GET', '/api/openapi.json', { token: null })).status).toBe(200);
    expect((await w.call('GET', '/api/openapi.json', { token: 'wrong' })).status).toBe(200);
  });

  it('should answer 401, not 404, for an unknown /api path without a token', async () => {
    expectProblem(await w.call('GET', '/api/nothing-here', { token: null }), 401);
    expectProblem(await w.call('GET', '/api/nothing-here'), 404);
  });
});

describe('admin API when ADMIN_TOKEN is unset', () => {
  let w: AdminWorld;

  beforeEach(async () => {
    w = await startAdmin({ token: null });
  });

  afterEach(async () => {
    await w.stop();
  });

  it('should answer every /api path with 404 管理接口未启用 and store nothing', async () => {
    const before = await storedState(w);
    const paths: [string, string, unknown?][] = [
      ['GET', '/api/openapi.json'],
      ['GET', `/api/chats/${CHAT_PATH}/duties`],
      ['POST', `/api/chats/${CHAT_PATH}/duties`, meetingBody()],
      ['GET', '/api/duties/aaaaaaaaaaaa'],
      ['GET', '/api'],
    ];
    for (const [method, path, body] of paths) {
      const problem = expectProblem(await w.call(method, path, body === undefined ? {} : { body }), 404);
      expect(problem.title).toBe('管理接口未启用');
      expect(problem.detail).toContain('ADMIN_TOKEN');
    }
    expect(await storedState(w)).toEqual(before);
    expect(await w.started.bot.services.duties.listOpen({ platform: 'sandbox', chatId: 'branch-1' })).toEqual([]);
  });

  it('should leave paths outside /api to the other routers', async () => {
    const res = await fetch(`${w.baseUrl}/healthz`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type') ?? '').not.toMatch(/problem/);
  });
});
