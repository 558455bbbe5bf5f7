/**
 * The sandbox console's API refuses what a platform would never deliver: unknown members, posing as another
 * member or as the owner, oversized and malformed bodies, card values nobody rendered. Nothing is stored.
 */
import type { ChatRef } from '../../src/domain/types';
import { DEMO_CHAT, DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';
import { given, settle, storeState } from './support';

const CHAT: ChatRef = { platform: 'sandbox', chatId: DEMO_CHAT.id };
const NOW = Date.parse('2026-11-27T10:00:00+08:00');

describe('sandbox console API refusals', () => {
  let started: StartedBot;
  let driver: SandboxDriver;
  let cardId: string;
  let attend: Record<string, unknown>;

  beforeAll(async () => {
    started = await startBot({ clock: new TestClock(NOW).now });
    driver = new SandboxDriver(started);
    await driver.command('u1', '会议 支部委员会 明天下午3点');
    const card = await driver.card(1);
    cardId = card.id;
    attend = { ...(card.card.buttons.find((b) => b.value.act === 'attend')?.value ?? {}) };
    await started.bot.sandbox?.repo.saveChat({ id: 'branch-2', name: '第二党支部' }, DEMO_MEMBERS);
    await settle(started);
  });
  afterAll(async () => {
    await started.stop();
  });

  const state = async (): Promise<unknown> => ({ store: await storeState(started, CHAT), history: await driver.messages() });

  const post = async (path: string, body: string, contentType = 'application/json'): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${started.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };

  it.each([
    ['a sender who is not in the chat', { chatId: DEMO_CHAT.id, senderId: 'u99', text: '@落实 会议 支部委员会 后天下午3点' }, 404],
    ['a chat that does not exist', { chatId: 'branch-9', senderId: 'u1', text: '@落实 会议 支部委员会 后天下午3点' }, 404],
    ['a sender object claiming the owner role', { chatId: DEMO_CHAT.id, senderId: 'u3', text: '@落实 会议 支部委员会 后天下午3点', sender: { id: 'u3', name: '张丽', platformRole: 'owner' } }, 400],
    ['a sender id over 64 characters', { chatId: DEMO_CHAT.id, senderId: 'u'.repeat(65), text: '@落实 列表' }, 400],
    ['an empty text', { chatId: DEMO_CHAT.id, senderId: 'u1', text: '   ' }, 400],
    ['a text over 2000 characters', { chatId: DEMO_CHAT.id, senderId: 'u1', text: `@落实 会议 ${'党'.repeat(2000)} 明天下午3点` }, 400],
  ])('should refuse and store nothing when a message has %s', async (_name, body, status) => {
    const before = await state();
    const res = await post('/sandbox/api/messages', JSON.stringify(body));
    expect(res.status).toBe(status);
    expect(await state()).toEqual(before);
  });

  it.each([
    ['malformed JSON', '{"chatId": "branch-1", "senderId": "u1", "text": "@落实 会议', 'application/json', 400],
    ['a body over 64 kB', JSON.stringify({ chatId: DEMO_CHAT.id, senderId: 'u1', text: `@落实 会议 x ${'x'.repeat(70_000)}` }), 'application/json', 413],
    ['a JSON array', '[]', 'application/json', 400],
    ['a form body', 'chatId=branch-1&senderId=u1&text=%40%E8%90%BD%E5%AE%9E%20%E5%88%97%E8%A1%A8', 'application/x-www-form-urlencoded', 400],
  ])('should answer with the right status and store nothing when the body is %s', async (_name, body, contentType, status) => {
    const before = await state();
    const res = await post('/sandbox/api/messages', body, contentType);
    expect(res.status).toBe(status);
    expect(await state()).toEqual(before);
  });

  it.each([
    ['an actor who is not in the chat', (): unknown => ({ chatId: DEMO_CHAT.id, messageId: cardId, actorId: 'u99', value: attend }), 404],
    ['the card clicked from another chat', (): unknown => ({ chatId: 'branch-2', messageId: cardId, actorId: 'u2', value: attend }), 404],
    ['a message that does not exist', (): unknown => ({ chatId: DEMO_CHAT.id, messageId: 'm-none', actorId: 'u2', value: attend }), 404],
    ['an extra member field beside the value', (): unknown => ({ chatId: DEMO_CHAT.id, messageId: cardId, actorId: 'u2', value: attend, member: 'u3' }), 400],
    ['a reason over 500 characters', (): unknown => ({ chatId: DEMO_CHAT.id, messageId: cardId, actorId: 'u2', value: { ...attend, act: 'leave' }, form: { reason: 'x'.repeat(501) } }), 400],
    ['no value at all', (): unknown => ({ chatId: DEMO_CHAT.id, messageId: cardId, actorId: 'u2' }), 400],
  ])('should refuse and store nothing when a click has %s', async (_name, body, status) => {
    const before = await state();
    const res = await post('/sandbox/api/actions', JSON.stringify(body()));
    expect(res.status).toBe(status);
    expect(await state()).toEqual(before);
  });

  it.each([
    ['a member field naming another member', (): unknown => ({ ...attend, member: 'u3' })],
    ['an actor field naming another member', (): unknown => ({ ...attend, actor: 'u3' })],
    ['an unknown duty', (): unknown => ({ ...attend, duty: 'zzzzzzzzzzzz' })],
    ['an unknown act', (): unknown => ({ ...attend, act: 'cancel' })],
    ['a null value', (): unknown => null],
  ])('should answer with an error toast and store nothing when the card value has %s', async (_name, value) => {
    const before = await state();
    const res = await driver.click(cardId, 'u2', value());
    expect(res.status).toBe(200);
    expect(res.body.toast.kind).toBe('error');
    expect(await state()).toEqual(before);
  });

  it('should keep the duty and answer only with the refusal when a member sends 取消', async () => {
    const reply = await driver.command('u3', '取消 #1');
    expect(reply).toContain('只有本群的党务管理员可以取消');
    await settle(started);
    expect((await started.bot.services.duties.getByNumber(CHAT, 1))?.state).toBe('scheduled');
    const texts = (await driver.messages()).filter((m) => m.kind === 'text' && m.from === null).map((m) => plain(m.text));
    expect(texts.filter((t) => t.includes('已取消'))).toEqual([]);
  });

  it('should record the answer for the clicking member only when a member clicks', async () => {
    const res = await driver.click(cardId, 'u5', attend);
    expect(res.body.toast.kind).toBe('success');
    const duty = await started.bot.services.duties.getByNumber(CHAT, 1);
    const answers = await started.bot.services.duties.answers(duty?.id ?? '');
    expect(given(answers)).toEqual(['u5']);
    expect(answers.get('u1')).toMatchObject({ status: 'attending', implied: true });
    await eventually(async () => (await started.bot.queues.cards.getJobCounts('waiting', 'active')).waiting === 0, 5000, 'the refresh');
  });
});
