/**
 * `npm run bench:startup`: from process start to `/readyz` answering 200, and resident memory when idle.
 *
 * The bot runs as `npm start` would run it (sandbox console, no platform credentials; NODE_ENV=production), on a free
 * port with a key prefix of the bench's own, in three ways:
 *   built: `node …/src/main.js`: the output of `tsc -p tsconfig.build.json`, built by this bench (incrementally) into
 *          node_modules/.cache/luoshi-bench-build, so that it matches the source of the day — what `npm run start:prod`
 *          runs from dist/;
 *   tsx:   `node --import tsx src/main.ts`: compiled on the fly, one process;
 *   npm start: `tsx src/main.ts` (the tsx CLI, which runs the bot in a second node process).
 * Each in two states of Redis: empty (the sandbox demo only), and with 10,000 pending reminders (3,334 meetings with
 * 3 jobs each, seeded through the store and the planner). Start-up re-plans every open duty (Bot.reconcile), so
 * the pending reminders are part of what start-up does. Time: from just before spawn until /readyz answers 200
 * (polled every 10 ms). RSS: VmRSS of the bot's process (for npm start, both processes) after 2 s idle, with the
 * V8 heap in use from the bot's /metrics.
 * Median of RUNS starts each. Targets (with 10,000 pending reminders): start-up ≤ 1.5 s, RSS ≤ 150 MB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Bot } from '../src/bot';
import { whenReady } from '../src/store/redis';
import { benchConfig, benchPrefix, emit, machineInfo, median, pool, printMachine, REDIS_URL, removePrefix, round, runBench, silentLog, sleep, watchdog } from './lib/common';

const ROOT = path.join(__dirname, '..');
/** Out of the way of eslint and git (node_modules is ignored by both), and still inside the project, so that the
 * built files find node_modules and data/holidays as dist/ does. */
const BUILD = path.join(ROOT, 'node_modules', '.cache', 'luoshi-bench-build');
const PRELOAD = path.join(__dirname, 'lib', 'startup-preload.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PENDING = 10_000;
const JOBS_PER_DUTY = 3;
const TARGET_MS = 1500;
const TARGET_MB = 150;
const IDLE_MS = 2000;

type Variant = 'built' | 'tsx' | 'npm start' | 'built+lazy' | 'built+lazy+reconcile';
/** BENCH_STARTUP_EXPERIMENTS=1: the built output as it is and with the proposed fixes (bench/lib/startup-preload.mjs). */
const EXPERIMENTS = process.env.BENCH_STARTUP_EXPERIMENTS === '1';
/** BENCH_STARTUP_FEISHU=1: the bot runs with Feishu configured (webhook mode; its Open API base is a closed
 * loopback port, never called during start-up) instead of the sandbox console. */
const FEISHU_ENV: Record<string, string> =
  process.env.BENCH_STARTUP_FEISHU === '1'
    ? { FEISHU_APP_ID: 'cli_bench_startup', FEISHU_APP_SECRET: 'bench-secret', FEISHU_VERIFICATION_TOKEN: 'vt_bench_startup', FEISHU_BASE_URL: 'http://127.0.0.1:9' }
    : {};
const VARIANTS: Variant[] = EXPERIMENTS ? ['built', 'built+lazy', 'built+lazy+reconcile'] : ['built', 'tsx', 'npm start'];

function command(variant: Variant): { cmd: string; args: string[] } {
  switch (variant) {
    case 'built':
      return { cmd: process.execPath, args: [path.join(BUILD, 'src', 'main.js')] };
    case 'tsx':
      return { cmd: process.execPath, args: ['--import', 'tsx', 'src/main.ts'] };
    case 'npm start':
      return { cmd: process.execPath, args: [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/main.ts'] };
    case 'built+lazy':
    case 'built+lazy+reconcile':
      return { cmd: process.execPath, args: ['--import', PRELOAD, path.join(BUILD, 'src', 'main.js')] };
  }
}

function experimentEnv(variant: Variant): Record<string, string> {
  if (variant === 'built+lazy') return { BENCH_LAZY: '1' };
  if (variant === 'built+lazy+reconcile') return { BENCH_LAZY: '1', BENCH_RECONCILE: '1', BENCH_BOT_MODULE: path.join(BUILD, 'src', 'bot.js') };
  return {};
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const p = (probe.address() as { port: number }).port;
      probe.close(() => resolve(p));
    });
  });
}

/** VmRSS of a process and its children, in MB. */
function rssMb(pid: number): number {
  const one = (p: number): number => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  let total = one(pid);
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) total += rssMb(Number(child));
  } catch {
    // no children file
  }
  return total;
}

/** Bots started and not yet gone: the watchdog's cleanup stops them (a timed-out run once left one running). */
const live = new Set<ChildProcess>();

async function stopLive(): Promise<void> {
  await Promise.all(
    [...live].map(async (child) => {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }),
  );
}

async function startOnce(variant: Variant, prefix: string): Promise<{ ms: number; rss: number; heap: number }> {
  const port = await freePort();
  const { cmd, args } = command(variant);
  const t0 = performance.now();
  const child: ChildProcess = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...experimentEnv(variant), ...FEISHU_ENV, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', REDIS_URL, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  try {
    let ms = Number.NaN;
    while (performance.now() - t0 < 30_000 && child.exitCode === null) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) {
        ms = performance.now() - t0;
        break;
      }
      await sleep(10);
    }
    if (!Number.isFinite(ms)) throw new Error(`${variant} did not become ready: ${stderr.slice(-500)}`);
    await sleep(IDLE_MS);
    const rss = rssMb(child.pid ?? 0);
    // The V8 heap in use, from the bot's own /metrics (prom-client default metrics, on in production).
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.text(),
      () => '',
    );
    const heap = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(metrics)?.[1] ?? Number.NaN) / 1048576;
    return { ms, rss, heap };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** tsc into BUILD (incremental) and the sandbox console's static files, as `npm run build` does into dist/. */
function build(): { seconds: number; errors: number } {
  const t0 = performance.now();
  const res = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILD, '--incremental', '--tsBuildInfoFile', path.join(BUILD, '.tsbuildinfo')],
    { cwd: ROOT, encoding: 'utf8' },
  );
  cpSync(path.join(ROOT, 'src', 'platforms', 'sandbox', 'public'), path.join(BUILD, 'src', 'platforms', 'sandbox', 'public'), { recursive: true });
  if (!existsSync(path.join(BUILD, 'src', 'main.js'))) throw new Error(`build failed: ${res.stdout}${res.stderr}`);
  const errors = (res.stdout.match(/error TS/g) ?? []).length;
  return { seconds: (performance.now() - t0) / 1000, errors };
}

/** 10,000 pending reminders: meetings a week or more ahead in sandbox chats, through the store and the planner. */
async function seed(prefix: string): Promise<number> {
  const bot = new Bot({ config: benchConfig(prefix, { SANDBOX_ENABLED: 'false' }), log: silentLog(), workers: false });
  try {
    if (!(await whenReady(bot.redis, 5000))) throw new Error('Redis is not reachable');
    await bot.queues.reminders.waitUntilReady();
    const { duties, planner } = bot.services;
    const members = Array.from({ length: 20 }, (_, i) => ({ id: `sb_member${i}`, name: `党员${i + 1}` }));
    const start = Date.now() + 7 * 24 * 3600_000;
    const counts = await pool(
      Array.from({ length: Math.ceil(PENDING / JOBS_PER_DUTY) }, (_, i) => i),
      16,
      async (i) => {
        const now = Date.now();
        const duty = await duties.create(
          {
            chat: { platform: 'sandbox', chatId: `bench-chat-${i % 200}` },
            kind: 'meeting',
            label: '会议',
            title: `支部会议${i}`,
            at: start + i * 600_000,
            organizer: members[0] ?? { id: 'x', name: 'x' },
            audience: members.map((m) => m.id),
            reminderOffsets: [1440, 60],
          },
          now,
        );
        return planner.plan(duty, now);
      },
    );
    return counts.reduce((a, b) => a + b, 0);
  } finally {
    await bot.stop();
  }
}

let cleanup = async (): Promise<void> => undefined;

async function main(): Promise<void> {
  const machine = await machineInfo();
  printMachine(machine);
  const emptyPrefix = benchPrefix('startup-empty');
  const fullPrefix = benchPrefix('startup-10k');
  cleanup = async () => {
    await stopLive();
    await removePrefix(emptyPrefix);
    await removePrefix(fullPrefix);
  };
  const dog = watchdog('startup', 178, cleanup);
  const built = build();
  console.log(`built into ${path.relative(ROOT, BUILD)} in ${built.seconds.toFixed(1)} s${built.errors > 0 ? ` (${built.errors} type errors reported; output emitted anyway)` : ''}`);
  const planned = await seed(fullPrefix);
  console.log(`seeded ${planned.toLocaleString('en-US')} pending reminder jobs; ${RUNS} starts per variant and state, interleaved; RSS after ${IDLE_MS / 1000} s idle`);

  const variants = VARIANTS;
  if (FEISHU_ENV.FEISHU_APP_ID) console.log('mode: Feishu configured (webhook), not the sandbox console');
  if (EXPERIMENTS) console.log(`EXPERIMENT: the built output as it is, with lazy loading of exceljs / Feishu SDK / dingtalk-stream, and with a concurrent reconcile`);
  const results = new Map<string, { ms: number[]; rss: number[]; heap: number[] }>();
  for (let run = 0; run < RUNS; run++) {
    for (const variant of variants) {
      for (const [state, prefix] of [
        ['empty', emptyPrefix],
        ['10k', fullPrefix],
      ] as const) {
        const key = `${variant}|${state}`;
        const r = await startOnce(variant, prefix);
        const entry = results.get(key) ?? { ms: [], rss: [], heap: [] };
        entry.ms.push(r.ms);
        entry.rss.push(r.rss);
        entry.heap.push(r.heap);
        results.set(key, entry);
      }
    }
  }
  await cleanup();
  dog.clear();

  const fig = (variant: Variant, state: string): { ms: number; rss: number; heap: number } => {
    const e = results.get(`${variant}|${state}`);
    return { ms: median(e?.ms ?? []), rss: median(e?.rss ?? []), heap: median(e?.heap ?? []) };
  };
  console.log('');
  console.log(`${'variant'.padEnd(22)} ${'empty: ready'.padStart(13)} ${'RSS (heap)'.padStart(16)}   ${'10k pending: ready'.padStart(19)} ${'RSS (heap)'.padStart(16)}`);
  const mem = (f: { rss: number; heap: number }): string => `${f.rss.toFixed(0)} MB (${Number.isFinite(f.heap) ? f.heap.toFixed(0) : '?'})`;
  for (const v of variants) {
    const e = fig(v, 'empty');
    const f = fig(v, '10k');
    console.log(`${v.padEnd(22)} ${`${Math.round(e.ms)} ms`.padStart(13)} ${mem(e).padStart(16)}   ${`${Math.round(f.ms)} ms`.padStart(19)} ${mem(f).padStart(16)}`);
  }
  const builtFull = fig('built', '10k');
  const tsxFull = fig(EXPERIMENTS ? 'built+lazy+reconcile' : 'tsx', '10k');
  const timeMet = builtFull.ms <= TARGET_MS;
  const rssMet = builtFull.rss <= TARGET_MB;
  console.log(
    `targets (built output, 10,000 pending): ready ${Math.round(builtFull.ms)} ms (≤ ${TARGET_MS}: ${timeMet ? 'met' : 'MISSED'}), RSS ${builtFull.rss.toFixed(0)} MB (≤ ${TARGET_MB}: ${rssMet ? 'met' : 'MISSED'});` +
      ` ${EXPERIMENTS ? 'with the fixes' : 'with tsx'}: ${Math.round(tsxFull.ms)} ms (${tsxFull.ms <= TARGET_MS ? 'met' : 'missed'}), ${tsxFull.rss.toFixed(0)} MB (${tsxFull.rss <= TARGET_MB ? 'met' : 'missed'})`,
  );
  const out: Record<string, number> = {};
  for (const v of variants) {
    for (const state of ['empty', '10k']) {
      const f = fig(v, state);
      const k = `${v.replace(/[ +]/g, '_')}_${state}`;
      out[`${k}_ready_ms`] = Math.round(f.ms);
      out[`${k}_rss_mb`] = round(f.rss, 1);
      out[`${k}_heap_mb`] = round(f.heap, 1);
    }
  }
  emit({
    bench: 'startup',
    ...(EXPERIMENTS ? { experiment: 'lazy,reconcile' } : {}),
    mode: FEISHU_ENV.FEISHU_APP_ID ? 'feishu' : 'sandbox',
    measured: 'built',
    pending_reminders: planned,
    runs: RUNS,
    ...out,
    build_s: round(built.seconds, 1),
    load_average: machine.load,
    time_target_met: timeMet,
    rss_target_met: rssMet,
    target_met: timeMet && rssMet,
  });
}

runBench('startup', main, () => cleanup());
