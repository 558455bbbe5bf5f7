/**
 * `npm run bench:schedule`: plan 100,000 reminders through the bot's own planning path, against BullMQ addBulk.
 *
 * Bot path: DutyService.create, as a 会议 command does it: the chat's roster read from its cache (pre-seeded, fresh,
 * so no platform call: no platform is even enabled in this Bot, any call would throw), the duty written in one
 * transaction, ReminderPlanner.plan (its plan context read, one addBulk of the duty's jobs with deterministic ids)
 * and Outbox.announce (the announcement card job on the card queue). Meetings with the default offsets (1 day and 1
 * hour before) plan 3 reminder-queue jobs each: 2 reminders and the escalation at the time. 32 creations in
 * flight at once, across 1,000 chats with rosters of BENCH_SCHEDULE_MEMBERS (default 30) members. The Bot's
 * workers never run, so every job stays pending.
 *
 * Baseline: `Queue.addBulk` of bare delayed jobs (name, a small data object, a delay) in chunks of 1,000, on a queue
 * of its own.
 *
 * Both run in alternating segments (baseline, bot, baseline, bot, …) so a busy machine weighs on both alike; the
 * rate is the median over segments. Memory: Redis `INFO memory` used_memory before and after each segment, summed
 * over the bot's segments and divided by the reminder jobs planned; the figure therefore includes everything the
 * planning path writes (the reminder jobs, the duties and their indexes, and the announcement jobs), not the
 * pre-seeded rosters. A breakdown by key family (MEMORY USAGE of every key under each prefix) follows.
 * Targets: bot rate ≥ 50% of the baseline's; ≤ 1.5 KB (1,536 bytes) of used_memory per pending reminder.
 */
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Bot } from '../src/bot';
import { pointsToPlan } from '../src/domain/reminder-plan';
import { bullPrefix } from '../src/queue/queues';
import { whenReady } from '../src/store/redis';
import {
  benchConfig,
  benchPrefix,
  emit,
  fmt,
  machineInfo,
  median,
  pool,
  prefixMemory,
  printMachine,
  privateRedis,
  REDIS_URL,
  redisCpu,
  removePrefix,
  round,
  silentLog,
  usedMemory,
  watchdog,
} from './lib/common';

const TOTAL = Number(process.env.BENCH_SCHEDULE_TOTAL ?? 100_000);
const SEGMENTS = 4;
const CHATS = 1000;
const MEMBERS = Number(process.env.BENCH_SCHEDULE_MEMBERS ?? 30);
const IN_FLIGHT = 32;
const CHUNK = 1000;
const JOBS_PER_DUTY = 3;
const TARGET_RATIO = 0.5;
const TARGET_BYTES = 1536;

const chatIdOf = (i: number): string => `oc_sched${String(i).padStart(23, '0')}`;
const memberOf = (i: number): string => `ou_schedmember${String(i).padStart(18, '0')}`;

/**
 * Bench-local experiments (BENCH_SCHEDULE_FIXES, comma list), see bench/README.md:
 * - `listpack`: run against a private redis-server (127.0.0.1, free port) with `hash-max-listpack-value 512`, so
 *   BullMQ's job hashes (their `opts` field is ~200 bytes of JSON, over the default 64) stay listpack-encoded;
 * - `autopipe`: ioredis `enableAutoPipelining` on the store's connection;
 * - `slimopts`: the queues' default job options without removeOnComplete / removeOnFail (they would move to the
 *   Worker options, which BullMQ applies to jobs that carry none), so every job's stored `opts` is ~75 bytes shorter;
 * - `batch`:    ReminderPlanner.plan and Outbox.announce collect the jobs of every call made in the same event-loop
 *   turn and add them with one addBulk per queue (each caller still awaits its own jobs), instead of one addBulk
 *   per duty and one add per announcement.
 */
const FIXES = (process.env.BENCH_SCHEDULE_FIXES ?? '')
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean);
const KNOWN_FIXES = ['listpack', 'autopipe', 'batch', 'slimopts'];
for (const f of FIXES) if (!KNOWN_FIXES.includes(f)) throw new Error(`unknown fix ${f} (${KNOWN_FIXES.join(', ')})`);

/** Collects items added in one event-loop turn and hands them to `flush` together; each `add` resolves when its batch is written. */
function batcher<T>(flush: (items: T[]) => Promise<unknown>): (items: T[]) => Promise<void> {
  let pending: { items: T[]; done: () => void; fail: (e: unknown) => void }[] = [];
  return (items) =>
    new Promise<void>((resolve, reject) => {
      if (pending.length === 0) {
        setImmediate(() => {
          const batch = pending;
          pending = [];
          flush(batch.flatMap((b) => b.items)).then(
            () => batch.forEach((b) => b.done()),
            (e: unknown) => batch.forEach((b) => b.fail(e)),
          );
        });
      }
      pending.push({ items, done: resolve, fail: reject });
    });
}

function applyBatching(bot: Bot): void {
  const { planner, outbox, planContexts } = bot.services;
  const reminders = bot.queues.reminders;
  const cards = bot.queues.cards;
  type Bulk = Parameters<typeof reminders.addBulk>[0];
  const addReminders = batcher<Bulk[number]>((jobs) => reminders.addBulk(jobs));
  // ReminderPlanner.plan, line for line, with the addBulk going through the batcher.
  planner.plan = async (duty, now) => {
    if (duty.state !== 'scheduled') return 0;
    const points = pointsToPlan(duty, now, await planContexts.for(duty.chat));
    if (points.length === 0) return 0;
    await addReminders(points.map((p) => ({ name: p.kind, data: { dutyId: duty.id, offset: p.offset, dueAt: p.dueAt }, opts: { jobId: p.jobId, delay: Math.max(0, p.dueAt - now) } })));
    return points.length;
  };
  type CardBulk = Parameters<typeof cards.addBulk>[0];
  const addCards = batcher<CardBulk[number]>((jobs) => cards.addBulk(jobs));
  outbox.announce = async (dutyId, replyTo) => {
    await addCards([{ name: 'announce', data: { type: 'announce', dutyId, ...(replyTo ? { replyTo } : {}) }, opts: { jobId: `announce-${dutyId}` } }]);
  };
}

let cleanup = async (): Promise<void> => undefined;

async function main(): Promise<void> {
  const own = FIXES.includes('listpack') ? await privateRedis({ 'hash-max-listpack-value': '512' }) : undefined;
  const url = own?.url ?? REDIS_URL;
  const machine = await machineInfo(url);
  printMachine(machine);
  if (FIXES.length > 0) console.log(`EXPERIMENT: ${FIXES.join(', ')}${own ? ` (private redis-server at ${own.url}, hash-max-listpack-value 512)` : ''}`);
  const prefix = benchPrefix('schedule');
  const basePrefix = benchPrefix('schedule-base');
  const redis = new Redis(url);
  const config = benchConfig(prefix, { SANDBOX_ENABLED: 'false', REDIS_URL: url });
  const bot = new Bot({ config, log: silentLog(), workers: false });
  if (FIXES.includes('autopipe')) bot.redis.options.enableAutoPipelining = true;
  if (FIXES.includes('batch')) applyBatching(bot);
  if (FIXES.includes('slimopts')) {
    for (const q of [bot.queues.reminders, bot.queues.cards]) {
      const { removeOnComplete: _c, removeOnFail: _f, ...rest } = q.defaultJobOptions;
      (q as unknown as { jobsOpts: typeof rest }).jobsOpts = rest;
    }
  }
  const baseConnection = new Redis(url, { maxRetriesPerRequest: null });
  const baseQueue = new Queue('bare', { connection: baseConnection, prefix: bullPrefix(basePrefix) });
  cleanup = async () => {
    await baseQueue.close().catch(() => undefined);
    baseConnection.disconnect();
    await bot.stop().catch(() => undefined);
    await removePrefix(prefix, url);
    await removePrefix(basePrefix, url);
    redis.disconnect();
    await own?.stop();
  };
  const dog = watchdog('schedule', 178, cleanup);
  const { chats, dutyService } = bot.services;
  if (bot.services.platforms.names().length > 0) throw new Error('no platform should be enabled');
  // The Bot is not started (no HTTP, no workers): wait for its connections as start() would.
  if (!(await whenReady(bot.redis, 5000))) throw new Error('Redis is not reachable');
  await Promise.all([bot.queues.reminders.waitUntilReady(), bot.queues.cards.waitUntilReady(), baseQueue.waitUntilReady()]);

  const now = Date.now();
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ id: memberOf(i), name: `党员${i + 1}` }));
  await pool(
    Array.from({ length: CHATS }, (_, c) => c),
    16,
    (c) => chats.saveRoster({ platform: 'feishu', chatId: chatIdOf(c) }, members, now, `支部${c}`),
  );
  const duties = Math.ceil(TOTAL / JOBS_PER_DUTY);
  const perSegmentDuties = Math.ceil(duties / SEGMENTS);
  const perSegmentJobs = Math.ceil(TOTAL / SEGMENTS);
  console.log(
    `${fmt(TOTAL)} reminders: ${fmt(duties)} meetings × ${JOBS_PER_DUTY} jobs via DutyService.create (${IN_FLIGHT} in flight, ${CHATS} chats, rosters of ${MEMBERS}),` +
      ` against addBulk of ${fmt(TOTAL)} bare delayed jobs (chunks of ${CHUNK}); ${SEGMENTS} alternating segments each; workers not running`,
  );

  // Warm-up (JIT, scripts loaded into Redis), not counted; removed again by the prefix clean-up at the end.
  await baseQueue.addBulk(Array.from({ length: 200 }, (_, i) => ({ name: 'warm', data: { i }, opts: { delay: 3600_000 } })));
  const warmDay = now + 30 * 24 * 3600_000;
  await pool(Array.from({ length: 64 }, (_, i) => i), IN_FLIGHT, (i) =>
    dutyService.create(
      { chat: { platform: 'feishu', chatId: chatIdOf(i % CHATS) }, organizer: members[0] ?? { id: 'x', name: 'x' }, kind: 'meeting', label: '会议', title: `预热${i}`, at: warmDay + i * 60_000 },
      Date.now(),
    ),
  );

  const baseRates: number[] = [];
  const botRates: number[] = [];
  const cpu = { baseNode: 0, baseRedis: 0, botNode: 0, botRedis: 0 };
  const nodeCpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let baseBytes = 0;
  let botBytes = 0;
  let baseJobs = 0;
  let botJobs = 0;
  let botDuties = 0;
  const reminderCount = async (): Promise<number> => bot.queues.reminders.getDelayedCount();
  const cardCount = async (): Promise<number> => bot.queues.cards.getWaitingCount();
  const cardsBefore = await cardCount();
  const remindersBefore = await reminderCount();
  let dutyIndex = 0;

  for (let seg = 0; seg < SEGMENTS; seg++) {
    // Baseline segment.
    const jobs = Math.min(perSegmentJobs, TOTAL - baseJobs);
    let m0 = await usedMemory(redis);
    let c0 = [nodeCpu(), await redisCpu(redis)];
    let t0 = performance.now();
    for (let done = 0; done < jobs; done += CHUNK) {
      const n = Math.min(CHUNK, jobs - done);
      await baseQueue.addBulk(
        Array.from({ length: n }, (_, i) => ({ name: 'remind', data: { n: baseJobs + done + i }, opts: { delay: 24 * 3600_000 + ((baseJobs + done + i) % 100_000) * 1000 } })),
      );
    }
    let seconds = (performance.now() - t0) / 1000;
    cpu.baseNode += nodeCpu() - (c0[0] ?? 0);
    cpu.baseRedis += (await redisCpu(redis)) - (c0[1] ?? 0);
    baseBytes += (await usedMemory(redis)) - m0;
    baseJobs += jobs;
    baseRates.push(jobs / seconds);

    // Bot segment: meetings spread over the coming weeks, at whole minutes between 08:00 and 20:00 Beijing time.
    const segDuties = Math.min(perSegmentDuties, duties - botDuties);
    const before = await reminderCount();
    m0 = await usedMemory(redis);
    c0 = [nodeCpu(), await redisCpu(redis)];
    t0 = performance.now();
    const start = Math.ceil((Date.now() + 3 * 24 * 3600_000) / 86400_000) * 86400_000;
    await pool(
      Array.from({ length: segDuties }, () => dutyIndex++),
      IN_FLIGHT,
      (k) => {
        const at = start + Math.floor(k / 720) * 86400_000 + (k % 720) * 60_000;
        return dutyService.create(
          {
            chat: { platform: 'feishu', chatId: chatIdOf(k % CHATS) },
            organizer: members[0] ?? { id: 'x', name: 'x' },
            kind: 'meeting',
            label: '会议',
            title: `支部委员会${k}`,
            at,
            place: '三楼会议室',
          },
          Date.now(),
        );
      },
    );
    seconds = (performance.now() - t0) / 1000;
    cpu.botNode += nodeCpu() - (c0[0] ?? 0);
    cpu.botRedis += (await redisCpu(redis)) - (c0[1] ?? 0);
    botBytes += (await usedMemory(redis)) - m0;
    const planned = (await reminderCount()) - before;
    botJobs += planned;
    botDuties += segDuties;
    botRates.push(planned / seconds);
    console.log(`  segment ${seg + 1}: baseline ${fmt(baseRates[seg] ?? 0)} jobs/s; bot ${fmt(planned / seconds)} reminders/s (${fmt(segDuties / seconds)} duties/s, ${planned} reminders)`);
  }
  const announcements = (await cardCount()) - cardsBefore;
  const remindersPlanned = (await reminderCount()) - remindersBefore;
  const botBreakdown = await prefixMemory(redis, prefix);
  const baseBreakdown = await prefixMemory(redis, basePrefix);

  await cleanup();
  dog.clear();

  const baseRate = median(baseRates);
  const botRate = median(botRates);
  const ratio = botRate / baseRate;
  const perReminder = botBytes / botJobs;
  const perBareJob = baseBytes / baseJobs;
  const rateMet = ratio >= TARGET_RATIO;
  const memMet = perReminder <= TARGET_BYTES;
  console.log('');
  console.log(`baseline (addBulk, bare delayed jobs): ${fmt(baseRate)} jobs/s; ${fmt(perBareJob)} bytes of used_memory per job`);
  console.log(`bot (DutyService.create → planner + announcement): ${fmt(botRate)} reminders/s (${fmt(botRate / JOBS_PER_DUTY)} duties/s); ${fmt(remindersPlanned)} reminder jobs planned, ${fmt(announcements)} announcement jobs`);
  const us = (secondsOfCpu: number, n: number): string => `${((secondsOfCpu / n) * 1e6).toFixed(0)} µs`;
  console.log(
    `CPU per job: baseline node ${us(cpu.baseNode, baseJobs)} + redis ${us(cpu.baseRedis, baseJobs)}; bot node ${us(cpu.botNode, botJobs)} + redis ${us(cpu.botRedis, botJobs)} per reminder` +
      ' (redis CPU counts every client of the server)',
  );
  console.log(`ratio: ${(ratio * 100).toFixed(1)}% of the baseline's rate (target ≥ ${TARGET_RATIO * 100}%: ${rateMet ? 'met' : 'MISSED'})`);
  console.log(
    `memory: ${fmt(perReminder)} bytes of used_memory per pending reminder (target ≤ ${TARGET_BYTES}: ${memMet ? 'met' : 'MISSED'}),` +
      ` including the duty records and the announcement jobs; the bare job alone costs ${fmt(perBareJob)}`,
  );
  const share = (b: { bytes: number; byKind: Record<string, number> }, per: number): string =>
    Object.entries(b.byKind)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 9)
      .map(([k, v]) => `${k} ${fmt(v / per)}`)
      .join(', ');
  console.log(`bot keys (MEMORY USAGE, bytes per reminder, ${fmt(botBreakdown.keys)} keys incl. rosters): ${share(botBreakdown, remindersPlanned)}`);
  console.log(`baseline keys (bytes per job, ${fmt(baseBreakdown.keys)} keys): ${share(baseBreakdown, baseJobs)}`);
  emit({
    bench: 'schedule',
    ...(FIXES.length > 0 ? { experiment_fixes: FIXES.join(',') } : {}),
    reminders: botJobs,
    duties: botDuties,
    members_per_chat: MEMBERS,
    bot_reminders_per_s: Math.round(botRate),
    baseline_jobs_per_s: Math.round(baseRate),
    ratio: round(ratio, 3),
    bytes_per_reminder: Math.round(perReminder),
    baseline_bytes_per_job: Math.round(perBareJob),
    key_bytes_per_reminder: Math.round((botBreakdown.bytes - (botBreakdown.byKind['chat:members'] ?? 0) - (botBreakdown.byKind['chat:meta'] ?? 0)) / remindersPlanned),
    announcement_jobs: announcements,
    node_cpu_us_per_reminder: Math.round((cpu.botNode / botJobs) * 1e6),
    redis_cpu_us_per_reminder: Math.round((cpu.botRedis / botJobs) * 1e6),
    baseline_node_cpu_us_per_job: Math.round((cpu.baseNode / baseJobs) * 1e6),
    baseline_redis_cpu_us_per_job: Math.round((cpu.baseRedis / baseJobs) * 1e6),
    load_average: machine.load,
    rate_target_met: rateMet,
    memory_target_met: memMet,
    target_met: rateMet && memMet,
  });
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    console.error(err);
    await cleanup().catch(() => undefined);
    console.log(JSON.stringify({ bench: 'schedule', error: String(err), target_met: false }));
    process.exit(1);
  },
);
