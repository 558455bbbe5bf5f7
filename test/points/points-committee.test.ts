/**
 * 积分 排行 in the committee chat (工委群) of the console's full demo: the average per member of each branch chat it
 * reaches, for its secretary; refused to a committee member who is no secretary.
 */
import { shanghai } from '../handlers/support';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

jest.setTimeout(60000);

const clock = new TestClock(shanghai('2026-11-02T09:00'));
let started: StartedBot;

beforeAll(async () => {
  started = await startBot({ clock: clock.now, env: { SANDBOX_DEMO: 'full', DEFAULT_QUIET_HOURS: 'off' } });
  const branch1 = new SandboxDriver(started, 'branch-1');
  const branch2 = new SandboxDriver(started, 'branch-2');
  // 第一党支部: a report, two of six submit on time (+3 each), four miss it (−2 each): −2 in all, −0.3 a member.
  await branch1.command('u1', '述职 学习心得 截止 11月10日');
  await branch1.command('u2', '已提交 #1');
  await branch1.command('u3', '已提交 #1');
  // 第二党支部: a report, all five submit on time: +15, 3 a member.
  await branch2.command('u21', '述职 学习心得 截止 11月10日');
  for (const id of ['u21', 'u22', 'u23', 'u24', 'u25']) await branch2.command(id, '已提交 #1');
  clock.t = shanghai('2026-11-20T10:00');
});

afterAll(async () => {
  await started?.stop();
});

it('should rank the chats a committee reaches by their average per member, for its secretary only', async () => {
  const committee = new SandboxDriver(started, 'committee');
  expect(await committee.command('u31', '积分排行本月')).toBe(
    ['🏅 市直机关工委 2026年11月各群积分（人均，2 个群）', '1. 第二党支部 人均 3 分（5 人）', '2. 第一党支部 人均 -0.3 分（6 人）', '各群明细：请该群书记在群里发送「积分排行」。'].join('\n'),
  );
  expect(await committee.command('u32', '积分 排行 本月')).toBe('抱歉，只有本群的党务管理员可以查看积分排行。发送「积分」可查看你自己的积分。');
});
