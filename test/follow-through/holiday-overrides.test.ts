import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const ms = (iso: string): number => Date.parse(iso);

describe('holiday override files', () => {
  let started: StartedBot;
  let dir: string;
  const clock = new TestClock(ms('2026-12-28T10:00:00+08:00'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'holidays-'));
    started = await startBot({ clock: () => clock.now(), env: { HOLIDAY_OVERRIDE_DIR: dir } });
  });
  afterEach(async () => {
    await started.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should re-plan pending reminders when an operator adds a year', async () => {
    const driver = new SandboxDriver(started);
    // Wednesday 2027-01-06 15:00, reminded 2 days before: Monday 2027-01-04, a working day by the fallback.
    await driver.command('u1', '会议 支部委员会 2027年1月6日下午3点 提醒 提前2天');
    const ids = async (): Promise<string[]> => (await started.bot.queues.reminders.getDelayed()).map((j) => j.id ?? '').filter((id) => id.startsWith('rem-'));
    const duty = await started.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: 'branch-1' }, 1);
    expect(await ids()).toEqual([`rem-${duty?.id}-2880-${ms('2027-01-04T15:00:00+08:00')}`]);
    expect(started.bot.services.calendar.isGuessed(2027)).toBe(true);

    // The published arrangement makes Jan 4 a day off (a made-up example): the reminder moves to Jan 5 08:00.
    writeFileSync(join(dir, '2027.json'), JSON.stringify({ year: 2027, daysOff: ['2027-01-01', '2027-01-04'], workdays: [], source: '测试' }));
    expect(await started.bot.holidayWatch.check()).toBe(1);
    expect(started.bot.services.calendar.isGuessed(2027)).toBe(false);
    expect(await ids()).toEqual([`rem-${duty?.id}-2880-${ms('2027-01-05T08:00:00+08:00')}`]);
    expect(await started.bot.holidayWatch.check()).toBe(0);

    // An invalid file is refused and changes nothing.
    writeFileSync(join(dir, '2028.json'), '{"year": 2028, "daysOff": ["not a date"]}');
    expect(await started.bot.holidayWatch.check()).toBe(0);
    expect(await ids()).toEqual([`rem-${duty?.id}-2880-${ms('2027-01-05T08:00:00+08:00')}`]);
  });
});
