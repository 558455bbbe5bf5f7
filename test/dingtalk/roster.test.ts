import { ROSTER_MAX_AGE_MS } from '../../src/app/roster';
import { PLAIN, SECRETARY, cardsIn, dingWorld, textOf, user, type DingWorld } from './support';

const plain = { platform: 'dingtalk' as const, chatId: PLAIN };
const batchQueries = (w: DingWorld): number => w.fake.calls.filter((c) => c.path === '/v1.0/im/sceneGroups/members/batchQuery').length;

describe('DingTalk rosters', () => {
  let w: DingWorld;
  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream' });
  });
  afterEach(async () => {
    await w.stop();
  });

  const said = (words: string, chatId = PLAIN): Promise<unknown> => w.waitFor(() => w.sent(chatId).find((s) => textOf(s).includes(words)), `「${words}」`);

  it('should list a scene group with every page, names and the owner', async () => {
    const members = (await w.started.bot.services.platforms.get('dingtalk').listMembers('cidBranchScene0001==')) ?? [];
    expect(members).toHaveLength(6);
    expect(members.find((m) => m.id === SECRETARY)).toEqual({ id: SECRETARY, name: '王建国', platformRole: 'owner' });
    expect(members.filter((m) => m.platformRole === 'owner')).toHaveLength(1);
  });

  it('should answer "no member list" for an ordinary group, and not ask DingTalk again for a day', async () => {
    const port = w.started.bot.services.platforms.get('dingtalk');
    await expect(port.listMembers(PLAIN)).resolves.toBeUndefined();
    const calls = batchQueries(w);
    expect(calls).toBeGreaterThan(0);
    await expect(port.listMembers(PLAIN)).resolves.toBeUndefined();
    expect(batchQueries(w)).toBe(calls);
  });

  it('should count whoever answers in a group without a roster, and say so on the card', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { chatId: PLAIN, isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake, PLAIN)[0], 'the card');
    expect(card.cardData.tally).toBe('参加 0 · 请假 0 · 未回复 0');
    expect(card.cardData.footer).toContain('尚无本群名单');
    expect(card.cardData.footer).toContain('名单 添加 ＠某人');
    await w.say(user(1), '参加 #1', { chatId: PLAIN });
    await said('已确认参加 #1');
    const duty = await w.started.bot.services.duties.getByNumber(plain, 1);
    expect(duty?.audience).toEqual([user(1)]);
  });

  it('should keep a roster by command: secretaries only, add, remove, department, list', async () => {
    await w.say(user(3), '名单 添加 @李明', { chatId: PLAIN, atUsers: [user(1)] });
    await said('只有本群的党务管理员');
    await w.say(SECRETARY, '名单', { chatId: PLAIN, isAdmin: true });
    await said('本群还没有名单');
    await w.say(SECRETARY, '名单 添加 @李明 @张丽', { chatId: PLAIN, isAdmin: true, atUsers: [user(1), user(2)] });
    await said('已加入名单：李明、张丽（名单共 2 人）');
    await w.say(SECRETARY, '名单 移除 @张丽', { chatId: PLAIN, isAdmin: true, atUsers: [user(2)] });
    await said('已移出名单：张丽（名单共 1 人）');
    await w.say(SECRETARY, '名单 部门 100', { chatId: PLAIN, isAdmin: true });
    await said('部门 100：已加入名单');
    const { members } = await w.started.bot.services.chats.roster(plain);
    expect(members.map((m) => m.id).sort()).toEqual([user(0), user(1), user(2), user(3)].sort());
    await w.say(SECRETARY, '名单 部门 999', { chatId: PLAIN, isAdmin: true });
    await said('找不到部门 999');
    // A new duty counts the roster; the sender, an admin in the roster, keeps the right to create.
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { chatId: PLAIN, isAdmin: true });
    const card = await w.waitFor(() => cardsIn(w.fake, PLAIN)[0], 'the card');
    // The sender, the organizer in the roster, attends unless they answer otherwise (issue 17).
    expect(card.cardData.tally).toBe('参加 1 · 请假 0 · 未回复 3');
    expect(card.cardData.footer).not.toContain('尚无本群名单');
  });

  it('should keep the command roster when the daily refresh finds no member API', async () => {
    await w.say(SECRETARY, '名单 添加 @李明 @张丽', { chatId: PLAIN, isAdmin: true, atUsers: [user(1), user(2)] });
    await said('名单共 2 人');
    w.clock.advance(ROSTER_MAX_AGE_MS + 3_600_000);
    const members = await w.started.bot.services.roster.members(plain);
    expect(members.map((m) => m.name).sort()).toEqual(['张丽', '李明'].sort());
    expect((await w.started.bot.services.chats.roster(plain)).members).toHaveLength(2);
  });

  it('should refuse roster changes in a group whose members DingTalk lists', async () => {
    await w.say(SECRETARY, '名单 添加 @李明', { isAdmin: true, atUsers: [user(1)] });
    await said('由平台自动同步（共 6 人）', 'cidBranchScene0001==');
  });
});
