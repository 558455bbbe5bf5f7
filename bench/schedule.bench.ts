/**
 * `npm run bench:schedule`: plan 100,000 reminders through the bot's own planning path, against BullMQ addBulk.
 *
 * Bot path: DutyService.createMany, the bulk path a campaign (发起 … 范围 全部) takes: batches of BENCH_SCHEDULE_BATCH
 * (default 200, the most chats a campaign may span) meetings in distinct chats, BENCH_SCHEDULE_IN_FLIGHT (default 2)
 * batches at a time. Per batch: the chats' cached rosters (pre-seeded, fresh, so no platform call: no platform is
 * even enabled in this Bot, any call would throw) read in one pipeline, every duty written in one transaction,
 * ReminderPlanner.planMany (the chats' plan contexts in one pipeline, one addBulk of the jobs with deterministic ids)
 * and Outbox.announceMany (one addBulk of announcement card jobs). Meetings with the default offsets (1 day and 1
 * hour before) plan 3 reminder-queue jobs each: 2 reminders and the escalation at the time. 1,000 chats with rosters
 * of BENCH_SCHEDULE_MEMBERS (default 30) members. The Bot's workers never run, so every job stays pending.
 * BENCH_SCHEDULE_SINGLE=1 measures DutyService.create instead (one 会议 command at a time, 32 in flight).
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
import type { CreateDutyInput } from '../src/app/duty-service';
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
 * The Redis measured: by default a private redis-server (127.0.0.1, free port, no persistence) with the memory
 * settings of the shipped redis.conf (`hash-max-listpack-value 512`, `maxmemory-policy noeviction`), so the memory
 * figure is what production sees; BullMQ's job hashes keep ~110 bytes of options, over Redis's default limit of 64,
 * and would otherwise be stored as hashtables at twice the size. BENCH_SCHEDULE_REDIS=shared measures the shared
 * Redis at REDIS_URL with whatever settings it has (the test Redis: the defaults). The baseline always runs on the
 * same Redis as the bot.
 */
const SHARED_REDIS = process.env.BENCH_SCHEDULE_REDIS === 'shared';
const SINGLE = process.env.BENCH_SCHEDULE_SINGLE === '1';
const BATCH = Number(process.env.BENCH_SCHEDULE_BATCH ?? 200);
const BATCHES_IN_FLIGHT = Number(process.env.BENCH_SCHEDULE_IN_FLIGHT ?? 2);
const PATH = SINGLE
  ? `DutyService.create, ${32} in flight`
  : `DutyService.createMany, batches of ${BATCH} duties in distinct chats, ${BATCHES_IN_FLIGHT} in flight`;

let cleanup = async (): Promise<void> => undefined;

async function main(): Promise<void> {
  const own = SHARED_REDIS ? undefined : await privateRedis({ 'hash-max-listpack-value': '512', 'maxmemory-policy': 'noeviction' });
  const url = own?.url ?? REDIS_URL;
  const machine = await machineInfo(url);
  printMachine(machine);
  console.log(own ? `redis: private redis-server at ${own.url} with the shipped redis.conf's memory settings (hash-max-listpack-value 512)` : `redis: the shared Redis at ${url} with its own settings`);
  const prefix = benchPrefix('schedule');
  const basePrefix = benchPrefix('schedule-base');
  const redis = new Redis(url);
  const config = benchConfig(prefix, { SANDBOX_ENABLED: 'false', REDIS_URL: url });
  const bot = new Bot({ config, log: silentLog(), workers: false });
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
    `${fmt(TOTAL)} reminders: ${fmt(duties)} meetings × ${JOBS_PER_DUTY} jobs via ${PATH} (${CHATS} chats, rosters of ${MEMBERS}),` +
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
    const meeting = (k: number): CreateDutyInput => ({
      chat: { platform: 'feishu', chatId: chatIdOf(k % CHATS) },
      organizer: members[0] ?? { id: 'x', name: 'x' },
      kind: 'meeting',
      label: '会议',
      title: `支部委员会${k}`,
      at: start + Math.floor(k / 720) * 86400_000 + (k % 720) * 60_000,
      place: '三楼会议室',
    });
    const ks = Array.from({ length: segDuties }, () => dutyIndex++);
    if (SINGLE) {
      await pool(ks, IN_FLIGHT, (k) => dutyService.create(meeting(k), Date.now()));
    } else {
      const batches = Array.from({ length: Math.ceil(ks.length / BATCH) }, (_, b) => ks.slice(b * BATCH, (b + 1) * BATCH));
      await pool(batches, BATCHES_IN_FLIGHT, (batch) => dutyService.createMany(batch.map(meeting), Date.now()));
    }
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
  console.log(`bot (${PATH}): ${fmt(botRate)} reminders/s (${fmt(botRate / JOBS_PER_DUTY)} duties/s); ${fmt(remindersPlanned)} reminder jobs planned, ${fmt(announcements)} announcement jobs`);
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
    path: SINGLE ? 'create' : `createMany/${BATCH}x${BATCHES_IN_FLIGHT}`,
    redis: own ? 'private, shipped redis.conf memory settings' : 'shared',
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
