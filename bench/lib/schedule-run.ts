/**
 * One bench:schedule measurement on one Redis (bench/lib/schedule-target.ts): the Bot's bulk planning path against
 * BullMQ addBulk of bare delayed jobs, in alternating segments. The method is described in bench/schedule.bench.ts.
 */
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Bot } from '../../src/bot';
import type { CreateDutyInput } from '../../src/app/duty-service';
import { benchConfig, benchPrefix, fmt, median, pool, prefixMemory, silentLog, sleep } from './common';
import type { CommandStat, ScheduleTarget } from './schedule-target';

export const JOBS_PER_DUTY = 3;
const SEGMENTS = 4;
const CHATS = 1000;
const IN_FLIGHT = 32;
const CHUNK = 1000;
/** Warm-up: baseline chunks and bot batches before the first segment (each about half a second). */
const WARM_CHUNKS = Number(process.env.BENCH_SCHEDULE_WARM_CHUNKS ?? 10);
const WARM_BATCHES = Number(process.env.BENCH_SCHEDULE_WARM_BATCHES ?? 12);

export interface ScheduleOptions {
  readonly total: number;
  readonly members: number;
  readonly single: boolean;
  readonly batch: number;
  readonly batchesInFlight: number;
}

type Breakdown = { keys: number; bytes: number; byKind: Record<string, number>; perMaster: number[] };

export interface ScheduleResult {
  baseRate: number;
  botRate: number;
  baseJobs: number;
  botJobs: number;
  botDuties: number;
  /** Every BullMQ job the bot's segments added: reminders, sign-in window, minutes reminders, announcements. */
  botAllJobs: Record<'reminders' | 'signin' | 'minutes' | 'announce', number>;
  baseBytes: number;
  botBytes: number;
  cpu: { baseNode: number; baseRedis: number; botNode: number; botRedis: number };
  /** Server time per command over the bot's segments (all masters). */
  botCommands: Map<string, CommandStat>;
  baseCommands: Map<string, CommandStat>;
  botBreakdown: Breakdown;
  baseBreakdown: Breakdown;
  segments: string[];
}

export const chatIdOf = (i: number): string => `oc_sched${String(i).padStart(23, '0')}`;
export const memberOf = (i: number): string => `ou_schedmember${String(i).padStart(18, '0')}`;

/** The bench's k-th meeting: in chat k mod 1000, on the (k / 720)-th day from `start`, at a whole minute. */
export const benchMeeting = (k: number, start: number, organizer: { id: string; name: string }): CreateDutyInput => ({
  chat: { platform: 'feishu', chatId: chatIdOf(k % CHATS) },
  organizer,
  kind: 'meeting',
  label: '会议',
  title: `支部委员会${k}`,
  at: start + Math.floor(k / 720) * 86400_000 + (k % 720) * 60_000,
  place: '三楼会议室',
});
const nodeCpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const diffStats = (after: Map<string, CommandStat>, before: Map<string, CommandStat>, into: Map<string, CommandStat>): void => {
  for (const [cmd, s] of after) {
    const b = before.get(cmd) ?? { calls: 0, usec: 0 };
    const acc = into.get(cmd) ?? { calls: 0, usec: 0 };
    into.set(cmd, { calls: acc.calls + s.calls - b.calls, usec: acc.usec + s.usec - b.usec });
  }
};

async function breakdown(target: ScheduleTarget, prefix: string): Promise<Breakdown> {
  const sum: Breakdown = { keys: 0, bytes: 0, byKind: {}, perMaster: [] };
  for (const node of target.masters()) {
    const b = await prefixMemory(node, prefix, target.kind === 'cluster' ? `*${prefix}*` : `${prefix}:*`);
    sum.keys += b.keys;
    sum.perMaster.push(b.keys);
    sum.bytes += b.bytes;
    for (const [k, v] of Object.entries(b.byKind)) sum.byKind[k] = (sum.byKind[k] ?? 0) + v;
  }
  return sum;
}

/** The Bot on the target; on a cluster it must really be on the cluster (REDIS_CLUSTER_NODES, issue 16 item 1). */
function botOn(target: ScheduleTarget, prefix: string): Bot {
  const config = benchConfig(prefix, { SANDBOX_ENABLED: 'false', ...target.env });
  const nodes: unknown = 'REDIS_CLUSTER_NODES' in config ? config.REDIS_CLUSTER_NODES : undefined;
  if (target.kind === 'cluster' && !(Array.isArray(nodes) && nodes.length > 0)) {
    throw new Error('bench:schedule on the cluster: this build has no REDIS_CLUSTER_NODES setting (issue 16 item 1), so the Bot cannot run on a Redis Cluster');
  }
  const bot = new Bot({ config, log: silentLog(), workers: false });
  if (target.kind === 'cluster' && (bot.redis as { isCluster?: boolean }).isCluster !== true) {
    void bot.stop().catch(() => undefined);
    throw new Error('bench:schedule on the cluster: REDIS_CLUSTER_NODES is set but the Bot did not connect with an ioredis Cluster');
  }
  return bot;
}

export async function measureSchedule(target: ScheduleTarget, o: ScheduleOptions, onCleanup: (fn: () => Promise<void>) => void): Promise<ScheduleResult> {
  const prefix = benchPrefix('schedule');
  const basePrefix = benchPrefix('schedule-base');
  const bot = botOn(target, prefix);
  const baseQueue = new Queue('bare', { connection: target.connection(), prefix: target.bullPrefix(basePrefix) });
  const cleanup = async (): Promise<void> => {
    await baseQueue.close().catch(() => undefined);
    await bot.stop().catch(() => undefined);
    await target.removePrefix(prefix);
    await target.removePrefix(basePrefix);
  };
  onCleanup(cleanup);
  const { chats, dutyService } = bot.services;
  if (bot.services.platforms.names().length > 0) throw new Error('no platform should be enabled');
  // The Bot is not started (no HTTP, no workers): wait for its connection as start() would.
  for (let waited = 0; bot.redis.status !== 'ready'; waited += 50) {
    if (waited > 5000) throw new Error(`Redis is not reachable (${target.description})`);
    await sleep(50);
  }
  const q = bot.queues;
  await Promise.all([q.reminders.waitUntilReady(), q.cards.waitUntilReady(), q.signin.waitUntilReady(), q.minutes.waitUntilReady(), baseQueue.waitUntilReady()]);

  const now = Date.now();
  const members = Array.from({ length: o.members }, (_, i) => ({ id: memberOf(i), name: `党员${i + 1}` }));
  const organizer = members[0] ?? { id: 'x', name: 'x' };
  await pool(Array.from({ length: CHATS }, (_, c) => c), 16, (c) => chats.saveRoster({ platform: 'feishu', chatId: chatIdOf(c) }, members, now, `支部${c}`));
  const duties = Math.ceil(o.total / JOBS_PER_DUTY);
  const perSegmentDuties = Math.ceil(duties / SEGMENTS);
  const perSegmentJobs = Math.ceil(o.total / SEGMENTS);

  // Warm-up (JIT, scripts loaded into Redis), not counted; removed again by the prefix clean-up at the end. Each side
  // warms up on the path it is measured on: the baseline on a few chunks, the bot on its segments' own path (until
  // 2026-12-06 the bot warmed up on DutyService.create only, so its first segment also compiled the bulk path, and
  // measured 8–12% below the others).
  for (let i = 0; i < WARM_CHUNKS; i++) await baseQueue.addBulk(Array.from({ length: CHUNK }, (_, j) => ({ name: 'warm', data: { j }, opts: { delay: 3600_000 + j } })));
  const warmDay = now + 30 * 24 * 3600_000;
  const warm = (i: number): CreateDutyInput => ({ chat: { platform: 'feishu', chatId: chatIdOf(i % CHATS) }, organizer, kind: 'meeting', label: '会议', title: `预热${i}`, at: warmDay + i * 60_000 });
  if (o.single) await pool(Array.from({ length: 64 }, (_, i) => i), IN_FLIGHT, (i) => dutyService.create(warm(i), Date.now()));
  else await pool(Array.from({ length: WARM_BATCHES }, (_, b) => b), o.batchesInFlight, (b) => dutyService.createMany(Array.from({ length: o.batch }, (_, i) => warm(b * o.batch + i)), Date.now()));

  const r: ScheduleResult = {
    baseRate: 0,
    botRate: 0,
    baseJobs: 0,
    botJobs: 0,
    botDuties: 0,
    botAllJobs: { reminders: 0, signin: 0, minutes: 0, announce: 0 },
    baseBytes: 0,
    botBytes: 0,
    cpu: { baseNode: 0, baseRedis: 0, botNode: 0, botRedis: 0 },
    botCommands: new Map(),
    baseCommands: new Map(),
    botBreakdown: { keys: 0, bytes: 0, byKind: {}, perMaster: [] },
    baseBreakdown: { keys: 0, bytes: 0, byKind: {}, perMaster: [] },
    segments: [],
  };
  const baseRates: number[] = [];
  const botRates: number[] = [];
  const counts = async (): Promise<ScheduleResult['botAllJobs']> => {
    const [reminders, signin, minutes, announce] = await Promise.all([q.reminders.getDelayedCount(), q.signin.getDelayedCount(), q.minutes.getDelayedCount(), q.cards.getWaitingCount()]);
    return { reminders, signin, minutes, announce };
  };
  let dutyIndex = 0;
  for (let seg = 0; seg < SEGMENTS; seg++) {
    // Baseline segment.
    const jobs = Math.min(perSegmentJobs, o.total - r.baseJobs);
    let m0 = await target.usedMemory();
    let s0 = await target.commandStats();
    let c0 = [nodeCpu(), await target.cpuSeconds()];
    let t0 = performance.now();
    for (let done = 0; done < jobs; done += CHUNK) {
      const n = Math.min(CHUNK, jobs - done);
      const first = r.baseJobs + done;
      await baseQueue.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'remind', data: { n: first + i }, opts: { delay: 24 * 3600_000 + ((first + i) % 100_000) * 1000 } })));
    }
    let seconds = (performance.now() - t0) / 1000;
    r.cpu.baseNode += nodeCpu() - (c0[0] ?? 0);
    r.cpu.baseRedis += (await target.cpuSeconds()) - (c0[1] ?? 0);
    diffStats(await target.commandStats(), s0, r.baseCommands);
    r.baseBytes += (await target.usedMemory()) - m0;
    r.baseJobs += jobs;
    baseRates.push(jobs / seconds);

    // Bot segment: meetings spread over the coming weeks, at whole minutes between 08:00 and 20:00 Beijing time.
    const segDuties = Math.min(perSegmentDuties, duties - r.botDuties);
    const before = await counts();
    m0 = await target.usedMemory();
    s0 = await target.commandStats();
    c0 = [nodeCpu(), await target.cpuSeconds()];
    t0 = performance.now();
    const start = Math.ceil((Date.now() + 3 * 24 * 3600_000) / 86400_000) * 86400_000;
    const meeting = (k: number): CreateDutyInput => benchMeeting(k, start, organizer);
    const ks = Array.from({ length: segDuties }, () => dutyIndex++);
    if (o.single) {
      await pool(ks, IN_FLIGHT, async (k) => void (await dutyService.create(meeting(k), Date.now())));
    } else {
      const batches = Array.from({ length: Math.ceil(ks.length / o.batch) }, (_, b) => ks.slice(b * o.batch, (b + 1) * o.batch));
      // The duties returned are dropped, as a campaign drops them once its record names them: kept for the whole segment
      // (as `pool` keeps what its function returns), they would be the harness's garbage to collect, not the bot's.
      await pool(batches, o.batchesInFlight, async (batch) => void (await dutyService.createMany(batch.map(meeting), Date.now())));
    }
    seconds = (performance.now() - t0) / 1000;
    r.cpu.botNode += nodeCpu() - (c0[0] ?? 0);
    r.cpu.botRedis += (await target.cpuSeconds()) - (c0[1] ?? 0);
    diffStats(await target.commandStats(), s0, r.botCommands);
    r.botBytes += (await target.usedMemory()) - m0;
    const after = await counts();
    for (const k of ['reminders', 'signin', 'minutes', 'announce'] as const) r.botAllJobs[k] += after[k] - before[k];
    const planned = after.reminders - before.reminders;
    r.botJobs += planned;
    r.botDuties += segDuties;
    botRates.push(planned / seconds);
    r.segments.push(`baseline ${fmt(baseRates[seg] ?? 0)} jobs/s; bot ${fmt(planned / seconds)} reminders/s (${fmt(segDuties / seconds)} duties/s, ${planned} reminders)`);
  }
  r.botBreakdown = await breakdown(target, prefix);
  r.baseBreakdown = await breakdown(target, basePrefix);
  r.baseRate = median(baseRates);
  r.botRate = median(botRates);
  await cleanup();
  return r;
}
