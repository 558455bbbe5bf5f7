import { chatKey } from '../../src/domain/types';
import { UNIT_REFUSAL } from '../../src/domain/units';
import { cardValues, CHAT, feishuWorld, isCard, member, MEMBERS, SECRETARY, textOf, type FeishuWorld } from '../feishu/support';

/**
 * Feishu (webhook, the official SDK's event shape against the fake of test/fakes/feishu): 本群 … without 上级 is
 * answered with an interactive card of the units to choose from; a tap registers the chat, once, if the clicker may.
 */
describe('units on Feishu (issue 15)', () => {
  let w: FeishuWorld;
  const COMMITTEE = 'oc_committee000000000000000000001';
  afterEach(async () => {
    await w.stop();
  });

  it('should answer with a card of parents, refuse a tap by who may not, and register on a tap by who may', async () => {
    w = await feishuWorld({ env: { BOT_SUPERADMINS: 'ou_root00000000000000000000000001' } });
    w.fake.addChat({ chatId: COMMITTEE, name: '市直机关工委', ownerId: member(5), managers: [], members: MEMBERS.map((m) => ({ ...m })) });
    await w.started.bot.services.units.replaceAll([{ name: '市直机关工委', level: '工委', chat: `feishu:${COMMITTEE}` }], 'test', w.clock.now());
    await w.say(SECRETARY, '本群：第一党支部');
    const card = await w.waitFor(isCard, 'the choice card');
    const [choice, ...others] = cardValues(card.content);
    expect(others).toEqual([]);
    // 王建国 owns the branch's chat but runs no chat of the 工委: refused, nothing stored.
    const refused = await w.click(SECRETARY, card.messageId, choice);
    expect((refused.json as { toast: { content: string } }).toast.content).toBe(UNIT_REFUSAL.who);
    expect(await w.started.bot.services.units.unitOf({ platform: 'feishu', chatId: CHAT })).toBeUndefined();
    // 赵磊 owns the 工委's chat.
    const done = await w.click(member(5), card.messageId, choice);
    expect((done.json as { toast: { type: string; content: string } }).toast).toEqual({ type: 'success', content: '已登记：本群为「第一党支部」（党支部），上级「市直机关工委」。' });
    expect(await w.started.bot.services.units.all()).toEqual([
      { name: '市直机关工委', level: '工委', chat: `feishu:${COMMITTEE}` },
      { name: '第一党支部', level: '党支部', parent: '市直机关工委', chat: chatKey({ platform: 'feishu', chatId: CHAT }) },
    ]);
    await w.say(member(2), '组织');
    expect(textOf(await w.waitFor((m) => textOf(m).startsWith('组织关系'), 'the tree'))).toBe('组织关系（第一党支部）：\n市直机关工委（工委）\n└ 第一党支部（党支部） ← 本群\n（暂无下级单位）');
  });
});
