/** The units world of the 通报 tests: five group chats, four of them units, and a November held in 第一党支部. */
import type { Member } from '../../src/domain/types';
import { startBot, type StartedBot, type TestClock } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

/** 市直机关工委 (gw) › 市财政局机关党委 (jg) › 第一党支部 (b1), 第二党支部 (b2); an ordinary chat (other). */
const CHATS = [
  { id: 'gw', name: '市直机关工委群', owner: 'w1' },
  { id: 'jg', name: '财政局机关党委群', owner: 'j1' },
  { id: 'b1', name: '一支部群', owner: 'a1' },
  { id: 'b2', name: '二支部群', owner: 'c1' },
  { id: 'other', name: '兴趣群', owner: 'o1' },
] as const;
const ORG = `units:
  - name: 市直机关工委
    chat: sandbox:gw
  - name: 市财政局机关党委
    parent: 市直机关工委
    chat: sandbox:jg
  - name: 第一党支部
    parent: 市财政局机关党委
    chat: sandbox:b1
  - name: 第二党支部
    parent: 市财政局机关党委
    chat: sandbox:b2
`;

export async function circularWorld(clock: TestClock): Promise<StartedBot> {
  const started = await startBot({ clock: () => clock.now(), env: { BOT_SUPERADMINS: 'root' } });
  const sandbox = started.bot.sandbox;
  if (!sandbox) throw new Error('sandbox is off');
  for (const c of CHATS) {
    const members: Member[] = [
      { id: c.owner, name: `书记${c.owner}`, platformRole: 'owner' },
      { id: `${c.id}-m`, name: `党员${c.id}`, platformRole: 'member' },
    ];
    await sandbox.repo.saveChat({ id: c.id, name: c.name }, members);
    await started.bot.services.chats.touch({ platform: 'sandbox', chatId: c.id }, c.name, undefined, 'group');
  }
  await started.bot.services.units.importOrgFile(ORG, 'test', clock.now());
  return started;
}

/** In 第一党支部, on Tuesday 3 November 2026: a 支委会 and a 主题党日, both signed in by its member, with minutes. */
export async function holdNovember(started: StartedBot, clock: TestClock): Promise<void> {
  const b1 = new SandboxDriver(started, 'b1');
  expect(await b1.command('a1', '会议 支部委员会 今天下午3点')).toContain('#1');
  expect(await b1.command('a1', '会议 主题党日 今天下午4点')).toContain('#2');
  clock.t = at('2026-11-03T15:10');
  expect(await b1.command('b1-m', '签到 #1')).toContain('已签到 #1');
  clock.t = at('2026-11-03T16:10');
  expect(await b1.command('b1-m', '签到 #2')).toContain('已签到 #2');
  clock.t = at('2026-11-03T18:00');
  await b1.command('a1', '纪要 #1 传达学习了上级精神。');
  await b1.command('a1', '纪要 #2 参观了党史馆。');
}

