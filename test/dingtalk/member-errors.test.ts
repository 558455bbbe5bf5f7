import type { CodedFault } from '../fakes/dingtalk';
import { recordPrefix } from '../helpers/harness';
import { GROUP, SECRETARY, USERS, cardsIn, dingWorld, type DingWorld } from './support';

const BATCH_QUERY = '/v1.0/im/sceneGroups/members/batchQuery';
const group = { platform: 'dingtalk' as const, chatId: GROUP };

/**
 * `sceneGroups/members/batchQuery` answers scene groups only (https://open.dingtalk.com/document/development/query-group-members);
 * for any other group, or an app without the permission, it answers with an error whose code we may never have seen.
 * A permanent answer means "no member list": the duty is created with an open audience (or the 名单) and the code is
 * recorded; a transient one (5xx, throttling) is retried.
 */
// The organizer (SECRETARY, in the audience) attends their own meeting unless they answer otherwise (issue 17), so
// every tally below counts them under 参加.
describe('DingTalk member-list errors', () => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream' });
  });
  afterEach(async () => {
    await w.stop();
  });

  const permanent: [string, CodedFault][] = [
    ['a known permanent code', { status: 403, code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '没有调用该接口的权限' }],
    ['a code never seen before', { status: 400, code: 'sceneGroup.memberQuery.notSupported', message: '该群不支持查询成员' }],
  ];

  it.each(permanent)('should create the duty with an open audience when batchQuery answers %s', async (_what, fault) => {
    w.fake.failOn(BATCH_QUERY, fault, 1000);
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the card');
    expect(card.cardData.tally).toBe('参加 0 · 请假 0 · 未回复 0');
    expect(card.cardData.footer).toContain('尚无本群名单');
    const duty = await w.started.bot.services.duties.getByNumber(group, 1);
    expect(duty).toMatchObject({ audience: [], audienceOpen: true });
    // The code seen is kept (and logged): the group is not asked again for a day.
    expect(await w.started.bot.redis.get(`${recordPrefix(w.started.config)}:dingtalk:nomembers:${GROUP}`)).toBe(fault.code);
  });

  it.each(['5xx', 'throttle'] as const)('should retry a transient batchQuery failure (%s) and count the listed members', async (fault) => {
    w.fake.failOn(BATCH_QUERY, fault, 1);
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the card', 15000);
    expect(card.cardData.tally).toBe(`参加 1 · 请假 0 · 未回复 ${USERS.length - 1}`);
    const duty = await w.started.bot.services.duties.getByNumber(group, 1);
    expect(duty?.audience).toHaveLength(USERS.length);
    expect(duty?.audienceOpen).toBeUndefined();
    expect(w.fake.calls.filter((c) => c.path === BATCH_QUERY).length).toBeGreaterThanOrEqual(2);
  }, 20000);
});
