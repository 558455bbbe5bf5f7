/**
 * `npm run bench:callback`: signed and encrypted Feishu card callbacks (参加 / 请假) through the real express app.
 *
 * A server process (bench/lib/callback-server.ts) runs the fake Feishu Open API, a started Bot with Feishu on
 * (webhook with encrypt key and verification token, workers running, so every answer's card refresh really goes
 * to the fake), a chat of 50 members with one meeting, and the baseline: a bare express route that parses JSON and
 * answers. This process only generates load, from pre-built bodies: each `card.action.trigger` event encrypted
 * (AES-256-CBC) and signed (sha256) as Feishu does. Requests go round the 50 members in turn and each member
 * alternates 参加 and 请假 (with a reason), so every request is a different operator from the one before and
 * really changes that member's answer (the bot must answer with a success toast: anything else is a mismatch).
 *
 * Figures (median of REPS interleaved repetitions):
 * - open loop at 300 requests a second (evenly spaced, latency from the due time): p50 / p99, bot and baseline;
 * - autocannon at overallRate 300 (its bursty per-second limiter), bot only, as a cross-check;
 * - peak throughput, autocannon closed loop with 32 connections, bot and baseline, and their ratio.
 * Targets: bot p99 ≤ 25 ms at 300 requests a second, and peak ≥ 30% of the baseline's.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { cardActionEvent, encryptForFeishu, feishuSignature } from '../test/fakes/feishu';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, type ReadyMessage, type StoppedMessage, type WindowMessage } from './lib/callback-shared';
import { emit, fmt, machineInfo, median, printMachine, removePrefix, round, watchdog } from './lib/common';
import { autocannonAtRate, openLoop, peak, RequestFeed, type LatencyFigures, type PeakFigures, type PreparedRequest } from './lib/load';

const RATE = Number(process.env.BENCH_RATE ?? 300);
const TARGET_P99_MS = 25;
const TARGET_PEAK_RATIO = 0.3;
const REPS = Number(process.env.BENCH_REPS ?? 3);
const FIXED_SECONDS = Number(process.env.BENCH_FIXED_SECONDS ?? 8);
const PEAK_SECONDS = Number(process.env.BENCH_PEAK_SECONDS ?? 5);
const PEAK_CONNECTIONS = 32;
/** Pre-built requests per target: an even number of rounds of the 50 members, so the 参加/请假 alternation survives wrapping. */
const ROUNDS = 400;

const ROOT = path.join(__dirname, '..');

function startServer(): { child: ChildProcess; ready: Promise<ReadyMessage>; next: <T>(type: string) => Promise<T> } {
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = fork(path.join(__dirname, 'lib', 'callback-server.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...extra],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, (m: unknown) => void>();
  child.on('message', (m: { type: string }) => {
    const w = waiting.get(m.type);
    waiting.delete(m.type);
    w?.(m);
  });
  const next = <T>(type: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not answer ${type}`)), 60000);
      waiting.set(type, (m) => {
        clearTimeout(timer);
        resolve(m as T);
      });
    });
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    next<ReadyMessage>('ready').then(resolve, reject);
  });
  return { child, ready, next };
}

function buildRequests(ready: ReadyMessage): PreparedRequest[] {
  const out: PreparedRequest[] = [];
  const ts = String(Math.floor(Date.now() / 1000));
  for (let round = 0; round < ROUNDS; round++) {
    const leave = round % 2 === 1;
    for (const operator of ready.members) {
      const event = cardActionEvent({
        chatId: ready.chatId,
        messageId: ready.messageId,
        operatorOpenId: operator,
        value: { v: 1, duty: ready.dutyId, act: leave ? 'leave' : 'attend' },
        token: VERIFICATION_TOKEN,
        ...(leave ? { formValue: { reason: '外出培训' } } : {}),
      });
      const body = JSON.stringify({ encrypt: encryptForFeishu(event, ENCRYPT_KEY) });
      const nonce = randomBytes(8).toString('hex');
      out.push({
        body: Buffer.from(body),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-lark-request-timestamp': ts,
          'x-lark-request-nonce': nonce,
          'x-lark-signature': feishuSignature(ts, nonce, ENCRYPT_KEY, body),
        },
      });
    }
  }
  return out;
}

/** The bot must answer each click with a success toast (the answer changed). */
const botAnswered = (body: string): boolean => body.includes('"type":"success"');
const baselineAnswered = (body: string): boolean => body.includes('"toast"');

async function main(): Promise<void> {
  const machine = await machineInfo();
  printMachine(machine);
  const server = startServer();
  let prefix = '';
  const dog = watchdog('callback', 170, async () => {
    server.child.kill('SIGKILL');
    if (prefix) await removePrefix(prefix);
  });
  const ready = await server.ready;
  prefix = ready.prefix;
  const prepared = buildRequests(ready);
  const botFeed = new RequestFeed(prepared);
  const baseFeed = new RequestFeed(prepared);
  const window = async <T>(fn: () => Promise<T>): Promise<{ result: T; server: WindowMessage }> => {
    server.child.send({ type: 'mark' });
    const result = await fn();
    const reply = server.next<WindowMessage>('window');
    server.child.send({ type: 'window' });
    return { result, server: await reply };
  };

  console.log(`bot: ${ready.botUrl} (Feishu on, encrypted + signed, workers running, duty of ${ready.members.length} members)`);
  console.log(`baseline: ${ready.baselineUrl} (bare express route: express.json() and res.json)`);
  console.log(`${REPS} repetitions: open loop ${RATE}/s for ${FIXED_SECONDS} s, autocannon overallRate ${RATE} for ${PEAK_SECONDS} s, peak (autocannon, ${PEAK_CONNECTIONS} connections) for ${PEAK_SECONDS} s`);

  // Warm-up: JIT, connection pools, the SDK's token.
  await peak(ready.botUrl, 8, 2, botFeed, botAnswered);
  await peak(ready.baselineUrl, 8, 1, baseFeed, baselineAnswered);

  const fixedBot: LatencyFigures[] = [];
  const fixedBase: LatencyFigures[] = [];
  const acBot: PeakFigures[] = [];
  const peakBot: PeakFigures[] = [];
  const peakBase: PeakFigures[] = [];
  const eluFixed: number[] = [];
  const eluPeak: number[] = [];
  const cpuPerReq: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const fb = await window(() => openLoop(ready.botUrl, RATE, FIXED_SECONDS, botFeed, botAnswered));
    fixedBot.push(fb.result);
    eluFixed.push(fb.server.elu);
    cpuPerReq.push(fb.server.cpuMs / Math.max(1, fb.result.sent));
    fixedBase.push(await openLoop(ready.baselineUrl, RATE, FIXED_SECONDS, baseFeed, baselineAnswered));
    acBot.push(await autocannonAtRate(ready.botUrl, RATE, 10, PEAK_SECONDS, botFeed, botAnswered));
    const pb = await window(() => peak(ready.botUrl, PEAK_CONNECTIONS, PEAK_SECONDS, botFeed, botAnswered));
    peakBot.push(pb.result);
    eluPeak.push(pb.server.elu);
    peakBase.push(await peak(ready.baselineUrl, PEAK_CONNECTIONS, PEAK_SECONDS, baseFeed, baselineAnswered));
    const f = fb.result;
    console.log(
      `  rep ${rep + 1}: open loop bot p50 ${f.p50.toFixed(1)} p99 ${f.p99.toFixed(1)} max ${f.max.toFixed(1)} ms (${f.rps.toFixed(0)}/s, server ELU ${(fb.server.elu * 100).toFixed(0)}%)` +
        ` | baseline p99 ${fixedBase[rep]?.p99.toFixed(1)} ms | autocannon@${RATE} bot p99 ${acBot[rep]?.p99} ms` +
        ` | peak bot ${fmt(pb.result.rps)}/s (ELU ${(pb.server.elu * 100).toFixed(0)}%) baseline ${fmt(peakBase[rep]?.rps ?? 0)}/s`,
    );
  }
  const stopped = server.next<StoppedMessage>('stopped');
  server.child.send({ type: 'stop' });
  const end = await stopped;
  await new Promise<void>((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', () => resolve())));

  const med = <T>(xs: readonly T[], f: (x: T) => number): number => median(xs.map(f));
  const p99 = med(fixedBot, (x) => x.p99);
  const p50 = med(fixedBot, (x) => x.p50);
  const baseP99 = med(fixedBase, (x) => x.p99);
  const acP99 = med(acBot, (x) => x.p99);
  const botPeak = med(peakBot, (x) => x.rps);
  const basePeak = med(peakBase, (x) => x.rps);
  const ratio = botPeak / basePeak;
  const sum = (xs: readonly { errors: number; non2xx: number; mismatches: number }[]): number => xs.reduce((a, x) => a + x.errors + x.non2xx + x.mismatches, 0);
  const failures = sum(fixedBot) + sum(acBot) + sum(peakBot);
  const p99Met = p99 <= TARGET_P99_MS;
  const peakMet = ratio >= TARGET_PEAK_RATIO;

  console.log('');
  console.log(`open loop ${RATE}/s  bot:      p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target ≤ ${TARGET_P99_MS} ms: ${p99Met ? 'met' : 'MISSED'}), server event loop ${(median(eluFixed) * 100).toFixed(0)}% busy, ${median(cpuPerReq).toFixed(2)} ms CPU per request`);
  console.log(`open loop ${RATE}/s  baseline: p99 ${baseP99.toFixed(1)} ms   (p99 ratio bot/baseline ${(p99 / baseP99).toFixed(1)}×)`);
  console.log(`autocannon overallRate ${RATE} bot: p99 ${acP99} ms (bursty limiter, cross-check only)`);
  console.log(`peak bot:      ${fmt(botPeak)} requests/s (server event loop ${(median(eluPeak) * 100).toFixed(0)}% busy)`);
  console.log(`peak baseline: ${fmt(basePeak)} requests/s`);
  console.log(`ratio:         bot peak is ${(ratio * 100).toFixed(1)}% of the baseline's (target ≥ ${TARGET_PEAK_RATIO * 100}%: ${peakMet ? 'met' : 'MISSED'})`);
  console.log(`checks: ${failures} bot requests failed or did not change the answer; ${end.answers} members answered, ${end.history} history entries;` +
    ` card patches on the fake ${end.patches}, fake 429s ${end.fake429}, 230020s ${end.fake230020}; card jobs ${JSON.stringify(end.refreshJobs)}`);
  dog.clear();
  emit({
    bench: 'callback',
    rate: RATE,
    p50_ms: round(p50, 2),
    p99_ms: round(p99, 2),
    baseline_p99_ms: round(baseP99, 2),
    autocannon_rate_p99_ms: acP99,
    peak_rps: Math.round(botPeak),
    baseline_peak_rps: Math.round(basePeak),
    peak_ratio: round(ratio, 3),
    server_elu_at_rate: round(median(eluFixed), 3),
    cpu_ms_per_request: round(median(cpuPerReq), 3),
    failed_requests: failures,
    reps: REPS,
    p99_target_met: p99Met,
    peak_target_met: peakMet,
    target_met: p99Met && peakMet && failures === 0,
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    console.log(JSON.stringify({ bench: 'callback', error: String(err), target_met: false }));
    process.exit(1);
  },
);
