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
import { emit, fmt, machineInfo, median, printMachine, removePrefix, round, runBench, watchdog } from './lib/common';
import { baselineAnswered, botAnswered, buildRequests, measured, startServer } from './lib/callback-run';
import type { StoppedMessage } from './lib/callback-shared';
import { autocannonAtRate, openLoop, peak, RequestFeed, type LatencyFigures, type PeakFigures } from './lib/load';

const RATE = Number(process.env.BENCH_RATE ?? 300);
const TARGET_P99_MS = 25;
const TARGET_PEAK_RATIO = 0.3;
const REPS = Number(process.env.BENCH_REPS ?? 3);
const FIXED_SECONDS = Number(process.env.BENCH_FIXED_SECONDS ?? 8);
const PEAK_SECONDS = Number(process.env.BENCH_PEAK_SECONDS ?? 5);
const PEAK_CONNECTIONS = 32;

async function main(): Promise<void> {
  const machine = await machineInfo();
  printMachine(machine);
  const server = startServer();
  let prefix = '';
  const dog = watchdog('callback', 175, async () => {
    server.child.kill('SIGKILL');
    if (prefix) await removePrefix(prefix);
  });
  const ready = await server.ready;
  prefix = ready.prefix;
  const prepared = buildRequests(ready);
  const botFeed = new RequestFeed(prepared);
  const baseFeed = new RequestFeed(prepared);

  console.log(`bot: ${ready.botUrl} (Feishu on, encrypted + signed, workers ${ready.workers ? 'running' : 'OFF'}, one meeting of ${ready.members.length} members)`);
  console.log(`baseline: ${ready.baselineUrl} (bare express route: express.json() and res.json, same bodies)`);
  console.log(
    `${REPS} repetitions of: open loop ${RATE}/s for ${FIXED_SECONDS} s (bot, baseline), autocannon overallRate ${RATE} for ${PEAK_SECONDS} s (bot),` +
      ` peak = autocannon closed loop, ${PEAK_CONNECTIONS} connections, ${PEAK_SECONDS} s (bot, baseline)`,
  );

  // Warm-up: JIT, connection pools, the SDK's token.
  await peak(ready.botUrl, 8, 2, botFeed, botAnswered);
  await peak(ready.baselineUrl, 8, 1, baseFeed, baselineAnswered);

  const fixedBot: LatencyFigures[] = [];
  const fixedBase: LatencyFigures[] = [];
  const acBot: PeakFigures[] = [];
  const peakBot: PeakFigures[] = [];
  const peakBase: PeakFigures[] = [];
  const ratios: number[] = [];
  const eluFixed: number[] = [];
  const eluPeak: number[] = [];
  const cpuPerReq: number[] = [];
  const baseCpuPerReq: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const fb = await measured(server, () => openLoop(ready.botUrl, RATE, FIXED_SECONDS, botFeed, botAnswered));
    fixedBot.push(fb.result);
    eluFixed.push(fb.server.elu);
    const base = await openLoop(ready.baselineUrl, RATE, FIXED_SECONDS, baseFeed, baselineAnswered);
    fixedBase.push(base);
    const ac = await autocannonAtRate(ready.botUrl, RATE, 10, PEAK_SECONDS, botFeed, botAnswered);
    acBot.push(ac);
    const pb = await measured(server, () => peak(ready.botUrl, PEAK_CONNECTIONS, PEAK_SECONDS, botFeed, botAnswered));
    peakBot.push(pb.result);
    eluPeak.push(pb.server.elu);
    cpuPerReq.push(pb.server.cpuMs / Math.max(1, pb.result.total));
    const { result: pbase, server: baseServer } = await measured(server, () => peak(ready.baselineUrl, PEAK_CONNECTIONS, PEAK_SECONDS, baseFeed, baselineAnswered));
    peakBase.push(pbase);
    baseCpuPerReq.push(baseServer.cpuMs / Math.max(1, pbase.total));
    ratios.push(pb.result.rps / pbase.rps);
    const f = fb.result;
    console.log(
      `  rep ${rep + 1}: open loop bot p50 ${f.p50.toFixed(1)} p99 ${f.p99.toFixed(1)} max ${f.max.toFixed(1)} ms (${f.rps.toFixed(0)}/s, server event loop ${(fb.server.elu * 100).toFixed(0)}% busy)` +
        ` | baseline p99 ${base.p99.toFixed(1)} ms | autocannon@${RATE} bot p99 ${ac.p99} ms` +
        ` | peak bot ${fmt(pb.result.rps)}/s (${(pb.server.elu * 100).toFixed(0)}% busy), baseline ${fmt(pbase.rps)}/s, ratio ${(pb.result.rps / pbase.rps * 100).toFixed(1)}%`,
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
  const ratio = median(ratios);
  const bot = [...fixedBot, ...acBot, ...peakBot];
  const hardFailures = bot.reduce((a, x) => a + x.errors + x.non2xx, 0);
  const unchanged = bot.reduce((a, x) => a + x.mismatches, 0);
  // Requests past the pre-built set repeat an event id (the bot's short path): none should have been sent.
  const replayed = Math.max(0, botFeed.taken - prepared.length);
  const p99Met = p99 <= TARGET_P99_MS;
  const peakMet = ratio >= TARGET_PEAK_RATIO;

  console.log('');
  console.log(
    `open loop ${RATE}/s, bot:      p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target ≤ ${TARGET_P99_MS} ms: ${p99Met ? 'met' : 'MISSED'});` +
      ` server event loop ${(median(eluFixed) * 100).toFixed(0)}% busy`,
  );
  console.log(`open loop ${RATE}/s, baseline: p99 ${baseP99.toFixed(1)} ms (bot p99 is ${(p99 / baseP99).toFixed(1)}× the baseline's)`);
  console.log(`autocannon overallRate ${RATE}, bot: p99 ${acP99} ms (autocannon's bursty per-second limiter: cross-check only)`);
  console.log(`peak, bot:      ${fmt(botPeak)} requests/s (server event loop ${(median(eluPeak) * 100).toFixed(0)}% busy, ${median(cpuPerReq).toFixed(2)} ms of server CPU per request)`);
  console.log(`peak, baseline: ${fmt(basePeak)} requests/s (${median(baseCpuPerReq).toFixed(3)} ms of server CPU per request)`);
  console.log(`ratio:          bot peak is ${(ratio * 100).toFixed(1)}% of the baseline's, median of per-repetition ratios (target ≥ ${TARGET_PEAK_RATIO * 100}%: ${peakMet ? 'met' : 'MISSED'})`);
  console.log(
    `CPU-time ratio: the baseline needs ${((median(baseCpuPerReq) / median(cpuPerReq)) * 100).toFixed(1)}% of the bot's CPU time per request` +
      ' (what the throughput ratio would be with a whole core each: less moved by other load on the machine)',
  );
  console.log(
    `checks: ${hardFailures} bot requests failed (error or non-2xx); ${unchanged} answered without a success toast (the answer did not change: see bench/README.md);` +
      ` ${fmt(botFeed.taken)} bot requests from ${fmt(prepared.length)} pre-built (${replayed} replayed: ${replayed === 0 ? 'none, as it should be' : 'RAISE BENCH_CALLBACK_ROUNDS'});` +
      ` ${end.answers} members answered, ${end.history} history entries; ${end.patches} card patches on the fake, fake 429s ${end.fake429}, 230020s ${end.fake230020};` +
      ` card queue ${JSON.stringify(end.refreshJobs)}`,
  );
  dog.clear();
  emit({
    bench: 'callback',
    ...(ready.workers ? {} : { workers: false }),
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
    baseline_cpu_ms_per_request: round(median(baseCpuPerReq), 3),
    cpu_ratio: round(median(baseCpuPerReq) / median(cpuPerReq), 3),
    failed_requests: hardFailures,
    unchanged_answers: unchanged,
    replayed_requests: replayed,
    reps: REPS,
    load_average: machine.load,
    p99_target_met: p99Met,
    peak_target_met: peakMet,
    target_met: p99Met && peakMet && hardFailures === 0,
  });
}

runBench('callback', main);
