/**
 * The closing of a 述职评议 (its results to the organizer and the secretaries at the deadline) is a delayed card-queue
 * job: a restore (`luoshi import`, the queues are not exported) or a Redis that lost its queue keys loses it. The
 * next start brings it back from the chats' indexes of open ratings (src/app/replan-ratings.ts), once, and none for a
 * rating already closed (issue 16 item 4). Runs on the cluster suite too (jest.cluster.config.js: test/rating).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duty } from '../../src/domain/types';
import { luoshi } from '../backup/support';
import { ask, dutyNo, shanghai } from '../handlers/support';
import { eventually, removePrefix, startBot, TestClock, uniquePrefix, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';
import { ratingCardOf } from './support';

jest.setTimeout(120_000);

const ENV = { DEFAULT_QUIET_HOURS: 'off' };
/** #1's rating closes on Monday 30 November 2026 at 18:00 (Beijing time); #2's closed on Friday at 17:00. */
const OPEN_UNTIL = shanghai('2026-11-30T18:00');
const CLOSED_AT = shanghai('2026-11-27T17:00');

const closeJobId = (duty: Duty, dueAt: number): string => `rating-close-${duty.id}-${dueAt}`;

/** Ids of the rating jobs still to run in the card queue, sorted. */
async function pendingRatingJobs(started: StartedBot): Promise<string[]> {
  const jobs = await started.bot.queues.cards.getJobs(['delayed', 'waiting', 'prioritized']);
  return jobs.flatMap((j) => (j.name === 'rating' ? [j.id ?? ''] : [])).sort();
}

/** The results texts the console chat holds for duty `duty`. */
async function resultsOf(started: StartedBot, duty: Duty): Promise<string[]> {
  const texts = (await new SandboxDriver(started).messages()).filter((m) => m.kind === 'text').map((m) => plain(m.text));
  return texts.filter((t) => t.includes(`#${duty.number}「${duty.title}」述职评议结果`));
}

/**
 * Two 述职 of the console's chat rated the way users do: #1's rating opened by command until Monday 18:00 with one
 * member's tap, #2's opened until Friday 17:00 and closed by its own job (run on the bot's clock). Leaves `clock` at
 * Friday 17:00.
 */
async function twoRatings(started: StartedBot, clock: TestClock): Promise<{ open: Duty; closed: Duty }> {
  const driver = new SandboxDriver(started);
  clock.t = shanghai('2026-11-27T10:00');
  await ask(driver, 'u1', '述职 2026年度述职 截止 今天下午3点');
  await ask(driver, 'u1', '述职 季度述职 截止 今天下午3点');
  clock.t = shanghai('2026-11-27T16:00');
  expect((await ask(driver, 'u1', '评议 #1 截止 下周一18点')).reply).toContain('已发起 #1「2026年度述职」述职评议');
  expect((await ask(driver, 'u1', '评议 #2 截止 今天下午5点')).reply).toContain('已发起 #2「季度述职」述职评议');
  const card = await ratingCardOf(driver, 1);
  const good = card.card.buttons.find((b) => b.label === '好');
  expect((await driver.click(card.id, 'u3', good?.value ?? {})).body.toast.kind).toBe('success');
  await ratingCardOf(driver, 2);
  const [open, closed] = [await dutyNo(started, 1), await dutyNo(started, 2)];
  expect(await pendingRatingJobs(started)).toEqual([closeJobId(open, OPEN_UNTIL), closeJobId(closed, CLOSED_AT)].sort());

  clock.t = CLOSED_AT;
  await (await started.bot.queues.cards.getJob(closeJobId(closed, CLOSED_AT)))?.promote();
  await eventually(async () => (await resultsOf(started, closed)).length > 0, 8000, "#2's results");
  await eventually(async () => (await started.bot.queues.cards.getJobState(closeJobId(closed, CLOSED_AT))) === 'completed', 8000, "#2's closing done");
  expect(await pendingRatingJobs(started)).toEqual([closeJobId(open, OPEN_UNTIL)]);
  return { open, closed };
}

describe('the closing of a 述职评议 after a restore or a lost queue', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'luoshi-ratings-'));
  const prefixes: string[] = [];
  const running: StartedBot[] = [];
  const start = async (clock: TestClock, prefix: string): Promise<StartedBot> => {
    const started = await startBot({ clock: clock.now, env: { ...ENV, REDIS_KEY_PREFIX: prefix } });
    running.push(started);
    return started;
  };
  const fresh = (): string => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    return prefix;
  };

  afterEach(async () => {
    for (const started of running.splice(0)) await started.stop();
    for (const prefix of prefixes.splice(0)) await removePrefix(prefix);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A first bot with the two ratings, stopped; then its records exported to a file. */
  async function exported(clock: TestClock): Promise<{ file: string; open: Duty; closed: Duty }> {
    const source = await start(clock, fresh());
    const { open, closed } = await twoRatings(source, clock);
    await source.bot.stop();
    const file = path.join(dir, `${source.config.REDIS_KEY_PREFIX}.jsonl`);
    expect((await luoshi(['export', '--out', file, '--prefix', source.config.REDIS_KEY_PREFIX])).code).toBe(0);
    return { file, open, closed };
  }

  /** The restored bot at Monday 12:00: one closing pending, #1's, due at 18:00; it sends #1's results once. */
  async function expectOneClosingThenResults(restored: StartedBot, clock: TestClock, open: Duty, closed: Duty): Promise<void> {
    await restored.bot.reconciled;
    const id = closeJobId(open, OPEN_UNTIL);
    expect(await pendingRatingJobs(restored)).toEqual([id]);
    // Nothing for the closed rating, not even a job that ran at once (its deadline is past).
    expect((await restored.bot.queues.cards.getJobs(['active', 'completed', 'failed'])).filter((j) => j.name === 'rating')).toEqual([]);
    const job = await restored.bot.queues.cards.getJob(id);
    expect(job?.data).toEqual({ type: 'rating', dutyId: open.id, moment: 'close', dueAt: OPEN_UNTIL });
    expect(job?.delay).toBe(OPEN_UNTIL - clock.t);
    // Another pass (another start) adds nothing.
    await restored.bot.reconcile();
    expect(await pendingRatingJobs(restored)).toEqual([id]);

    clock.t = OPEN_UNTIL;
    await job?.promote();
    const results = await eventually(async () => ((await resultsOf(restored, open)).length > 0 ? resultsOf(restored, open) : undefined), 8000, "#1's results");
    expect(results).toHaveLength(1);
    expect(results?.[0]).toContain('已评议 1 / 应评议 6 人');
    expect(results?.[0]).toContain('好 1 · 较好 0 · 一般 0 · 差 0');
    await eventually(async () => (await restored.bot.queues.cards.getJobState(id)) === 'completed', 8000, "#1's closing done");
    expect(await resultsOf(restored, closed)).toHaveLength(1);
    expect(await pendingRatingJobs(restored)).toEqual([]);
    // Closed: the next start plans nothing for it either.
    await restored.bot.reconcile();
    expect(await pendingRatingJobs(restored)).toEqual([]);
    expect((await ratingCardOf(new SandboxDriver(restored), 1, (c) => c.buttons.length === 0)).card.banner).toBe('评议已结束');
  }

  it('should plan the closing of the rating still open exactly once after luoshi import and the start, none for the closed one, and send its results once', async () => {
    const clock = new TestClock(shanghai('2026-11-27T10:00'));
    const { file, open, closed } = await exported(clock);
    const target = fresh();
    const imported = await luoshi(['import', file, '--prefix', target]);
    expect(imported.code).toBe(0);

    clock.t = shanghai('2026-11-30T12:00');
    await expectOneClosingThenResults(await start(clock, target), clock, open, closed);
  });

  it('should find after the import of a backup taken before the index of open ratings existed the rating still open, and not the closed one', async () => {
    const clock = new TestClock(shanghai('2026-11-27T10:00'));
    const { file, open, closed } = await exported(clock);
    // A backup of an earlier version: neither the chats' indexes of open ratings nor the mark of their first pass.
    const [head = '', ...lines] = readFileSync(file, 'utf8').trim().split('\n');
    const earlier = lines.filter((line) => !/^\{"k":"(chat:[^"]+:ratings|ratings:indexed)"/.test(line));
    expect(lines.length - earlier.length).toBe(2);
    const header = JSON.parse(head) as { counts: { keys: number } };
    header.counts.keys = earlier.length;
    const old = path.join(dir, 'earlier.jsonl');
    writeFileSync(old, `${[JSON.stringify(header), ...earlier].join('\n')}\n`);
    const target = fresh();
    expect((await luoshi(['import', old, '--prefix', target])).code).toBe(0);

    clock.t = shanghai('2026-11-30T12:00');
    await expectOneClosingThenResults(await start(clock, target), clock, open, closed);
  });

  it('should bring back after the queue lost its jobs the closing of the rating still open, run at once when its deadline has passed, and nothing for the closed one', async () => {
    const clock = new TestClock(shanghai('2026-11-27T10:00'));
    const prefix = fresh();
    const first = await start(clock, prefix);
    const { open, closed } = await twoRatings(first, clock);
    // Down, and every job of the card queue lost (the records stay).
    await first.bot.stopWorkers();
    await first.bot.queues.cards.obliterate({ force: true });
    await first.bot.stop();

    // Monday 19:00: #1's deadline (18:00) passed while the bot was down.
    clock.t = shanghai('2026-11-30T19:00');
    const second = await start(clock, prefix);
    await second.bot.reconciled;
    const id = closeJobId(open, OPEN_UNTIL);
    await eventually(async () => (await second.bot.queues.cards.getJobState(id)) === 'completed', 8000, "#1's closing run at once");
    // The closing queues the results as a text of their own (the console has no one-to-one sends): sent by the next job.
    const results = await eventually(async () => ((await resultsOf(second, open)).length > 0 ? resultsOf(second, open) : undefined), 8000, "#1's results");
    expect(results).toHaveLength(1);
    expect(results[0]).toContain('已评议 1 / 应评议 6 人');
    expect(await resultsOf(second, closed)).toHaveLength(1);
    const jobs = await second.bot.queues.cards.getJobs(['delayed', 'waiting', 'prioritized', 'active', 'completed', 'failed']);
    expect(jobs.filter((j) => j.name === 'rating').map((j) => j.id)).toEqual([id]);
  });
});
