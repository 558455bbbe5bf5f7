/**
 * `npm run bench:fanout`: 2,000 reminders due at the same moment across 200 chats, sent to the fake Feishu, which
 * enforces 50 requests a second per app (HTTP 429 past it) and 5 a second per chat (code 230020).
 *
 * A started Bot (Feishu on, workers running, REMINDER_CONCURRENCY as configured, default 20) is seeded through its
 * own store and planner: 200 chats with a cached roster of 10 members, 10 meetings in each whose one reminder
 * (1 hour before) comes due at the same moment T. The duties are created in a shuffled order (fixed seed); the
 * workers then take the due jobs interleaved across chats, as they would reminders of many secretaries.
 *
 * Figures: time from T until the fake holds all 2,000 reminder cards; 429s and 230020s the fake answered; reminder
 * cards per duty on the fake (counted from the card contents, so a second send would show even though the fake
 * would dedupe a repeated uuid), and the message API calls the fake took. The bound is 2,000 / 50 = 40 s.
 * Targets: done within 1.1 × the bound (44 s), no 429, no reminder sent twice.
 *
 * BENCH_FANOUT_FIXES (comma list) runs a bench-local experiment of the fixes proposed in bench/README.md:
 *   `pacer`:    RatePacer.acquire takes the chat (and message) slot first, sleeps until it, and only then takes the
 *               app slot, instead of reserving all buckets at once (which moves the app bucket to the chat's slot);
 *   `interval`: PACE.appIntervalMs 21 instead of 22 (47.6 requests a second instead of 45.5).
 */
import { Bot } from '../src/bot';
import { PACE } from '../src/platforms/feishu/client';
import type { PaceBucket, RatePacer } from '../src/store/rate-pacer';
import { FakeFeishu } from '../test/fakes/feishu';
import { seededRandom } from '../test/fakes/shared/faults';
import { benchConfig, benchPrefix, emit, machineInfo, pool, printMachine, removePrefix, round, runBench, silentLog, sleep, watchdog } from './lib/common';

const CHATS = 200;
const PER_CHAT = 10;
const MEMBERS = 10;
const TOTAL = CHATS * PER_CHAT;
const APP_PER_SECOND = 50;
const CHAT_PER_SECOND = 5;
const BOUND_S = TOTAL / APP_PER_SECOND;
const TARGET_S = 1.1 * BOUND_S;
/** Give up waiting this long after T (the bench then reports what arrived). */
const MAX_WAIT_S = Number(process.env.BENCH_FANOUT_MAX_WAIT_S ?? 100);

const chatIdOf = (i: number): string => `oc_fanout${String(i).padStart(22, '0')}`;
const memberOf = (i: number): string => `ou_fanoutmember${String(i).padStart(17, '0')}`;

type Fix = 'pacer' | 'interval';
const FIXES = (process.env.BENCH_FANOUT_FIXES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Fix[];
for (const f of FIXES) if (f !== 'pacer' && f !== 'interval') throw new Error(`unknown fix ${f} (pacer, interval)`);

function applyFixes(bot: Bot): void {
  if (FIXES.includes('interval')) (PACE as { appIntervalMs: number }).appIntervalMs = 21;
  if (FIXES.includes('pacer')) {
    const pacer: RatePacer = bot.pacer;
    const acquireAll = pacer.acquire.bind(pacer);
    // The narrow buckets (chat, message) first, then the app bucket once their slot has come: an app slot is
    // never booked for a moment a chat makes the request wait for.
    pacer.acquire = async (buckets: readonly PaceBucket[], lateToleranceMs?: number): Promise<void> => {
      const narrow = buckets.filter((b) => !b.name.endsWith(':app'));
      const app = buckets.filter((b) => b.name.endsWith(':app'));
      if (narrow.length > 0) await acquireAll(narrow, lateToleranceMs);
      if (app.length > 0) await acquireAll(app, lateToleranceMs);
    };
  }
}

let cleanup = async (): Promise<void> => undefined;

async function main(): Promise<void> {
  const machine = await machineInfo();
  printMachine(machine);
  const prefix = benchPrefix('fanout');
  const fake = new FakeFeishu({ appPerSecond: APP_PER_SECOND, chatPerSecond: CHAT_PER_SECOND });
  const fakeUrl = await fake.start();
  const config = benchConfig(prefix, {
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_VERIFICATION_TOKEN: 'vt_luoshi_bench_fanout',
    FEISHU_BASE_URL: fakeUrl,
  });
  const bot = new Bot({ config, log: silentLog() });
  cleanup = async () => {
    await bot.stop().catch(() => undefined);
    await fake.stop();
    await removePrefix(prefix);
  };
  const dog = watchdog('fanout', 178, cleanup);
  applyFixes(bot);
  await bot.start(0, '127.0.0.1');
  const { chats, duties, planner } = bot.services;
  console.log(
    `${TOTAL.toLocaleString('en-US')} reminders in ${CHATS} chats (${PER_CHAT} each, rosters of ${MEMBERS}), fake Feishu at ${APP_PER_SECOND}/s per app and ${CHAT_PER_SECOND}/s per chat;` +
      ` client pacing ${PACE.appIntervalMs} ms per app, ${PACE.chatIntervalMs} ms per chat; REMINDER_CONCURRENCY ${config.REMINDER_CONCURRENCY}`,
  );
  if (FIXES.length > 0) console.log(`EXPERIMENT: proposed fixes applied in the bench: ${FIXES.join(', ')}`);

  // Seed: rosters, then the duties in a shuffled order, with T far enough ahead for the seeding to finish.
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ id: memberOf(i), name: `党员${i + 1}` }));
  const seedStart = Date.now();
  const T = seedStart + Number(process.env.BENCH_FANOUT_LEAD_S ?? 25) * 1000;
  for (let c = 0; c < CHATS; c++) {
    fake.addChat({ chatId: chatIdOf(c), name: `支部${c}`, ownerId: memberOf(0), managers: [], members: members.map((m) => ({ open_id: m.id, name: m.name })) });
  }
  await pool(
    Array.from({ length: CHATS }, (_, c) => c),
    16,
    (c) => chats.saveRoster({ platform: 'feishu', chatId: chatIdOf(c) }, members, seedStart, `支部${c}`),
  );
  // Duty k belongs to chat k % CHATS. (The workers take due jobs in the order of their due score, which carries
  // the few milliseconds each creation took, so the creation order matters little; shuffled all the same.)
  const order = Array.from({ length: TOTAL }, (_, i) => i);
  const random = seededRandom(2026);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const dutyIds = new Set<string>();
  let planned = 0;
  await pool(order, 16, async (k) => {
    const chat = { platform: 'feishu' as const, chatId: chatIdOf(k % CHATS) };
    const now = Date.now();
    const duty = await duties.create(
      { chat, kind: 'meeting', label: '会议', title: `支部会议${k}`, at: T + 3600_000, organizer: members[0] ?? { id: 'x', name: 'x' }, audience: members.map((m) => m.id), reminderOffsets: [60] },
      now,
    );
    dutyIds.add(duty.id);
    const n = await planner.plan(duty, now);
    planned += n;
  });
  const seeded = Date.now();
  console.log(`seeded ${dutyIds.size} duties (${planned} jobs: reminder + escalation each) in ${((seeded - seedStart) / 1000).toFixed(1)} s; T is ${((T - seeded) / 1000).toFixed(1)} s later`);
  if (seeded > T - 1000) throw new Error('seeding took too long: raise BENCH_FANOUT_LEAD_S');
  const reminderCount = await bot.queues.reminders.getDelayedCount();

  // Wait for T, then for every reminder card on the fake.
  await sleep(T - Date.now());
  const dutyOf = (content: unknown): string | undefined => /"duty":"([a-z0-9]+)"/.exec(JSON.stringify(content))?.[1];
  const progress: string[] = [];
  let lastMark = T;
  let doneAt: number | undefined;
  while (Date.now() - T < MAX_WAIT_S * 1000) {
    const n = fake.messages.length;
    if (Date.now() - lastMark >= 10000) {
      lastMark += 10000;
      progress.push(`${Math.round((lastMark - T) / 1000)} s: ${n}`);
    }
    if (n >= TOTAL) {
      doneAt = fake.messages[TOTAL - 1]?.createdAt ?? Date.now();
      break;
    }
    await sleep(50);
  }
  // Anything sent twice would arrive now.
  await sleep(2000);
  const perDuty = new Map<string, number>();
  let reminderCards = 0;
  let firstAt = Number.POSITIVE_INFINITY;
  for (const m of fake.messages) {
    const id = m.msgType === 'interactive' ? dutyOf(m.content) : undefined;
    if (!id || !dutyIds.has(id)) continue;
    reminderCards += 1;
    firstAt = Math.min(firstAt, m.createdAt);
    perDuty.set(id, (perDuty.get(id) ?? 0) + 1);
  }
  const twice = [...perDuty.values()].filter((n) => n > 1).length;
  const missing = [...dutyIds].filter((id) => !perDuty.has(id)).length;
  const stats = fake.stats();
  const messageCalls = stats.byPath['/open-apis/im/v1/messages'] ?? 0;
  const counts = await bot.queues.reminders.getJobCounts('completed', 'failed', 'delayed', 'waiting', 'active');
  const seconds = doneAt !== undefined ? (doneAt - T) / 1000 : Number.NaN;
  const lastAt = Math.max(...fake.messages.map((m) => m.createdAt));
  const rate = reminderCards / Math.max(0.001, (lastAt - T) / 1000);

  await bot.stop();
  await fake.stop();
  await removePrefix(prefix);
  dog.clear();

  const noDup = twice === 0 && missing === 0;
  const timeMet = Number.isFinite(seconds) && seconds <= TARGET_S;
  const no429 = stats.rateLimited429 === 0;
  console.log(`progress after T (cards on the fake): ${progress.join(', ') || '-'}`);
  console.log(
    `done: ${Number.isFinite(seconds) ? `${seconds.toFixed(2)} s` : `NOT within ${MAX_WAIT_S} s (${reminderCards} of ${TOTAL})`} after T` +
      ` (bound ${BOUND_S} s at ${APP_PER_SECOND}/s: ratio ${(seconds / BOUND_S).toFixed(3)}; target ≤ ${TARGET_S} s: ${timeMet ? 'met' : 'MISSED'})`,
  );
  console.log(`first card ${((firstAt - T) / 1000).toFixed(3)} s after T; mean rate ${rate.toFixed(1)} cards/s (client pacing allows ${(1000 / PACE.appIntervalMs).toFixed(1)}/s)`);
  console.log(`fake: ${stats.rateLimited429} × 429 (target 0: ${no429 ? 'met' : 'MISSED'}), ${stats.rateLimited230020} × 230020 (chat limit); ${messageCalls} message API calls for ${TOTAL} reminders`);
  console.log(`duplicates: ${twice} duties got more than one reminder card, ${missing} got none (target: none twice: ${noDup ? 'met' : 'MISSED'}); reminder jobs ${reminderCount} delayed at seeding, now ${JSON.stringify(counts)}`);
  emit({
    bench: 'fanout',
    ...(FIXES.length > 0 ? { experiment_fixes: FIXES.join(',') } : {}),
    reminders: TOTAL,
    chats: CHATS,
    seconds: round(seconds, 2),
    bound_s: BOUND_S,
    ratio_to_bound: round(seconds / BOUND_S, 3),
    target_s: TARGET_S,
    cards_per_s: round(rate, 1),
    first_card_s: round((firstAt - T) / 1000, 3),
    http_429: stats.rateLimited429,
    chat_limit_230020: stats.rateLimited230020,
    message_api_calls: messageCalls,
    sent_twice: twice,
    missing,
    app_interval_ms: PACE.appIntervalMs,
    concurrency: config.REMINDER_CONCURRENCY,
    load_average: machine.load,
    time_target_met: timeMet,
    no_429_met: no429,
    no_duplicate_met: noDup,
    target_met: timeMet && no429 && noDup,
  });
}

runBench('fanout', main, () => cleanup());
