/**
 * `npx tsx bench/circular.bench.ts` (bench:circular): the committee's circular (通报) over a large organisation (issue 15).
 *
 * A Bot on the sandbox (workers off) against a private redis-server (127.0.0.1, free port, no persistence; the
 * shipped redis.conf's hash-max-listpack-value 512), so that INFO memory measures only this bench. The organisation:
 * 1 工委, 20 机关党委 and 500 党支部 (25 under each) × 30 members, every unit bound to its own console chat, and a year
 * of 三会一课 for each branch — 50 duties (12 支委会, 12 主题党日, 4 支部党员大会, 4 党课, 18 reports): 25,000 duties —
 * written through DutyRepo.createMany, then their answers, sign-ins and minutes straight to the store with pipelines
 * as the commands would leave them (750,000 answers, 480,000 sign-ins).
 *
 * Measured: `通报 本年` in the 工委's chat (all 500 branches) and in a 机关党委's (25), as the handler runs it
 * (CircularService.committeeOf + circular + the text + the signed link): the 工委's first after seeding (cold: no
 * duty has a summary yet, src/app/circular-figures.ts computes and stores them), then BENCH_REPS warm ones; a member's 积分 for the year
 * (PointsService.member); Redis used_memory per member-year: (after − before seeding) ÷ 15,000.
 *
 * Targets: 通报 本年 p95 ≤ 2 s; a member's year p95 ≤ 20 ms; ≤ 40 KB per member-year.
 */
import { Redis } from 'ioredis';
import { Bot } from '../src/bot';
import { circularText } from '../src/domain/circular';
import { namedPeriod } from '../src/domain/stats-period';
import type { Category } from '../src/domain/categories';
import type { ChatRef, DutyKind, Member } from '../src/domain/types';
import type { NewDuty } from '../src/store/duty-writes';
import { benchConfig, benchPrefix, emit, fmt, machineInfo, percentile, printMachine, privateRedis, removePrefix, round, silentLog, watchdog } from './lib/common';

const COMMITTEES = Number(process.env.BENCH_CIRCULAR_COMMITTEES ?? 20);
const PER_COMMITTEE = Number(process.env.BENCH_CIRCULAR_BRANCHES ?? 25);
const MEMBERS = 30;
const REPS = Number(process.env.BENCH_REPS ?? 5);
const TARGET_CIRCULAR_MS = 2000;
const TARGET_MEMBER_MS = 20;
const TARGET_BYTES = 40 * 1024;
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

/** The year of one branch: what, when (day of year, 15:00 Beijing) and its category. */
function yearPlan(): { kind: DutyKind; title: string; category: Category; day: number }[] {
  const plan: { kind: DutyKind; title: string; category: Category; day: number }[] = [];
  for (let m = 0; m < 12; m++) {
    plan.push({ kind: 'meeting', title: '支部委员会', category: '支委会', day: m * 30 + 5 });
    plan.push({ kind: 'meeting', title: '主题党日', category: '主题党日', day: m * 30 + 12 });
    if (m % 3 === 1) plan.push({ kind: 'meeting', title: '支部党员大会', category: '支部党员大会', day: m * 30 + 18 });
    if (m % 3 === 2) plan.push({ kind: 'study', title: '党课', category: '党课', day: m * 30 + 20 });
  }
  for (let i = 0; i < 18; i++) plan.push({ kind: 'report', title: `思想汇报${i + 1}`, category: '述职' as Category, day: i * 20 + 10 });
  return plan;
}

async function main(): Promise<void> {
  const own = await privateRedis({ 'hash-max-listpack-value': '512', 'maxmemory-policy': 'noeviction' });
  const url = own.url;
  printMachine(await machineInfo(url));
  const prefix = benchPrefix('circular');
  const config = benchConfig(prefix, { SANDBOX_ENABLED: 'true', SANDBOX_DEMO: 'branch', REDIS_URL: url });
  const bot = new Bot({ config, log: silentLog(), workers: false });
  const redis = new Redis(url);
  const cleanup = async (): Promise<void> => {
    await bot.stop().catch(() => undefined);
    await removePrefix(prefix, url).catch(() => undefined);
    redis.disconnect();
    await own.stop();
  };
  const dog = watchdog('circular', 900, cleanup);
  await bot.start(0, '127.0.0.1');
  const sandbox = bot.sandbox;
  if (!sandbox) throw new Error('sandbox is off');
  const { duties, units, circular, points } = bot.services;
  const memoryBefore = await usedMemory(redis);
  const seed0 = performance.now();

  // The tree, each unit bound to its console chat.
  const lines = ['units:', '  - name: 市直机关工委', '    chat: sandbox:gw'];
  const branches: { chat: ChatRef; members: Member[] }[] = [];
  for (let c = 0; c < COMMITTEES; c++) {
    lines.push(`  - name: 第${c + 1}机关党委`, '    parent: 市直机关工委', `    chat: sandbox:j${c}`);
    for (let b = 0; b < PER_COMMITTEE; b++) {
      const id = `b${c}-${b}`;
      lines.push(`  - name: 第${c + 1}-${b + 1}党支部`, `    parent: 第${c + 1}机关党委`, `    chat: sandbox:${id}`);
      const members = Array.from({ length: MEMBERS }, (_, j): Member => ({ id: `${id}-m${j}`, name: `党员${id}-${j}`, platformRole: j === 0 ? 'owner' : 'member' }));
      branches.push({ chat: { platform: 'sandbox', chatId: id }, members });
    }
  }
  await units.importOrgFile(`${lines.join('\n')}\n`, 'bench', Date.now());
  await sandbox.repo.saveChat({ id: 'gw', name: '工委群' }, [{ id: 'w1', name: '书记', platformRole: 'owner' }]);

  const yearStart = Date.parse('2026-01-01T15:00:00+08:00');
  const plan = yearPlan();
  let answers = 0;
  let signins = 0;
  let written = 0;
  for (const branch of branches) {
    await sandbox.repo.saveChat({ id: branch.chat.chatId, name: `${branch.chat.chatId}群` }, branch.members);
    const audience = branch.members.map((m) => m.id);
    const organizer = { id: audience[0] ?? 'x', name: '书记' };
    const inputs: NewDuty[] = plan.map((p) => ({
      chat: branch.chat,
      kind: p.kind,
      label: p.kind === 'report' ? '报告' : p.kind === 'study' ? '学习' : '会议',
      title: p.title,
      category: p.category,
      at: yearStart + p.day * DAY,
      organizer,
      audience,
      reminderOffsets: [],
    }));
    const created = await duties.createMany(inputs, yearStart - DAY);
    written += created.length;
    const pipe = redis.pipeline();
    for (const duty of created) {
      const at = duty.at;
      const hash: string[] = [];
      const signs: string[] = [];
      audience.forEach((m, j) => {
        if (duty.kind === 'report') {
          if (j % 6 !== 5) hash.push(m, JSON.stringify({ memberId: m, status: 'submitted', at: at - 3_600_000, ...(j % 7 === 0 ? { late: true } : {}) }));
          return;
        }
        hash.push(m, JSON.stringify(j % 10 === 9 ? { memberId: m, status: 'leave', reason: '出差', at: at - 3_600_000 } : { memberId: m, status: 'attending', at: at - 3_600_000 }));
        if (j % 10 !== 9 && j % 8 !== 7) signs.push(m, JSON.stringify({ status: 'present', at: at + 60_000, by: m, how: 'text', ...(j % 9 === 0 ? { late: true } : {}) }));
      });
      answers += hash.length / 2;
      signins += signs.length / 2;
      if (hash.length > 0) pipe.hset(`${prefix}:duty:${duty.id}:answers`, ...hash);
      if (signs.length > 0) pipe.hset(`${prefix}:duty:${duty.id}:signins`, ...signs);
      if (duty.kind !== 'report') pipe.set(`${prefix}:duty:${duty.id}:minutes`, JSON.stringify({ text: '纪要', by: organizer, at: at + DAY }));
    }
    await pipe.exec();
  }
  const seedMs = performance.now() - seed0;
  const memoryAfter = await usedMemory(redis);
  const memberYears = branches.length * MEMBERS;
  const perMember = (memoryAfter - memoryBefore) / memberYears;
  console.log(`seeded ${fmt(written)} duties, ${fmt(answers)} answers, ${fmt(signins)} sign-ins for ${fmt(memberYears)} members in ${round(seedMs / 1000, 1)} s`);

  const now = Date.parse('2026-12-31T20:00:00+08:00');
  const year = namedPeriod('year', 0, now, TZ);
  const links = bot.reportLinks;
  /** What the 通报 handler runs after the dispatcher: the unit, the rows, the link, the text. */
  const circularOnce = async (chat: ChatRef): Promise<{ ms: number; rows: number }> => {
    const t0 = performance.now();
    const committee = await circular.committeeOf(chat);
    const result = await circular.circular(committee, 'year', year, now);
    const text = circularText(result, { url: await links.circularLink(chat, year, now), days: links.days });
    if (text.length === 0) throw new Error('empty circular');
    return { ms: performance.now() - t0, rows: result.rows.length };
  };
  // Cold: the first 通报 after seeding, when no duty has a summary yet (each is computed from its records and stored).
  const cold = await circularOnce({ platform: 'sandbox', chatId: 'gw' });
  // What the stored summaries take (P:duty:D:summary, one per duty that is over).
  const summaryBytes = (await usedMemory(redis)) - memoryAfter;
  const gw: number[] = [];
  let gwRows = cold.rows;
  for (let r = 0; r < REPS; r++) {
    const run = await circularOnce({ platform: 'sandbox', chatId: 'gw' });
    gw.push(run.ms);
    gwRows = run.rows;
  }
  const jg: number[] = [];
  for (let r = 0; r < REPS + 1; r++) {
    const run = await circularOnce({ platform: 'sandbox', chatId: `j${r % COMMITTEES}` });
    if (r > 0) jg.push(run.ms);
  }
  const member: number[] = [];
  for (let r = 0; r < 60; r++) {
    const branch = branches[(r * 37) % branches.length];
    const m = branch?.members[r % MEMBERS];
    if (!branch || !m) continue;
    const t0 = performance.now();
    await points.member(branch.chat, { id: m.id, name: m.name }, year, now);
    if (r >= 10) member.push(performance.now() - t0);
  }
  // Where one branch's row goes: its ledger (督查, attendance, reports) and its 积分 ranking, 20 branches each.
  const ledgerMs: number[] = [];
  const pointsMs: number[] = [];
  for (let r = 0; r < 20; r++) {
    const branch = branches[(r * 53) % branches.length];
    if (!branch) continue;
    const t0 = performance.now();
    await bot.services.ledger.ledger(branch.chat, year, now);
    ledgerMs.push(performance.now() - t0);
    const t1 = performance.now();
    await points.chatAverage(branch.chat, year, now);
    pointsMs.push(performance.now() - t1);
  }
  await cleanup();
  dog.clear();

  const p = (xs: number[], q: number): number => round(percentile(xs, q), 1);
  console.log(`通报 本年, 机关党委 (${PER_COMMITTEE} branches): p50 ${p(jg, 50)} ms, p95 ${p(jg, 95)} ms`);
  console.log(`通报 本年, 工委 (${gwRows} units), cold (first after seeding, no summaries yet): ${round(cold.ms, 1)} ms`);
  console.log(`通报 本年, 工委 (${gwRows} units), warm: p50 ${p(gw, 50)} ms, p95 ${p(gw, 95)} ms (target p95 ≤ ${TARGET_CIRCULAR_MS} ms)`);
  console.log(`one branch's year, alone: ledger p50 ${p(ledgerMs, 50)} ms, 积分 ranking p50 ${p(pointsMs, 50)} ms`);
  console.log(`积分 本年 (one member): p50 ${p(member, 50)} ms, p95 ${p(member, 95)} ms (target ≤ ${TARGET_MEMBER_MS} ms)`);
  console.log(`memory: ${fmt(memoryAfter - memoryBefore)} bytes for ${fmt(memberYears)} member-years = ${fmt(perMember)} bytes each (target ≤ ${TARGET_BYTES})`);
  console.log(`duty summaries stored by the first 通报: ${fmt(summaryBytes)} bytes = ${fmt(summaryBytes / memberYears)} per member-year`);
  emit({
    bench: 'circular',
    units: gwRows,
    duties: written,
    answers,
    signins,
    committee_p95_ms: p(jg, 95),
    top_cold_ms: round(cold.ms, 1),
    top_p95_ms: p(gw, 95),
    member_p95_ms: p(member, 95),
    branch_ledger_p50_ms: p(ledgerMs, 50),
    branch_points_p50_ms: p(pointsMs, 50),
    bytes_per_member_year: Math.round(perMember),
    summary_bytes_per_member_year: Math.round(summaryBytes / memberYears),
    target_met: p(gw, 95) <= TARGET_CIRCULAR_MS && p(member, 95) <= TARGET_MEMBER_MS && perMember <= TARGET_BYTES,
  });
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
