/**
 * `npm run bench:callback-fixes`: before/after of the fixes proposed for bench:callback, measured side by side.
 *
 * Starts one server process per configuration (bench/lib/callback-server.ts): the code as it is, and each set of
 * bench-local fixes from bench/lib/callback-fixes.ts (BENCH_FIX_SETS, sets separated by `;`, fixes by `,`). The
 * servers run at the same time but are loaded one after the other, in an order that rotates every repetition, so
 * a busy machine weighs on all of them alike. Per configuration: p99 of an open loop at 300 requests a second,
 * peak throughput (autocannon, 32 connections) and its ratio to the baseline (bare express route, measured in the
 * same repetition), and the server's CPU time per request during the peak run (the figure least moved by other
 * load on the machine). Medians of REPS repetitions.
 */
import { emit, fmt, machineInfo, median, printMachine, removePrefix, round, watchdog } from './lib/common';
import { baselineAnswered, botAnswered, buildRequests, measured, startServer, type ServerHandle } from './lib/callback-run';
import type { ReadyMessage } from './lib/callback-shared';
import { openLoop, peak, RequestFeed } from './lib/load';

const RATE = 300;
const REPS = Number(process.env.BENCH_REPS ?? 3);
const FIXED_SECONDS = Number(process.env.BENCH_FIXED_SECONDS ?? 4);
const PEAK_SECONDS = Number(process.env.BENCH_PEAK_SECONDS ?? 3);
const SETS = ['', ...(process.env.BENCH_FIX_SETS ?? 'token,roster;all').split(';').map((s) => s.trim())];

interface Config {
  name: string;
  server: ServerHandle;
  ready: ReadyMessage;
  feed: RequestFeed;
  p99: number[];
  peak: number[];
  ratio: number[];
  cpu: number[];
  failures: number;
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  printMachine(machine);
  const servers = SETS.map((fixes) => ({ fixes, server: startServer({ BENCH_CALLBACK_FIXES: fixes }) }));
  const prefixes: string[] = [];
  const dog = watchdog('callback-fixes', 179, async () => {
    for (const s of servers) s.server.child.kill('SIGKILL');
    for (const p of prefixes) await removePrefix(p);
  });
  const configs: Config[] = [];
  for (const { fixes, server } of servers) {
    const ready = await server.ready;
    prefixes.push(ready.prefix);
    configs.push({ name: fixes || 'as is', server, ready, feed: new RequestFeed(buildRequests(ready)), p99: [], peak: [], ratio: [], cpu: [], failures: 0 });
  }
  const first = configs[0];
  if (!first) throw new Error('no configuration');
  const baseFeed = new RequestFeed(buildRequests(first.ready));
  console.log(`configurations: ${configs.map((c) => c.name).join(' | ')}; ${REPS} repetitions, order rotating`);
  for (const c of configs) await peak(c.ready.botUrl, 8, 1.5, c.feed, botAnswered);
  await peak(first.ready.baselineUrl, 8, 1, baseFeed, baselineAnswered);

  const baseCpu: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const order = configs.map((_, i) => configs[(i + rep) % configs.length] as Config);
    for (const c of order) {
      const r = await openLoop(c.ready.botUrl, RATE, FIXED_SECONDS, c.feed, botAnswered, 3000);
      c.p99.push(r.p99);
      c.failures += r.errors + r.non2xx;
    }
    const { result: base, server: baseServer } = await measured(first.server, () => peak(first.ready.baselineUrl, 32, PEAK_SECONDS, baseFeed, baselineAnswered));
    baseCpu.push(baseServer.cpuMs / Math.max(1, base.total));
    for (const c of order) {
      const { result: p, server } = await measured(c.server, () => peak(c.ready.botUrl, 32, PEAK_SECONDS, c.feed, botAnswered));
      c.peak.push(p.rps);
      c.cpu.push(server.cpuMs / Math.max(1, p.total));
      c.ratio.push(p.rps / base.rps);
      c.failures += p.errors + p.non2xx;
    }
    console.log(`  rep ${rep + 1}: baseline peak ${fmt(base.rps)}/s; ` + configs.map((c) => `${c.name}: p99 ${c.p99[rep]?.toFixed(1)} ms, peak ${fmt(c.peak[rep] ?? 0)}/s`).join('; '));
  }
  for (const c of configs) c.server.child.send({ type: 'stop' });
  await Promise.all(configs.map((c) => new Promise<void>((resolve) => (c.server.child.exitCode !== null ? resolve() : c.server.child.once('exit', () => resolve())))));
  dog.clear();

  console.log('');
  const baseCpuMs = median(baseCpu);
  console.log(`baseline (bare express route): ${baseCpuMs.toFixed(3)} ms of CPU per request`);
  console.log(
    `${'configuration'.padEnd(34)} ${'p99 @300/s'.padStart(11)} ${'peak/s'.padStart(8)} ${'of baseline'.padStart(12)} ${'CPU/request'.padStart(12)} ${'CPU ratio'.padStart(10)}`,
  );
  const rows = configs.map((c) => ({
    name: c.name,
    p99: median(c.p99),
    peak: median(c.peak),
    ratio: median(c.ratio),
    cpu: median(c.cpu),
    failures: c.failures,
  }));
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(34)} ${`${r.p99.toFixed(1)} ms`.padStart(11)} ${fmt(r.peak).padStart(8)} ${`${(r.ratio * 100).toFixed(1)}%`.padStart(12)} ${`${r.cpu.toFixed(2)} ms`.padStart(12)} ${`${((baseCpuMs / r.cpu) * 100).toFixed(1)}%`.padStart(10)}`,
    );
  }
  const best = rows[rows.length - 1];
  const asIs = rows[0];
  if (!best || !asIs) throw new Error('no rows');
  console.log(`targets: p99 ≤ 25 ms at 300/s, peak ≥ 30% of the baseline's. With "${best.name}": ${best.p99 <= 25 ? 'p99 met' : 'p99 missed'}, ${best.ratio >= 0.3 ? 'peak met' : 'peak missed'}`);
  emit({
    bench: 'callback-fixes',
    reps: REPS,
    load_average: machine.load,
    baseline_cpu_ms_per_request: round(baseCpuMs, 3),
    configurations: rows.map((r) => ({
      fixes: r.name,
      p99_ms: round(r.p99, 2),
      peak_rps: Math.round(r.peak),
      peak_ratio: round(r.ratio, 3),
      cpu_ms_per_request: round(r.cpu, 3),
      cpu_ratio: round(baseCpuMs / r.cpu, 3),
      failed_requests: r.failures,
    })),
    target_met: best.p99 <= 25 && best.ratio >= 0.3 && best.failures === 0,
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    console.log(JSON.stringify({ bench: 'callback-fixes', error: String(err), target_met: false }));
    process.exit(1);
  },
);
