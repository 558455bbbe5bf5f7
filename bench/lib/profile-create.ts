/**
 * A CPU profile of the bot's bulk planning path alone (no baseline, no set-up in the profile): 1,000 chats with rosters
 * of 30, then `DutyService.createMany` of BENCH_PROFILE_DUTIES meetings in batches of 200, 2 in flight, exactly as
 * bench:schedule's bot segments. Writes `/tmp/create.cpuprofile` (open it in Chrome DevTools) and prints µs per duty.
 * With BENCH_PROFILE_HEAP=1 also a sampling heap profile of the allocations, `/tmp/create.heapprofile`.
 * BENCH_PROFILE_OFF=1: no CPU profile, only the figures (A/B comparisons).
 * Run: `npx tsx bench/lib/profile-create.ts` (the Redis at REDIS_URL, its own prefix, removed at the end).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { Bot } from '../../src/bot';
import type { CreateDutyInput } from '../../src/app/duty-service';
import { benchConfig, benchPrefix, pool, redisCpu, removePrefix, silentLog, REDIS_URL } from './common';
import { benchMeeting, chatIdOf, memberOf } from './schedule-run';

const DUTIES = Number(process.env.BENCH_PROFILE_DUTIES ?? 20_000);
const CHATS = 1000;

async function main(): Promise<void> {
  // Output piped into `head`: a closed pipe must not stop the run before its keys are removed (the `finally` below).
  process.stdout.on('error', () => undefined);
  const prefix = benchPrefix('profile');
  // With REDIS_CLUSTER_NODES set (e.g. 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003, test/helpers/redis-cluster.sh), on that cluster.
  const cluster: Record<string, string> = process.env.REDIS_CLUSTER_NODES ? { REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES } : {};
  const bot = new Bot({ config: benchConfig(prefix, { SANDBOX_ENABLED: 'false', ...cluster }), log: silentLog(), workers: false });
  try {
    while (bot.redis.status !== 'ready') await new Promise((r) => setTimeout(r, 50));
    const members = Array.from({ length: Number(process.env.BENCH_PROFILE_MEMBERS ?? 30) }, (_, i) => ({ id: memberOf(i), name: `党员${i + 1}` }));
    const organizer = members[0] ?? { id: 'x', name: 'x' };
    const now = Date.now();
    await pool(Array.from({ length: CHATS }, (_, c) => c), 16, (c) => bot.services.chats.saveRoster({ platform: 'feishu', chatId: chatIdOf(c) }, members, now, `支部${c}`));
    const start = Math.ceil((Date.now() + 3 * 24 * 3600_000) / 86400_000) * 86400_000;
    const meeting = (k: number): CreateDutyInput => benchMeeting(k, start, organizer);
    const run = async (from: number, n: number): Promise<number> => {
      const ks = Array.from({ length: n }, (_, i) => from + i);
      const batches = Array.from({ length: Math.ceil(n / 200) }, (_, b) => ks.slice(b * 200, (b + 1) * 200));
      const t0 = performance.now();
      await pool(batches, 2, (batch) => bot.services.dutyService.createMany(batch.map(meeting), Date.now()));
      return performance.now() - t0;
    };
    // BENCH_PROFILE_SKIP=announce,plan,roster,followups,contexts: those steps of createMany replaced by no-ops, to weigh each step by
    // difference (the node CPU a duty with and without it); never for a figure of the bench itself.
    const skip = new Set((process.env.BENCH_PROFILE_SKIP ?? '').split(',').filter(Boolean));
    const deps = (bot.services.dutyService as unknown as { deps: Record<string, Record<string, unknown>> }).deps;
    if (skip.has('announce') && deps.outbox) deps.outbox.announceMany = async () => undefined;
    if (skip.has('plan') && deps.planner) deps.planner.planMany = async () => 0;
    if (skip.has('roster') && deps.roster) deps.roster.membersMany = async () => new Map([...Array(CHATS).keys()].map((c) => [`feishu:${chatIdOf(c)}`, members]));
    const planner = deps.planner as unknown as { signin?: unknown; followUps?: unknown; contexts: { forMany: unknown } } | undefined;
    if (skip.has('followups') && planner) {
      planner.signin = undefined;
      planner.followUps = undefined;
    }
    if (skip.has('contexts') && planner) planner.contexts.forMany = async () => new Map();
    await run(100_000, 2000); // warm-up (other minutes of later days)
    const profiling = process.env.BENCH_PROFILE_OFF !== '1';
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    if (profiling) await session.post('Profiler.start');
    if (process.env.BENCH_PROFILE_HEAP) await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    const commands = async (): Promise<Map<string, number>> =>
      new Map([...(await bot.redis.info('commandstats')).matchAll(/cmdstat_(\w+):calls=\d+,usec=(\d+)/g)].map((m) => [m[1] ?? '', Number(m[2])]));
    const redisCpuNow = async (): Promise<number> => (cluster.REDIS_CLUSTER_NODES ? 0 : redisCpu(bot.redis as never));
    const [redis0, commands0] = [await redisCpuNow(), cluster.REDIS_CLUSTER_NODES ? new Map<string, number>() : await commands()];
    const cpu0 = process.cpuUsage();
    const ms = await run(0, DUTIES);
    const cpu = process.cpuUsage(cpu0);
    const redisUs = ((await redisCpuNow()) - redis0) * 1e6;
    const byCommand = [...(cluster.REDIS_CLUSTER_NODES ? new Map<string, number>() : await commands())].map(([c, us]): [string, number] => [c, us - (commands0.get(c) ?? 0)]).filter(([, us]) => us > 0).sort((a, b) => b[1] - a[1]);
    if (profiling) writeFileSync('/tmp/create.cpuprofile', JSON.stringify((await session.post('Profiler.stop')).profile));
    if (process.env.BENCH_PROFILE_HEAP) writeFileSync('/tmp/create.heapprofile', JSON.stringify((await session.post('HeapProfiler.stopSampling')).profile));
    process.stdout.write(`${DUTIES} duties in ${ms.toFixed(0)} ms: ${((ms * 1000) / DUTIES).toFixed(1)} µs wall, ${((cpu.user + cpu.system) / DUTIES).toFixed(1)} µs node CPU a duty (${REDIS_URL})\n`);
    process.stdout.write(`redis CPU ${(redisUs / DUTIES).toFixed(1)} µs a duty; commandstats µs a duty: ${byCommand.slice(0, 8).map(([c, us]) => `${c} ${(us / DUTIES).toFixed(1)}`).join(', ')}\n`);
  } finally {
    await bot.stop();
    await removePrefix(prefix);
  }
}

void main().then(() => process.exit(0));
