import { CAMPAIGN_REFUSAL } from '../../src/domain/permissions';
import type { Member } from '../../src/domain/types';
import { UNIT_REFUSAL } from '../../src/domain/units';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const ms = (iso: string): number => Date.parse(iso);

/**
 * Six group chats on the console: 市直机关工委 (gw), 市财政局机关党委 (jg), 第一党支部 (b1), 第二党支部 (b2),
 * 第一党小组 (g1) and an ordinary chat (other). Each has an owner (its secretary) and a member; `root` is a superadmin.
 */
const CHATS: { id: string; name: string; owner: string }[] = [
  { id: 'gw', name: '市直机关工委群', owner: 'w1' },
  { id: 'jg', name: '财政局机关党委群', owner: 'j1' },
  { id: 'b1', name: '一支部群', owner: 'a1' },
  { id: 'b2', name: '二支部群', owner: 'c1' },
  { id: 'g1', name: '一小组群', owner: 'g1' },
  { id: 'other', name: '兴趣群', owner: 'o1' },
];
const membersOf = (c: (typeof CHATS)[number]): Member[] => [
  { id: c.owner, name: `书记${c.owner}`, platformRole: 'owner' },
  { id: `${c.id}-m`, name: `党员${c.id}`, platformRole: 'member' },
  { id: 'root', name: '管理员', platformRole: 'member' },
  // The secretaries above are members of the chats below them, as in life.
  ...(['jg', 'b1', 'b2', 'g1', 'other'].includes(c.id) ? [{ id: 'w1', name: '书记w1', platformRole: 'member' as const }] : []),
  ...(['b1', 'b2', 'g1', 'other'].includes(c.id) ? [{ id: 'j1', name: '书记j1', platformRole: 'member' as const }] : []),
  ...(c.id === 'g1' ? [{ id: 'a1', name: '书记a1', platformRole: 'member' as const }] : []),
];

describe('units: 本群 …, 组织 and campaigns down the tree (issue 15)', () => {
  let started: StartedBot;
  const clock = new TestClock(ms('2026-11-27T10:00:00+08:00'));
  const chat = (id: string): SandboxDriver => new SandboxDriver(started, id);
  const say = (id: string, who: string, text: string): Promise<string> => chat(id).command(who, text);

  beforeEach(async () => {
    clock.t = ms('2026-11-27T10:00:00+08:00');
    started = await startBot({ clock: () => clock.now(), env: { BOT_SUPERADMINS: 'root' } });
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    for (const c of CHATS) {
      await sandbox.repo.saveChat({ id: c.id, name: c.name }, membersOf(c));
      await started.bot.services.chats.touch({ platform: 'sandbox', chatId: c.id }, c.name, undefined, 'group');
    }
  });
  afterEach(async () => {
    await started.stop();
  });

  /** 工委 by the superadmin, 机关党委 by the 工委's secretary, 第一党支部 by the 机关党委's secretary (typed with Chinese punctuation). */
  async function buildTree(): Promise<void> {
    expect(await say('gw', 'root', '本群 市直机关工委')).toBe('已登记：本群为「市直机关工委」（工委）。发送「组织」查看上下级。');
    expect(await say('jg', 'w1', '本群：市财政局机关党委，上级：市直机关工委')).toBe(
      '已登记：本群为「市财政局机关党委」（机关党委，上级「市直机关工委」）。发送「组织」查看上下级。',
    );
    expect(await say('b1', 'j1', '本群第一党支部，上级：市财政局机关党委')).toBe('已登记：本群为「第一党支部」（党支部，上级「市财政局机关党委」）。发送「组织」查看上下级。');
    expect(await say('b2', 'j1', '本群 第二党支部 级别 支部 上级 市财政局机关党委')).toContain('已登记：本群为「第二党支部」');
    expect(await say('g1', 'a1', '本群：第一党小组，上级：第一党支部')).toContain('已登记：本群为「第一党小组」（党小组，上级「第一党支部」）');
  }

  it('should register units by who may, infer levels, and show the tree with 组织', async () => {
    await buildTree();
    expect(await say('b1', 'b1-m', '组织')).toBe(
      ['组织关系（第一党支部）：', '市直机关工委（工委）', '└ 市财政局机关党委（机关党委）', '　└ 第一党支部（党支部） ← 本群', '　　└ 第一党小组（党小组）'].join('\n'),
    );
    expect(await say('jg', 'jg-m', '组织')).toBe(
      ['组织关系（市财政局机关党委）：', '市直机关工委（工委）', '└ 市财政局机关党委（机关党委） ← 本群', '　├ 第一党支部（党支部）', '　└ 第二党支部（党支部）'].join('\n'),
    );
    expect(await say('other', 'o1', '组织')).toBe(UNIT_REFUSAL.notUnit);
    // The same again changes nothing; the history says who did what.
    expect(await say('b1', 'j1', '本群 第一党支部 上级 市财政局机关党委')).toBe('本群已经是「第一党支部」（党支部，上级「市财政局机关党委」），没有变化。');
    const history = await started.bot.services.units.history();
    expect(history.map((h) => h.by)).toEqual(['管理员（root）', '书记w1（w1）', '书记j1（j1）', '书记j1（j1）', '书记a1（a1）']);
    expect(history[2]?.what).toBe('登记sandbox:b1为「第一党支部」（党支部，上级「市财政局机关党委」）');
    // A rename: the unit's children follow it.
    expect(await say('b1', 'j1', '本群 机关第一党支部 上级 市财政局机关党委')).toContain('已登记：本群为「机关第一党支部」');
    expect(await say('g1', 'g1-m', '组织')).toContain('　└ 机关第一党支部（党支部）\n　　└ 第一党小组（党小组） ← 本群');
  });

  it('should refuse, storing nothing, whoever may not and whatever is not a tree', async () => {
    await buildTree();
    const before = await started.bot.services.units.all();
    // Not the superadmin: a unit without a parent.
    expect(await say('other', 'o1', '本群 市直机关第二工委')).toBe(UNIT_REFUSAL.top);
    // The chat's own owner is no secretary of the parent's chat.
    expect(await say('other', 'o1', '本群 第三党支部 上级 市财政局机关党委')).toBe(UNIT_REFUSAL.who);
    expect(await say('other', 'other-m', '本群：第三党支部，上级：市财政局机关党委')).toBe(UNIT_REFUSAL.who);
    // A level that is not one, a name whose level cannot be read, a parent not above, a missing parent, a name taken.
    expect(await say('other', 'root', '本群 第三党支部 级别 党组 上级 市财政局机关党委')).toBe(UNIT_REFUSAL.badLevel('党组'));
    expect(await say('other', 'root', '本群 财务科 上级 市财政局机关党委')).toBe(UNIT_REFUSAL.noLevel('财务科'));
    expect(await say('other', 'root', '本群 第三党支部 级别 机关党委 上级 第一党支部')).toBe(
      '上级的级别须高于下级：「第一党支部」是党支部，不能做机关党委「第三党支部」的上级（级别从高到低：工委、机关党委、党总支、党支部、党小组）。',
    );
    expect(await say('other', 'root', '本群 第三党支部 上级 市税务局机关党委')).toBe('找不到「第三党支部」的上级「市税务局机关党委」：请先登记上级单位，或检查名称。');
    expect(await say('other', 'root', '本群 第一党支部 上级 市财政局机关党委')).toBe(UNIT_REFUSAL.taken('第一党支部'));
    // Moving 市财政局机关党委 under its own 党支部 would make a cycle.
    expect(await say('jg', 'root', '本群 市财政局机关党委 级别 党小组 上级 第一党支部')).toBe('单位关系出现循环：「第一党支部」经上级又回到了自己。');
    expect(await started.bot.services.units.all()).toEqual(before);
    expect(await say('other', 'o1', '组织')).toBe(UNIT_REFUSAL.notUnit);
  });

  it('should answer 本群 <名称> without 上级 with a card of units to choose from, and register on a tap by who may', async () => {
    await buildTree();
    const driver = chat('other');
    const id = await driver.say('j1', '@落实 本群：第三党支部');
    const card = await eventually(async () => (await driver.messages()).find((m) => m.replyTo === id && m.kind === 'card'), 5000, 'the choice card');
    const labels = card.card?.buttons.map((b) => b.label);
    expect(labels).toEqual(['市直机关工委（工委）', '市财政局机关党委（机关党委）']);
    if (!card.card) throw new Error('no card');
    const withCard = { ...card, card: card.card };
    // A member who runs neither parent's chat is refused; nothing stored, the choice still open.
    const refused = await driver.clickButton(withCard, 'o1', '市财政局机关党委（机关党委）');
    expect(refused.body.toast).toEqual({ kind: 'warning', text: UNIT_REFUSAL.who });
    expect(await say('other', 'o1', '组织')).toBe(UNIT_REFUSAL.notUnit);
    const chosen = await driver.clickButton(withCard, 'j1', '市财政局机关党委（机关党委）');
    expect(chosen.body.toast).toEqual({ kind: 'success', text: '已登记：本群为「第三党支部」（党支部），上级「市财政局机关党委」。' });
    expect(chosen.body.card?.buttons).toEqual([]);
    const again = await driver.clickButton(withCard, 'j1', '市直机关工委（工委）');
    expect(again.body.toast.kind).toBe('warning');
    expect((await started.bot.services.units.unitOf({ platform: 'sandbox', chatId: 'other' }))?.parent).toBe('市财政局机关党委');
  });

  it('should run a campaign over the children (下级), all descendants (全部下级) or named units, only by the unit’s secretaries', async () => {
    await buildTree();
    const jg = chat('jg');
    expect(await jg.command('j1', '发起 述职 年度述职 截止 12月20日 范围 下级')).toBe(
      '已在 2 个群发起「年度述职」（截止 12月20日（周日）18:00），本群将显示各群进度。',
    );
    expect((await chat('b1').card(1)).card.header.title).toContain('年度述职');
    expect((await chat('b2').card(1)).card.header.title).toContain('年度述职');
    expect(await chat('g1').cardsOf(1)).toEqual([]);
    expect(await jg.command('j1', '发起 述职 半年述职 截止 12月20日 范围 全部下级')).toContain('已在 3 个群发起');
    expect((await chat('g1').card(1)).card.header.title).toContain('半年述职');
    expect(await jg.command('j1', '发起 报告 学习心得 截止 12月20日 范围 第一党小组')).toContain('已在 1 个群发起');
    // Not a secretary of the unit; a unit above; everything (范围 全部 is a 工委群's); from a chat that is no unit.
    expect(await jg.command('jg-m', '发起 述职 年度述职 截止 12月20日 范围 下级')).toBe(UNIT_REFUSAL.notSecretary);
    expect(await jg.command('j1', '发起 述职 年度述职 截止 12月20日 范围 市直机关工委')).toBe(UNIT_REFUSAL.notBelow(['市直机关工委']));
    expect(await jg.command('j1', '发起 述职 年度述职 截止 12月20日 范围 全部')).toBe(CAMPAIGN_REFUSAL.notCommittee);
    expect(await chat('other').command('o1', '发起 述职 年度述职 截止 12月20日 范围 下级')).toBe(CAMPAIGN_REFUSAL.notCommittee);
    // A unit with no children bound to chats.
    expect(await chat('g1').command('g1', '发起 述职 年度述职 截止 12月20日 范围 下级')).toBe(UNIT_REFUSAL.noChildren(false));
    expect(await chat('g1').cardsOf(3)).toEqual([]);
    // A unit below that has no chat yet.
    const all = await started.bot.services.units.all();
    await started.bot.services.units.replaceAll([...all, { name: '第三党支部', level: '党支部', parent: '市财政局机关党委' }], 'test', clock.now());
    expect(await jg.command('j1', '发起 述职 年度述职 截止 12月20日 范围 第三党支部')).toBe(UNIT_REFUSAL.unbound(['第三党支部']));
    // The superadmin reaches the units by name from anywhere.
    expect(await chat('gw').command('root', '发起 述职 年度总结 截止 12月20日 范围 第一党支部、第二党支部')).toContain('已在 2 个群发起');
  });
});
