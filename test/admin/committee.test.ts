/**
 * Committee chats (工委群) through the admin API: an operator marks and unmarks the chats whose secretaries may
 * start campaigns across chats (issue #11 item 6). The attacker has no token, or names a chat he should not.
 */
import { CAMPAIGN_REFUSAL } from '../../src/domain/permissions';
import { committeeChatSchema, committeeListSchema } from '../../src/http/admin/response-schemas';
import { DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { CHAT, CHAT_PATH, expectProblem, NOW, startAdmin, TOKEN, type AdminWorld } from './support';

const COMMITTEE_PATH = `/api/chats/${CHAT_PATH}/committee`;
const CONFIGURED = 'feishu:oc_committee';
const LAUNCH = '发起 述职 年度述职 截止 12月20日 范围 全部';

describe('admin API: committee chats', () => {
  let w: AdminWorld;

  beforeEach(async () => {
    w = await startAdmin({ env: { COMMITTEE_CHATS: CONFIGURED } });
    // A second branch the bot has heard from, for a campaign to reach.
    await w.started.bot.sandbox?.repo.saveChat({ id: 'branch-2', name: '第二党支部' }, DEMO_MEMBERS);
    await new SandboxDriver(w.started, 'branch-2').command('u1', '列表');
  });

  afterEach(async () => {
    await w.stop();
  });

  it('should refuse to mark a chat without the token, and store nothing', async () => {
    expectProblem(await w.call('PUT', COMMITTEE_PATH, { token: null }), 401);
    expectProblem(await w.call('PUT', COMMITTEE_PATH, { token: `${TOKEN}x` }), 401);
    expect(await w.started.bot.services.chats.committeeChats()).toEqual([]);
    expect(await w.driver.command('u1', LAUNCH)).toBe(CAMPAIGN_REFUSAL.notCommittee);
  });

  it('should mark and unmark a chat, and the chat secretary may start campaigns only while it is marked', async () => {
    const marked = await w.call('PUT', COMMITTEE_PATH);
    expect(marked.status).toBe(200);
    expect(committeeChatSchema.parse(marked.json)).toEqual({ chat: 'sandbox:branch-1', committee: true, configured: false, changed: true });
    expect(committeeChatSchema.parse((await w.call('PUT', COMMITTEE_PATH)).json).changed).toBe(false);

    const list = await w.call('GET', '/api/committee-chats');
    expect(committeeListSchema.parse(list.json)).toEqual({
      chats: [
        { chat: CONFIGURED, source: 'config' },
        { chat: 'sandbox:branch-1', source: 'store' },
      ],
    });
    expect(await w.driver.command('u1', LAUNCH)).toContain('已在 1 个群发起');
    expect(await w.started.bot.services.chats.audit(CHAT)).toEqual([{ at: NOW, by: 'admin-api', what: '设为工委群' }]);

    const unmarked = await w.call('DELETE', COMMITTEE_PATH);
    expect(committeeChatSchema.parse(unmarked.json)).toEqual({ chat: 'sandbox:branch-1', committee: false, configured: false, changed: true });
    expect(await w.driver.command('u1', LAUNCH)).toBe(CAMPAIGN_REFUSAL.notCommittee);
  });

  it('should refuse to unmark a chat named in COMMITTEE_CHATS with 409', async () => {
    const problem = expectProblem(await w.call('DELETE', `/api/chats/${encodeURIComponent(CONFIGURED)}/committee`), 409);
    expect(problem.detail).toContain('COMMITTEE_CHATS');
  });

  it('should refuse a malformed chat and a one-to-one chat, storing nothing', async () => {
    expectProblem(await w.call('PUT', '/api/chats/nope/committee'), 400);
    await w.started.bot.dispatcher.processMessage({
      kind: 'message',
      chat: { platform: 'sandbox', chatId: 'dm-u1' },
      messageId: 'dm-1',
      sender: { id: 'u1', name: '王建国' },
      text: '列表',
      direct: true,
      receivedAt: NOW,
    });
    const problem = expectProblem(await w.call('PUT', `/api/chats/${encodeURIComponent('sandbox:dm-u1')}/committee`), 422);
    expect(problem.detail).toContain('单聊');
    expect(await w.started.bot.services.chats.committeeChats()).toEqual([]);
  });
});
