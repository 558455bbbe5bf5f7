/**
 * bench:schedule taken apart (issue 16 item 6): where a meeting's planning time goes, and the best ratio to bare
 * `addBulk` each part leaves. Run: `npx tsx bench/lib/schedule-parts.ts` (a private redis-server with the shipped
 * redis.conf's memory settings, as bench:schedule's default; about 2 minutes).
 *
 * In alternating segments, each on the same Redis and in the same process:
 *   bare     Queue.addBulk of bare delayed jobs in chunks of 1,000: bench:schedule's baseline.
 *   jobs     the bot's own job-adding code alone: ReminderPlanner.planMany and Outbox.announceMany (together, as
 *            DutyService.createMany calls them) for meetings built in memory and never written, their chats'
 *            plan contexts read before the clock starts; batches of 200, 2 in flight.
 *   records  DutyService.createMany with planMany and announceMany made no-ops: the rosters and plan contexts read,
 *            the duties written by the creation script, nothing queued; same batches.
 *   full     DutyService.createMany as bench:schedule runs it.
 * A meeting plans 3 counted reminders, so a ratio is 3 × (µs a bare job) ÷ (µs a meeting). `jobs` alone is the
 * ceiling of the bench's ratio were writing the records free; `records` what the records cost in bare jobs.
 */
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Bot } from '../../src/bot';
import { newDuty } from '../../src/app/new-duty';
import type { Duty } from '../../src/domain/types';
import { benchConfig, benchPrefix, emit, fmt, machineInfo, median, pool, printMachine, round, runBench, silentLog, sleep, watchdog } from './common';
import { benchMeeting, chatIdOf, memberOf } from './schedule-run';
import { standaloneTarget, type ScheduleTarget } from './schedule-target';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const DUTIES = Number(process.env.BENCH_PARTS_DUTIES ?? 6000);
const CHATS = 1000;
const BATCH = 200;
const IN_FLIGHT = 2;
const PARTS = ['bare', 'jobs', 'records', 'full'] as const;
type Part = (typeof PARTS)[number];

let cleanups: (() => Promise<void>)[] = [];
const cleanup = async (): Promise<void> => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  cleanups = [];
};

type Deps = { planner: { planMany: unknown; contextsOf: unknown }; outbox: { announceMany: unknown } };

async function main(): Promise<void> {
  const machine = await machineInfo();
  printMachine(machine);
  const dog = watchdog('schedule-parts', 280, cleanup);
  const target: ScheduleTarget = await standaloneTarget(false);
  cleanups.push(() => target.close());
  const prefix = benchPrefix('parts');
  const bot = new Bot({ config: benchConfig(prefix, { SANDBOX_ENABLED: 'false', ...target.env }), log: silentLog(), workers: false });
  cleanups.push(() => bot.stop());
  const bare = new Queue('bare', { connection: target.connection(), prefix: target.bullPrefix(benchPrefix('parts-base')) });
  cleanups.push(() => bare.close());
  for (let waited = 0; bot.redis.status !== 'ready'; waited += 50) {
    if (waited > 5000) throw new Error(`Redis is not reachable (${target.description})`);
    await sleep(50);
  }
  const { chats, dutyService } = bot.services;
  const deps = (dutyService as unknown as { deps: Deps }).deps;
  const realPlan = deps.planner.planMany;
  const realAnnounce = deps.outbox.announceMany;
  const members = Array.from({ length: 30 }, (_, i) => ({ id: memberOf(i), name: `党员${i + 1}` }));
  const organizer = members[0] ?? { id: 'x', name: 'x' };
  const now0 = Date.now();
  await pool(Array.from({ length: CHATS }, (_, c) => c), 16, (c) => chats.saveRoster({ platform: 'feishu', chatId: chatIdOf(c) }, members, now0, `支部${c}`));
  const start = Math.ceil((now0 + 3 * 24 * 3600_000) / 86400_000) * 86400_000;
  const planMany = deps.planner.planMany as (d: readonly Duty[], now: number, known?: unknown) => Promise<number>;
  const announceMany = deps.outbox.announceMany as (d: readonly { dutyId: string }[]) => Promise<void>;
  const contextsOf = deps.planner.contextsOf as (c: readonly Duty['chat'][]) => Promise<unknown>;
  let k = 0;
  const batches = (): number[][] => {
    const ks = Array.from({ length: DUTIES }, () => k++);
    return Array.from({ length: Math.ceil(ks.length / BATCH) }, (_, b) => ks.slice(b * BATCH, (b + 1) * BATCH));
  };
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };

  /** One segment of `part`: µs a unit (a bare job, or a meeting), node and Redis CPU µs a unit. */
  const segment = async (part: Part): Promise<{ wall: number; node: number; redis: number }> => {
    let units = DUTIES;
    let run: () => Promise<void>;
    if (part === 'bare') {
      units = DUTIES * 3;
      const first = k * 3;
      k += DUTIES;
      run = async () => {
        for (let done = 0; done < units; done += 1000) {
          await bare.addBulk(Array.from({ length: Math.min(1000, units - done) }, (_, i) => ({ name: 'remind', data: { n: first + done + i }, opts: { delay: 24 * 3600_000 + ((first + done + i) % 100_000) * 1000 } })));
        }
      };
    } else if (part === 'jobs') {
      // Meetings in memory, as the creation would return them (ids of their own, never written); contexts read first.
      const now = Date.now();
      const bs = batches().map((ks) => ks.map((n): Duty => ({ ...newDuty(benchMeeting(n, start, organizer), members), id: `parts${n}`, number: n + 1, state: 'scheduled', createdAt: now, updatedAt: now })));
      const contexts = await Promise.all(bs.map((b) => contextsOf.call(deps.planner, b.map((d) => d.chat))));
      run = async () => {
        await pool(bs, IN_FLIGHT, (b, i) => Promise.all([planMany.call(deps.planner, b, now, contexts[i]), announceMany.call(deps.outbox, b.map((d) => ({ dutyId: d.id })))]));
      };
    } else {
      const bs = batches();
      run = async () => {
        deps.planner.planMany = part === 'records' ? async () => 0 : realPlan;
        deps.outbox.announceMany = part === 'records' ? async () => undefined : realAnnounce;
        try {
          await pool(bs, IN_FLIGHT, (b) => dutyService.createMany(b.map((n) => benchMeeting(n, start, organizer)), Date.now()));
        } finally {
          deps.planner.planMany = realPlan;
          deps.outbox.announceMany = realAnnounce;
        }
      };
    }
    const [c0, r0, t0] = [cpu(), await target.cpuSeconds(), performance.now()];
    await run();
    const wall = (performance.now() - t0) * 1000;
    const [node, redis] = [(cpu() - c0) * 1e6, ((await target.cpuSeconds()) - r0) * 1e6];
    return { wall: wall / units, node: node / units, redis: redis / units };
  };

  await segment('full'); // warm-up: JIT, scripts loaded, rosters remembered
  await segment('bare');
  const results = new Map<Part, { wall: number; node: number; redis: number }[]>(PARTS.map((p) => [p, []]));
  for (let rep = 0; rep < REPS; rep++) {
    for (const part of PARTS) {
      const r = await segment(part);
      results.get(part)?.push(r);
      console.log(`  rep ${rep + 1} ${part.padEnd(7)} ${r.wall.toFixed(1)} µs a ${part === 'bare' ? 'job' : 'meeting'} (node ${r.node.toFixed(1)}, redis ${r.redis.toFixed(1)})`);
    }
  }
  dog.clear();
  const med = (part: Part, f: 'wall' | 'node' | 'redis'): number => median((results.get(part) ?? []).map((r) => r[f]));
  const bareJob = med('bare', 'wall');
  const ratio = (meeting: number): number => (3 * bareJob) / meeting;
  console.log('');
  console.log(`bare job: ${bareJob.toFixed(1)} µs (node ${med('bare', 'node').toFixed(1)}, redis ${med('bare', 'redis').toFixed(1)})`);
  for (const part of ['jobs', 'records', 'full'] as const) {
    const w = med(part, 'wall');
    console.log(`${part}: ${w.toFixed(1)} µs a meeting = ${(w / bareJob).toFixed(2)} bare jobs (node ${med(part, 'node').toFixed(1)}, redis ${med(part, 'redis').toFixed(1)}); 3 reminders in it: ${(ratio(w) * 100).toFixed(1)}% of the bare rate`);
  }
  const budget = (3 * bareJob) / 0.6 - med('jobs', 'wall');
  console.log(
    `for 60%: a meeting within ${((3 * bareJob) / 0.6).toFixed(1)} µs = 5 bare jobs; its jobs take ${med('jobs', 'wall').toFixed(1)}, leaving ${budget.toFixed(1)} µs for the records, which take ${med('records', 'wall').toFixed(1)} on their own`,
  );
  emit({
    bench: 'schedule-parts',
    bare_job_us: round(bareJob),
    jobs_us_per_meeting: round(med('jobs', 'wall')),
    records_us_per_meeting: round(med('records', 'wall')),
    full_us_per_meeting: round(med('full', 'wall')),
    ratio_full: round(ratio(med('full', 'wall')), 3),
    ratio_jobs_only: round(ratio(med('jobs', 'wall')), 3),
    records_budget_us_for_60: round(budget),
    meetings_per_segment: DUTIES,
    reps: REPS,
    load_average: machine.load,
    target_met: ratio(med('full', 'wall')) >= 0.6,
  });
  console.log(`(${fmt(DUTIES)} meetings a segment, medians of ${REPS})`);
}

runBench('schedule-parts', async () => {
  try {
    await main();
  } finally {
    await cleanup();
  }
}, () => cleanup());
