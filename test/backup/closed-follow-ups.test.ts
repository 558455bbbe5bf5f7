/**
 * A restore (issue 16 item 4) brings back the follow-ups of meetings already closed: `luoshi export` → `luoshi import`
 * into another prefix (the queues are not exported) → a bot started there plans the minutes reminders still ahead of
 * a closed meeting, once, and none for a cancelled one or one whose minutes were filed (src/app/replan-follow-ups.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shanghai } from '../handlers/support';
import { closedMeetings, pendingIds } from '../helpers/closed-meetings';
import { eventually, removePrefix, startBot, TestClock, uniquePrefix, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { luoshi } from './support';

jest.setTimeout(120_000);

describe('luoshi import of closed meetings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'luoshi-closed-'));
  const target = uniquePrefix();
  let source: StartedBot | undefined;
  let restored: StartedBot | undefined;

  afterAll(async () => {
    await restored?.stop();
    if (source) await removePrefix(source.config.REDIS_KEY_PREFIX);
    await removePrefix(target);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should plan the minutes reminder still due of a closed meeting exactly once after the bot starts, and none for a cancelled one or one with minutes', async () => {
    const clock = new TestClock(shanghai('2026-11-30T10:00'));
    source = await startBot({ clock: clock.now, env: { DEFAULT_QUIET_HOURS: 'off' } });
    const { closed, cancelled, filed } = await closedMeetings(source, clock);
    const points = source.bot.services.minutesPlanner.points(closed);
    await source.bot.stop();

    const file = path.join(dir, 'backup.jsonl');
    expect((await luoshi(['export', '--out', file, '--prefix', source.config.REDIS_KEY_PREFIX])).code).toBe(0);
    const imported = await luoshi(['import', file, '--prefix', target]);
    expect(imported.code).toBe(0);
    expect(imported.json).toMatchObject({ prefix: target, expired: 0 });

    // Monday 7 December, 12:00: three of #1's four reminders (3, 4 and 7 December at 09:00) are past, the one to
    // the secretaries (8 December, the 6th working day after the meeting) is ahead; the windows ended on 30 November.
    clock.t = shanghai('2026-12-07T12:00');
    restored = await startBot({ clock: clock.now, env: { DEFAULT_QUIET_HOURS: 'off', REDIS_KEY_PREFIX: target } });
    const started = restored;
    await started.bot.reconciled;
    const last = points[3];
    expect(last).toMatchObject({ step: 4, to: 'secretaries', dueAt: shanghai('2026-12-08T09:00') });
    expect(await pendingIds(started, 'minutes')).toEqual([last?.jobId]);
    const job = await started.bot.queues.minutes.getJob(last?.jobId ?? '');
    expect(job?.data).toEqual({ dutyId: closed.id, step: 4, dueAt: shanghai('2026-12-08T09:00') });
    expect(job?.delay).toBe(shanghai('2026-12-08T09:00') - clock.t);
    expect(await pendingIds(started, 'signin')).toEqual([]);
    const jobs = await started.bot.queues.minutes.getJobs(['delayed', 'waiting', 'prioritized', 'active', 'completed']);
    expect(jobs.filter((j) => j.data.dutyId === cancelled.id || j.data.dutyId === filed.id)).toEqual([]);

    // Another start's pass adds nothing: still one job.
    await started.bot.reconcile();
    expect(await pendingIds(started, 'minutes')).toEqual([last?.jobId]);

    // When it comes due, the organizer and the secretaries are told, once.
    clock.t = shanghai('2026-12-08T09:00');
    await job?.promote();
    const driver = new SandboxDriver(started);
    const told = async () => (await driver.messages()).filter((m) => m.kind === 'text' && JSON.stringify(m.text).includes('结束已多日仍没有纪要'));
    const sent = await eventually(async () => (await told()).length > 0 && told(), 8000, 'the reminder to the secretaries');
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.text)).toContain(`#${closed.number}「支部委员会」`);
  });
});
