import { GROUP, PLAIN, SECRETARY, cardsIn, dingWorld, textOf, user, type DingWorld } from './support';

const SCENE_QUERY = '/v1.0/im/sceneGroups/query';
const calls = (w: DingWorld, path: string): number => w.fake.calls.filter((c) => c.path === path).length;

/**
 * The group owner. The robot knows a group by its openConversationId (`cid…`); the legacy `GET /chat/get` takes the
 * `chatid` of a group made through the API, so it cannot answer for it. A scene group's owner comes from
 * `POST /v1.0/im/sceneGroups/query` (https://open.dingtalk.com/document/development/query-group-information);
 * in any other group the secretaries are the senders DingTalk flags `isAdmin` (and those added with 设置管理员).
 */
describe('DingTalk group owner', () => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream' });
  });
  afterEach(async () => {
    await w.stop();
  });

  const said = (chatId: string, words: string): Promise<unknown> => w.waitFor(() => w.sent(chatId).find((s) => textOf(s).includes(words)), `「${words}」`);

  it('should know the owner of a scene group from sceneGroups/query, without isAdmin', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: false });
    const card = await w.waitFor(() => cardsIn(w.fake)[0], 'the card');
    expect(card.cardData.title).toContain('支部委员会');
    const members = (await w.started.bot.services.platforms.get('dingtalk').listMembers(GROUP)) ?? [];
    expect(members.find((m) => m.id === SECRETARY)?.platformRole).toBe('owner');
    expect(members.filter((m) => m.platformRole === 'owner')).toHaveLength(1);
    expect(calls(w, SCENE_QUERY)).toBe(1);
    expect(calls(w, '/chat/get')).toBe(0);
  });

  it('should still refuse a scene-group member who is neither owner nor admin', async () => {
    await w.say(user(3), '会议 支部委员会 明天下午3点', { isAdmin: false });
    await said(GROUP, '只有本群的党务管理员');
    expect(cardsIn(w.fake)).toHaveLength(0);
  });

  it('should fall back to isAdmin in a group that is not a scene group', async () => {
    await w.say(user(2), '会议 支部委员会 明天下午3点', { chatId: PLAIN, isAdmin: false });
    await said(PLAIN, '只有本群的党务管理员');
    expect(cardsIn(w.fake, PLAIN)).toHaveLength(0);
    await w.say(user(2), '会议 支部委员会 明天下午3点', { chatId: PLAIN, isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake, PLAIN)[0], 'the card');
    expect(card.cardData.footer).toContain('尚无本群名单');
    expect(calls(w, '/chat/get')).toBe(0);
  });
});
