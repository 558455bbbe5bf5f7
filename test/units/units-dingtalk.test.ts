import { dingWorld, GROUP, PLAIN, SECRETARY, textOf, user, type DingWorld } from '../dingtalk/support';

/**
 * DingTalk (Stream mode, the fake of test/fakes/dingtalk): its card template holds two buttons, so 本群 … without
 * 上级 is answered with the text of the choice; the units are registered and shown as on the console.
 */
describe('units on DingTalk (issue 15)', () => {
  let w: DingWorld;
  afterEach(async () => {
    await w.stop();
  });

  const said = (chatId: string, pick: (text: string) => boolean, what: string): Promise<string> =>
    w.waitFor(() => w.sent(chatId).map(textOf).find(pick), what);

  it('should register the units, answer a missing parent with the text of the choice, and show 组织', async () => {
    w = await dingWorld({ mode: 'stream', env: { BOT_SUPERADMINS: SECRETARY } });
    await w.say(SECRETARY, '本群：市财政局机关党委，级别：机关党委', { chatId: GROUP });
    await said(GROUP, (t) => t.startsWith('还没有可以做「市财政局机关党委」上级的单位'), 'the answer: no unit to go under yet');
    await w.say(SECRETARY, '本群 市直机关工委', { chatId: GROUP });
    await said(GROUP, (t) => t.startsWith('已登记：本群为「市直机关工委」（工委）'), 'the registration');
    await w.say(user(2), '本群：第二党支部', { chatId: PLAIN });
    const choice = await said(PLAIN, (t) => t.includes('的上级是哪个单位'), 'the choice as text');
    expect(choice).toBe('「第二党支部」（党支部）的上级是哪个单位？请回复其中一条：\n本群 第二党支部 上级 市直机关工委');
    // user(2) runs neither chat: refused, nothing stored.
    await w.say(user(2), '本群 第二党支部 上级 市直机关工委', { chatId: PLAIN });
    await said(PLAIN, (t) => t.includes('只有超级管理员或上级单位所在群的党务管理员'), 'the refusal');
    expect(await w.started.bot.services.units.unitOf({ platform: 'dingtalk', chatId: PLAIN })).toBeUndefined();
    // The 工委's chat owner (platform owner of GROUP) may.
    await w.say(SECRETARY, '本群 第二党支部 上级 市直机关工委', { chatId: PLAIN });
    await said(PLAIN, (t) => t.startsWith('已登记：本群为「第二党支部」'), 'the registration of the branch');
    // 督查 in the branch: nothing held yet this quarter.
    await w.say(user(3), '督查 本季度', { chatId: PLAIN });
    expect(await said(PLAIN, (t) => t.startsWith('督查 '), 'the compliance report')).toContain('第二党支部（党支部）\n⚠️ 支部党员大会（每季度1次）：应 1 · 已开 0');
    await w.say(user(3), '组织', { chatId: GROUP });
    expect(await said(GROUP, (t) => t.startsWith('组织关系'), 'the tree')).toBe('组织关系（市直机关工委）：\n市直机关工委（工委） ← 本群\n└ 第二党支部（党支部）');
  });
});
