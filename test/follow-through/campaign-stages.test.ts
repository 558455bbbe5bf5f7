import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

/**
 * A campaign over more chats than one creation stage takes (src/app/in-stages.ts: 100), started from the console as a
 * secretary types it (full-width digits, a full-width comma in the title): every chat gets its report #1 and its
 * card, and the campaign's summary names every chat.
 */
const CHATS = 120;
const branch = (i: number): { id: string; name: string } => ({ id: `stage-branch-${i}`, name: `第${i + 1}党支部` });

describe('a campaign over 120 chats, from the console', () => {
  let started: StartedBot;
  const clock = new TestClock(Date.parse('2026-11-27T10:00:00+08:00'));

  beforeEach(async () => {
    started = await startBot({ clock: () => clock.now(), env: { COMMITTEE_CHATS: 'sandbox:committee' } });
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    await sandbox.repo.saveChat({ id: 'committee', name: '机关工委' }, [{ id: 'w1', name: '周书记', platformRole: 'owner' }]);
    await started.bot.services.chats.touch({ platform: 'sandbox', chatId: 'committee' }, '机关工委', undefined, 'group');
    for (let i = 0; i < CHATS; i++) {
      await sandbox.repo.saveChat(branch(i), [{ id: `s${i}a`, name: `成员${i}甲` }, { id: `s${i}b`, name: `成员${i}乙` }]);
      await started.bot.services.chats.touch({ platform: 'sandbox', chatId: branch(i).id }, branch(i).name, undefined, 'group');
    }
  });
  afterEach(async () => {
    await started.stop();
  });

  it('should give every chat its report and card, and the summary every chat', async () => {
    const committee = new SandboxDriver(started, 'committee');
    const reply = await committee.command('w1', '发起 述职 年度述职，第二批 截止 １２月２０日 范围 全部');
    expect(reply).toBe(`已在 ${CHATS} 个群发起「年度述职，第二批」（截止 12月20日（周日）18:00），本群将显示各群进度。`);
    const { duties } = started.bot.services;
    for (let i = 0; i < CHATS; i++) {
      const duty = await duties.getByNumber({ platform: 'sandbox', chatId: branch(i).id }, 1);
      expect([branch(i).name, duty?.title, duty?.state]).toEqual([branch(i).name, '年度述职，第二批', 'scheduled']);
    }
    // Every chat's card posted (the announcement jobs of both stages), and the summary names every chat.
    await eventually(async () => {
      const posted = await Promise.all(Array.from({ length: CHATS }, async (_, i) => (await new SandboxDriver(started, branch(i).id).messages()).some((m) => m.kind === 'card')));
      return posted.every(Boolean);
    }, 20000, 'every chat to have its card');
    const summary = await eventually(async () => {
      const cards = (await committee.messages()).filter((m) => m.kind === 'card');
      const entries = cards[cards.length - 1]?.card?.groups.find((g) => g.label === '各群进度')?.entries ?? [];
      return entries.length === CHATS && entries;
    }, 20000, 'the summary to list every chat');
    expect(summary.map((e) => e.name).sort()).toEqual(Array.from({ length: CHATS }, (_, i) => branch(i).name).sort());
  });
});
