/**
 * `npx tsx bench/points.bench.ts` (bench:points): a member's 积分 for a year (issue 15).
 *
 * A Bot on the sandbox (workers off). One branch chat of 30 members with one year of 三会一课: 50 duties a week apart
 * (meetings and study sessions with RSVP answers, sign-ins and minutes; every fifth a report with answers on time,
 * late and missing), written straight to the store as the commands would leave them. Then every member asks for
 * their year, round after round, through `PointsService.member` (what `积分 本年` runs); the chat's ranking is timed
 * too. Baseline in the same run: a bare GET's round trip to the same Redis.
 *
 * Target: a member's year p95 ≤ 20 ms.
 */
import { Bot } from '../src/bot';
import { namedPeriod } from '../src/domain/stats-period';
import type { ChatRef } from '../src/domain/types';
import { writePointsYear } from '../test/points/points-year';
import { benchConfig, benchPrefix, emit, machineInfo, percentile, printMachine, removePrefix, round, silentLog, watchdog } from './lib/common';

const MEMBERS = Array.from({ length: 30 }, (_, i) => `m${i + 1}`);
const DUTIES = 50;
const ROUNDS = Number(process.env.BENCH_REPS ?? 10);
const TARGET_P95_MS = 20;
const CHAT: ChatRef = { platform: 'sandbox', chatId: 'bench-points' };
const TZ = 'Asia/Shanghai';

async function main(): Promise<void> {
  printMachine(await machineInfo());
  const prefix = benchPrefix('points');
  const config = benchConfig(prefix, { SANDBOX_ENABLED: 'true', SANDBOX_DEMO: 'branch' });
  const bot = new Bot({ config, log: silentLog(), workers: false });
  const cleanup = async (): Promise<void> => {
    await bot.stop().catch(() => undefined);
    await removePrefix(prefix);
  };
  const dog = watchdog('points', 170, cleanup);
  await bot.start(0, '127.0.0.1');
  const { points } = bot.services;
  const redis = bot.redis;
  await writePointsYear(bot, prefix, CHAT, MEMBERS, DUTIES);
  const now = Date.parse('2026-12-31T20:00:00+08:00');
  const year = namedPeriod('year', 0, now, TZ);
  console.log(`${MEMBERS.length} members × ${ROUNDS} rounds ask for their year of ${DUTIES} duties (PointsService.member); baseline: a bare GET`);
  // Warm up: the first calls load and compile what the rest use.
  for (const m of MEMBERS) await points.member(CHAT, { id: m, name: m }, year, now);
  const member: number[] = [];
  const baseline: number[] = [];
  let entries = 0;
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const m of MEMBERS) {
      const t0 = performance.now();
      const mine = await points.member(CHAT, { id: m, name: m }, year, now);
      member.push(performance.now() - t0);
      entries += mine.entries.length;
      const b0 = performance.now();
      await redis.get(`${prefix}:none`);
      baseline.push(performance.now() - b0);
    }
  }
  const ranking: number[] = [];
  for (let r = 0; r < 5; r += 1) {
    const t0 = performance.now();
    await points.ranking(CHAT, year, now);
    ranking.push(performance.now() - t0);
  }
  await cleanup();
  dog.clear();

  const p = (xs: number[], q: number): number => round(percentile(xs, q), 2);
  const p95 = p(member, 95);
  console.log(`积分 本年 (one member): p50 ${p(member, 50)} ms, p95 ${p95} ms, max ${p(member, 100)} ms (target p95 ≤ ${TARGET_P95_MS} ms); ${round(entries / member.length, 1)} entries a member`);
  console.log(`bare GET (baseline): p50 ${p(baseline, 50)} ms, p95 ${p(baseline, 95)} ms; ratio of p95s ${round(p95 / Math.max(p(baseline, 95), 0.01), 1)}`);
  console.log(`积分 排行 本年 (30 members): p50 ${p(ranking, 50)} ms`);
  emit({
    bench: 'points',
    members: MEMBERS.length,
    duties: DUTIES,
    calls: member.length,
    p50_ms: p(member, 50),
    p95_ms: p95,
    baseline_p95_ms: p(baseline, 95),
    ranking_p50_ms: p(ranking, 50),
    target_p95_ms: TARGET_P95_MS,
    target_met: p95 <= TARGET_P95_MS,
  });
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
