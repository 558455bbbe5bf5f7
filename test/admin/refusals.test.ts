import { CHAT, CHAT_PATH, createThroughApi, expectProblem, meetingBody, ORGANIZER, startAdmin, storedState, type AdminWorld } from './support';

const CREATE = `/api/chats/${CHAT_PATH}/duties`;
const without = (key: string): Record<string, unknown> => Object.fromEntries(Object.entries(meetingBody()).filter(([k]) => k !== key));

/** Bodies that fail the schema: each must come back 400 with the offending path named. */
const BAD_CREATE_BODIES: readonly [string, unknown, string][] = [
  ['an unknown key', meetingBody({ extra: 1 }), ''],
  ['no title', without('title'), 'title'],
  ['a blank title', meetingBody({ title: '   ' }), 'title'],
  ['a title over 60 characters', meetingBody({ title: '党'.repeat(61) }), 'title'],
  ['an unknown kind', meetingBody({ kind: 'party' }), 'kind'],
  ['no time', without('at'), 'at'],
  ['a time without offset', meetingBody({ at: '2026-12-05T15:00:00' }), 'at'],
  ['a time in words', meetingBody({ at: '明天下午3点' }), 'at'],
  ['a time as epoch ms', meetingBody({ at: 1796454000000 }), 'at'],
  ['an empty place', meetingBody({ place: '' }), 'place'],
  ['an ftp link', meetingBody({ link: 'ftp://example.cn/x' }), 'link'],
  ['a zero reminder offset', meetingBody({ reminderOffsets: [0] }), 'reminderOffsets.0'],
  ['a fractional reminder offset', meetingBody({ reminderOffsets: [1.5] }), 'reminderOffsets.0'],
  ['a reminder offset as a string', meetingBody({ reminderOffsets: ['60'] }), 'reminderOffsets.0'],
  ['eleven reminder offsets', meetingBody({ reminderOffsets: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }), 'reminderOffsets'],
  ['a reminder beyond 60 days', meetingBody({ reminderOffsets: [86401] }), 'reminderOffsets.0'],
  ['no organizer', without('organizer'), 'organizer'],
  ['an organizer without name', meetingBody({ organizer: { id: 'u1' } }), 'organizer.name'],
  ['an organizer with an unknown key', meetingBody({ organizer: { ...ORGANIZER, role: 'owner' } }), 'organizer'],
  ['a null organizer', meetingBody({ organizer: null }), 'organizer'],
  ['an array', [meetingBody()], ''],
  ['an empty object', {}, 'kind'],
];

describe('admin API: refused requests', () => {
  let w: AdminWorld;

  beforeEach(async () => {
    w = await startAdmin();
  });

  afterEach(async () => {
    await w.stop();
  });

  async function expectNothingStored(before: unknown): Promise<void> {
    expect(await storedState(w)).toEqual(before);
    expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
    expect((await w.driver.messages()).filter((m) => m.kind === 'card')).toEqual([]);
  }

  it.each(BAD_CREATE_BODIES)('should refuse a create body with %s with 400 and store nothing', async (_name, body, path) => {
    const before = await storedState(w);
    const problem = expectProblem(await w.call('POST', CREATE, { body }), 400);
    expect(problem.title).toBe('请求参数不合法');
    expect(problem.detail).toMatch(/^请求体不符合要求：/);
    expect(problem.errors?.map((e) => e.path)).toContain(path || '(根)');
    await expectNothingStored(before);
  });

  it('should name unknown keys in Chinese', async () => {
    const problem = expectProblem(await w.call('POST', CREATE, { body: meetingBody({ extra: 1 }) }), 400);
    expect(problem.detail).toContain('extra');
    expect(problem.detail).toContain('未知的键');
  });

  it('should refuse malformed JSON, a JSON scalar, a wrong media type and a wrong charset, storing nothing', async () => {
    const before = await storedState(w);
    const broken = expectProblem(await w.call('POST', CREATE, { raw: '{"kind": "meeting",' }), 400);
    expect(broken).toMatchObject({ title: '请求体不是合法的 JSON', instance: `/api/chats/${CHAT_PATH}/duties` });
    expectProblem(await w.call('POST', CREATE, { raw: '"meeting"' }), 400);
    expectProblem(await w.call('POST', CREATE, { raw: '' }), 400);
    expectProblem(await w.call('POST', CREATE, { raw: JSON.stringify(meetingBody()), contentType: 'text/plain' }), 415);
    expectProblem(await w.call('POST', CREATE, { raw: 'kind=meeting&title=x', contentType: 'application/x-www-form-urlencoded' }), 415);
    expectProblem(await w.call('POST', CREATE, { raw: JSON.stringify(meetingBody()), contentType: 'application/json; charset=latin1' }), 415);
    await expectNothingStored(before);
  });

  it('should refuse a body over 64 kB with 413 and store nothing', async () => {
    const before = await storedState(w);
    const problem = expectProblem(await w.call('POST', CREATE, { body: meetingBody({ notes: 'x'.repeat(70_000) }) }), 413);
    expect(problem.detail).toBe('请求体超过 64 KB 上限。');
    await expectNothingStored(before);
    expect((await w.call('POST', CREATE, { body: meetingBody({ padding: 'x'.repeat(60_000) }) })).status).toBe(400);
  });

  it('should refuse bad cancel bodies and leave the duty scheduled with its history', async () => {
    const duty = await createThroughApi(w);
    const path = `/api/duties/${duty.id}/cancel`;
    const before = await storedState(w);
    for (const body of [{}, { by: { id: 'u1' } }, { by: ORGANIZER, reason: '改期' }, { by: 'u1' }, []]) {
      expectProblem(await w.call('POST', path, { body }), 400);
    }
    expectProblem(await w.call('POST', path, { raw: '{by:' }), 400);
    expectProblem(await w.call('POST', path, { raw: 'by=u1', contentType: 'text/plain' }), 415);
    expectProblem(await w.call('POST', path, {}), 415);
    expect(await storedState(w)).toEqual(before);
    expect((await w.started.bot.services.duties.get(duty.id))?.state).toBe('scheduled');
    expect(await w.started.bot.services.duties.history(duty.id)).toHaveLength(1);
  });

  it('should answer 405 with Allow for a method a path does not take', async () => {
    const duty = await createThroughApi(w);
    const cases: [string, string, string][] = [
      ['DELETE', `/api/duties/${duty.id}`, 'GET, HEAD'],
      ['PUT', CREATE, 'GET, HEAD, POST'],
      ['GET', `/api/duties/${duty.id}/cancel`, 'POST'],
      ['POST', '/api/openapi.json', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const reply = await w.call(method, path);
      expectProblem(reply, 405);
      expect(reply.headers.get('allow')).toBe(allow);
    }
    expect((await w.started.bot.services.duties.get(duty.id))?.state).toBe('scheduled');
  });

  it('should answer 404 problem for an unknown /api path', async () => {
    const problem = expectProblem(await w.call('GET', '/api/duties'), 404);
    expect(problem.detail).toContain('/api/openapi.json');
    expectProblem(await w.call('GET', '/api/chats'), 404);
  });
});
