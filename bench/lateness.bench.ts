/**
 * `npm run bench:lateness`: how late reminders reach the platform.
 *
 * A started Bot (workers running, REMINDER_CONCURRENCY as configured, DEFAULT_QUIET_HOURS off) whose only platform
 * is a PlatformPort stub registered on it, answering at once and noting the time of each call. 1,000 meetings in
 * 100 chats (cached rosters of 10) each have one reminder; their due times are spread evenly over 60 s. Lateness is
 * the time the stub received the reminder card minus its due time (read from the job id, which the worker passes as
 * the idempotency key), so it covers BullMQ's promotion of the delayed job, the worker's reads (duty, plan
 * context, answers, roster, sent log) and the card's rendering.
 *
 * Baseline, in the same run and process: a bare BullMQ Worker (same concurrency) on a queue of its own, with 1,000
 * delayed jobs due at the same moments, whose processor only notes the time.
 * Target: lateness p99 ≤ 300 ms.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Bot } from '../src/bot';
import type { CardModel } from '../src/domain/card-model';
import type { Member } from '../src/domain/types';
import type { MessageRef, PlatformPort, RichText, SendOptions } from '../src/platforms/port';
import { bullPrefix } from '../src/queue/queues';
import { benchConfig, benchPrefix, emit, machineInfo, percentile, pool, printMachine, REDIS_URL, removePrefix, round, runBench, silentLog, sleep, watchdog } from './lib/common';

const REMINDERS = 1000;
const SPREAD_MS = 60_000;
const CHATS = 100;
const MEMBERS = 10;
const TARGET_P99_MS = 300;
const LEAD_MS = Number(process.env.BENCH_LATENESS_LEAD_S ?? 8) * 1000;

const chatIdOf = (i: number): string => `oc_late${String(i).padStart(24, '0')}`;
const memberOf = (i: number): string => `ou_latemember${String(i).padStart(19, '0')}`;

/** A platform that answers at once and notes when each reminder arrived. */
class StubPlatform implements PlatformPort {
  readonly name = 'feishu' as const;
  readonly arrivals: { key: string; at: number }[] = [];
  private n = 0;
  constructor(private readonly members: Member[]) {}
  async sendCard(chatId: string, _card: CardModel, options: SendOptions = {}): Promise<MessageRef> {
    this.arrivals.push({ key: options.idempotencyKey ?? '', at: Date.now() });
    return { platform: 'feishu', chatId, messageId: `om_stub${++this.n}`, sentAt: Date.now() };
  }
  async updateCard(): Promise<void> {}
  async sendText(chatId: string, _text: RichText, options: SendOptions = {}): Promise<MessageRef> {
    this.arrivals.push({ key: options.idempotencyKey ?? '', at: Date.now() });
    return { platform: 'feishu', chatId, messageId: `om_stub${++this.n}`, sentAt: Date.now() };
  }
  async listMembers(): Promise<Member[]> {
    return this.members;
  }
  mention(member: Pick<Member, 'id' | 'name'>): string {
    return `@${member.name}`;
  }
}

let cleanup = async (): Promise<void> => undefined;

async function main(): Promise<void> {
  const machine = await machineInfo();
  printMachine(machine);
  const prefix = benchPrefix('lateness');
  const basePrefix = benchPrefix('lateness-base');
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ id: memberOf(i), name: `党员${i + 1}` }));
  const config = benchConfig(prefix, { SANDBOX_ENABLED: 'false' });
  const bot = new Bot({ config, log: silentLog() });
  const stub = new StubPlatform(members);
  bot.services.platforms.register(stub);

  const baseConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const baseQueue = new Queue<{ dueAt: number }>('bare', { connection: baseConnection, prefix: bullPrefix(basePrefix) });
  const baseArrivals: number[] = [];
  const baseWorker = new Worker<{ dueAt: number }>(
    'bare',
    async (job) => {
      baseArrivals.push(Date.now() - job.data.dueAt);
    },
    { connection: baseConnection, prefix: bullPrefix(basePrefix), concurrency: config.REMINDER_CONCURRENCY, autorun: false },
  );
  cleanup = async () => {
    await baseWorker.close().catch(() => undefined);
    await baseQueue.close().catch(() => undefined);
    baseConnection.disconnect();
    await bot.stop().catch(() => undefined);
    await removePrefix(prefix);
    await removePrefix(basePrefix);
  };
  const dog = watchdog('lateness', 170, cleanup);
  await bot.start(0, '127.0.0.1');
  console.log(
    `${REMINDERS} reminders due evenly over ${SPREAD_MS / 1000} s in ${CHATS} chats; platform: a stub that answers at once; REMINDER_CONCURRENCY ${config.REMINDER_CONCURRENCY};` +
      ` baseline: a bare BullMQ worker (same concurrency) on its own queue, same due times`,
  );

  const { chats, duties, planner } = bot.services;
  const seedStart = Date.now();
  await pool(
    Array.from({ length: CHATS }, (_, c) => c),
    16,
    (c) => chats.saveRoster({ platform: 'feishu', chatId: chatIdOf(c) }, members, seedStart, `支部${c}`),
  );
  const t0 = seedStart + LEAD_MS;
  const dueOf = (i: number): number => t0 + Math.round((i * SPREAD_MS) / REMINDERS);
  await pool(
    Array.from({ length: REMINDERS }, (_, i) => i),
    16,
    async (i) => {
      const now = Date.now();
      const duty = await duties.create(
        {
          chat: { platform: 'feishu', chatId: chatIdOf(i % CHATS) },
          kind: 'meeting',
          label: '会议',
          title: `支部会议${i}`,
          at: dueOf(i) + 10 * 60_000,
          organizer: members[0] ?? { id: 'x', name: 'x' },
          audience: members.map((m) => m.id),
          reminderOffsets: [10],
        },
        now,
      );
      await planner.plan(duty, now);
    },
  );
  await baseQueue.addBulk(Array.from({ length: REMINDERS }, (_, i) => ({ name: 'bare', data: { dueAt: dueOf(i) }, opts: { delay: dueOf(i) - Date.now(), removeOnComplete: true } })));
  void baseWorker.run();
  const seeded = Date.now();
  console.log(`seeded in ${((seeded - seedStart) / 1000).toFixed(1)} s; first due ${((t0 - seeded) / 1000).toFixed(1)} s later`);
  if (seeded > t0 - 500) throw new Error('seeding took too long: raise BENCH_LATENESS_LEAD_S');

  const until = dueOf(REMINDERS - 1) + 20_000;
  while (Date.now() < until && (stub.arrivals.length < REMINDERS || baseArrivals.length < REMINDERS)) await sleep(100);
  await sleep(500);

  const lateness = stub.arrivals
    .map((a) => {
      const m = /^rem-[a-z0-9]+-\d+-(\d+)$/.exec(a.key);
      return m ? a.at - Number(m[1]) : undefined;
    })
    .filter((v): v is number => v !== undefined);
  const keys = new Set(stub.arrivals.map((a) => a.key));
  const counts = await bot.queues.reminders.getJobCounts('completed', 'failed', 'delayed', 'waiting', 'active');
  await cleanup();
  dog.clear();

  const p = (xs: number[], q: number): number => percentile(xs, q);
  const p99 = p(lateness, 99);
  const met = p99 <= TARGET_P99_MS && lateness.length === REMINDERS && keys.size === REMINDERS;
  console.log(
    `bot:      ${lateness.length} reminders at the platform (${keys.size} distinct); lateness p50 ${p(lateness, 50)} ms, p90 ${p(lateness, 90)} ms, p99 ${p99} ms, max ${p(lateness, 100)} ms, min ${p(lateness, 0)} ms` +
      ` (target p99 ≤ ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'MISSED'})`,
  );
  console.log(`baseline: ${baseArrivals.length} jobs; lateness p50 ${p(baseArrivals, 50)} ms, p90 ${p(baseArrivals, 90)} ms, p99 ${p(baseArrivals, 99)} ms, max ${p(baseArrivals, 100)} ms`);
  console.log(`bot p99 − baseline p99: ${p99 - p(baseArrivals, 99)} ms (the bot's own work per reminder); reminder jobs now ${JSON.stringify(counts)}`);
  emit({
    bench: 'lateness',
    reminders: lateness.length,
    distinct: keys.size,
    p50_ms: p(lateness, 50),
    p90_ms: p(lateness, 90),
    p99_ms: p99,
    max_ms: p(lateness, 100),
    baseline_p50_ms: p(baseArrivals, 50),
    baseline_p99_ms: p(baseArrivals, 99),
    baseline_max_ms: p(baseArrivals, 100),
    p99_over_baseline_ms: round(p99 - p(baseArrivals, 99), 0),
    concurrency: config.REMINDER_CONCURRENCY,
    load_average: machine.load,
    target_met: met,
  });
}

runBench('lateness', main, () => cleanup());
