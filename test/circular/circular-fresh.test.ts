/**
 * 通报 本年 on the console after a change to a duty that is over: a secretary's 补签 and a late report show at once
 * (the duty summaries behind 通报, src/app/circular-figures.ts, are tied to the duty's revision and never stale).
 */
import type { CardModel } from '../../src/domain/card-model';
import { eventually, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { circularWorld, holdNovember } from './circular-world';

const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

describe('通报 after a change', () => {
  let started: StartedBot;
  const clock = new TestClock(at('2026-11-03T10:00'));

  /** The row of `unit` in the card answering 通报 本年 in the 机关党委's chat. */
  const rowOf = async (unit: string): Promise<string> => {
    const driver = new SandboxDriver(started, 'jg');
    const id = await driver.say('j1', '@落实 通报 本年');
    const reply = await eventually(async () => (await driver.messages()).find((m) => m.replyTo === id && m.kind === 'card'), 5000, 'the 通报 card');
    const card: CardModel | undefined = reply.card;
    const rows = (card?.groups ?? []).flatMap((g) => g.entries.map((e) => `${e.name}：${e.note ?? ''}`));
    const row = rows.find((r) => r.includes(`${unit}：`));
    if (!row) throw new Error(`no row of ${unit} in ${rows.join(' | ')}`);
    return row;
  };
  const points = (row: string): number => Number(/人均积分 (-?[\d.]+)/.exec(row)?.[1]);

  beforeEach(async () => {
    clock.t = at('2026-11-03T10:00');
    started = await circularWorld(clock);
  });
  afterEach(async () => {
    await started.stop();
  });

  it('should show a 补签 and a late report in the next 通报 本年', async () => {
    await holdNovember(started, clock);
    const b2 = new SandboxDriver(started, 'b2');
    expect(await b2.command('c1', '述职 月度思想汇报 截止 11月10日')).toContain('#1');
    await b2.command('b2-m', '已提交 #1');
    clock.t = at('2026-12-03T10:00');
    // Twice: the second 通报 reads the summaries the first one stored.
    const before = await rowOf('第一党支部');
    expect(await rowOf('第一党支部')).toBe(before);
    expect(before).toContain('出勤率 50%');
    expect(await rowOf('第二党支部')).toContain('报告 按时1·逾期0·未交1');

    // The secretary records their own presence at #1 (补签), and 第二党支部's secretary submits the report late.
    expect(await new SandboxDriver(started, 'b1').command('a1', '补签 #1 @书记a1')).toContain('已补签');
    const after = await rowOf('第一党支部');
    expect(after).toContain('出勤率 75%');
    expect(points(after)).toBeGreaterThan(points(before));
    expect(await b2.command('c1', '已提交 #1')).toContain('#1');
    expect(await rowOf('第二党支部')).toContain('报告 按时1·逾期1·未交0');
  }, 60_000);
});
