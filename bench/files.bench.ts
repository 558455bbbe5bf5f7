/**
 * `npm run bench:files` (issue 14): 50 files of 10 MB downloaded concurrently from a fake platform (a loopback HTTP
 * server in a child process, producing each file's bytes as it sends them) into the materials, through
 * MaterialsService.file with a FileSource, the way a platform adapter hands a file over: node:http GET (what axios
 * with `responseType: 'stream'` uses, as the Feishu SDK's message-resource call does) → hash → temporary file →
 * rename, metadata in Redis, the choice card sent to the console.
 *
 * Baseline in the same run: a plain `fetch` → file copy of the same 50 files (stream.pipeline into fs). The bot's
 * rounds run first, then the baseline's. Figures: wall time and MB/s of each, the bot process's peak RSS while it
 * stores (sampled every 20 ms), and every stored file's sha256 against the sum computed from the bytes served.
 * Targets: peak RSS under 250 MB, every sha256 right, throughput ≥ 0.5 × the baseline's (medians of the rounds).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Bot } from '../src/bot';
import { DEMO_CHAT, DEMO_MEMBERS } from '../src/platforms/sandbox/seed';
import { FsBlobStore } from '../src/store/files/blob-store';
import { benchConfig, benchPrefix, emit, machineInfo, median, printMachine, removePrefix, round, silentLog, watchdog } from './lib/common';

const FILES = Number(process.env.BENCH_FILES ?? 50);
const FILE_MB = Number(process.env.BENCH_FILE_MB ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SIZE = FILE_MB * 1024 * 1024;
const BLOCK = 64 * 1024;
const RSS_LIMIT_MB = 250;

/** File i's bytes: a PDF header, then a 64 KB block of its own, repeated; produced as they are sent. */
function blockOf(i: number, round_: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  for (let j = 0; j < BLOCK; j += 1) block[j] = (j * 31 + i * 7 + round_ * 13) & 0xff;
  return block;
}

function fileStream(i: number, round_: number): Readable {
  const block = blockOf(i, round_);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= SIZE) return void this.push(null);
      const chunk = Buffer.from(block.subarray(0, Math.min(BLOCK, SIZE - sent)));
      if (sent === 0) chunk.write('%PDF-1.7\n');
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

async function expectedSha(i: number, round_: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of fileStream(i, round_)) hash.update(c as Buffer);
  return hash.digest('hex');
}

/**
 * The fake platform, in a process of its own (so that the bot's RSS is the bot's): GET /files/<round>/<i> streams
 * file i of that round, produced as it is sent, the same bytes as fileStream.
 */
const PLATFORM_SCRIPT = `
const http = require('node:http');
const [SIZE, BLOCK] = [Number(process.argv[1]), Number(process.argv[2])];
const server = http.createServer((req, res) => {
  const m = /^\\/files\\/(\\d+)\\/(\\d+)$/.exec(req.url || '');
  if (!m) return void res.writeHead(404).end();
  const [r, i] = [Number(m[1]), Number(m[2])];
  const block = Buffer.alloc(BLOCK);
  for (let j = 0; j < BLOCK; j += 1) block[j] = (j * 31 + i * 7 + r * 13) & 0xff;
  res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(SIZE) });
  let sent = 0;
  const more = () => {
    while (sent < SIZE) {
      const chunk = Buffer.from(block.subarray(0, Math.min(BLOCK, SIZE - sent)));
      if (sent === 0) chunk.write('%PDF-1.7\\n');
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end();
  };
  more();
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

async function startPlatform(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['-e', PLATFORM_SCRIPT, String(SIZE), String(BLOCK)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(Number(m)));
    child.once('exit', (code) => reject(new Error(`platform exited ${String(code)}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** The platform's file as the adapters' HTTP clients get it (node:http, as axios with responseType stream does). */
function httpDownload(url: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`download answered ${String(res.statusCode)}`));
      } else resolve(res);
    }).on('error', reject);
  });
}

/** The baseline's download: a plain fetch. */
async function download(url: string): Promise<Readable> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`download answered ${res.status}`);
  return Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>);
}

async function main(): Promise<void> {
  const machine = await machineInfo();
  printMachine(machine);
  const prefix = benchPrefix('files');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-files-'));
  const copyDir = await mkdtemp(path.join(os.tmpdir(), 'bench-files-copy-'));
  const bot = new Bot({ config: benchConfig(prefix, { DATA_DIR: dataDir, FILE_MAX_MB: String(FILE_MB + 1), SANDBOX_DEMO: 'branch' }), log: silentLog() });
  const cleanup = async (): Promise<void> => {
    await bot.stop().catch(() => undefined);
    await removePrefix(prefix);
    await rm(dataDir, { recursive: true, force: true });
    await rm(copyDir, { recursive: true, force: true });
  };
  const dog = watchdog('files', 170, cleanup);
  const platform = await startPlatform();
  try {
    await bot.start(0, '127.0.0.1');
    const chat = { platform: 'sandbox' as const, chatId: DEMO_CHAT.id };
    const organizer = DEMO_MEMBERS[0];
    if (!organizer) throw new Error('no demo member');
    await bot.services.dutyService.create({ chat, organizer, kind: 'report', label: '述职', title: '年度述职报告', at: Date.now() + 7 * 24 * 3600 * 1000 }, Date.now());

    const baseline: number[] = [];
    const ours: number[] = [];
    let peakRss = 0;
    let basePeak = 0;
    const startRss = process.memoryUsage().rss;
    let wrong = 0;
    let kept = 0;
    // The bot's rounds first, then the baseline's: RSS seldom falls back, so the bot's peak is measured before the
    // baseline's buffers ever existed (the machine is shared: the rounds' medians are compared).
    for (let r = 0; r < ROUNDS; r += 1) {
      const expected = await Promise.all(Array.from({ length: FILES }, (_, i) => expectedSha(i, r)));
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 20);
      const t = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: FILES }, (_, i) => {
          const sender = DEMO_MEMBERS[i % DEMO_MEMBERS.length] ?? organizer;
          const file = { chat, messageId: `bench-${r}-${i}`, sender, name: `材料-${r}-${i}.pdf`, receivedAt: Date.now() };
          return bot.services.materials.file(file, () => httpDownload(`${platform.base}/files/${r}/${i}`));
        }),
      );
      ours.push((performance.now() - t) / 1000);
      clearInterval(sampler);
      kept += outcomes.filter((o) => o.kept).length;
      // Each file stored under its content's name: the file at that name must hash to what was served.
      const blobs = new FsBlobStore(path.join(dataDir, 'files'));
      for (const sha of expected) {
        const stored = await blobs.open(sha).catch(() => undefined);
        const hash = createHash('sha256');
        if (stored) for await (const c of stored) hash.update(c as Buffer);
        if (!stored || hash.digest('hex') !== sha) wrong += 1;
      }
    }
    for (let r = 0; r < ROUNDS; r += 1) {
      const baseSampler = setInterval(() => {
        basePeak = Math.max(basePeak, process.memoryUsage().rss);
      }, 20);
      const t = performance.now();
      await Promise.all(Array.from({ length: FILES }, async (_, i) => pipeline(await download(`${platform.base}/files/${r}/${i}`), createWriteStream(path.join(copyDir, `${r}-${i}`)))));
      baseline.push((performance.now() - t) / 1000);
      clearInterval(baseSampler);
      await rm(copyDir, { recursive: true, force: true });
      await mkdir(copyDir);
    }

    const totalMb = FILES * FILE_MB;
    const baseMbps = totalMb / median(baseline);
    const oursMbps = totalMb / median(ours);
    const ratio = oursMbps / baseMbps;
    const peakMb = peakRss / 1024 / 1024;
    console.log(`baseline fetch → file copy: ${round(median(baseline), 2)} s median (${round(baseMbps)} MB/s), rounds ${baseline.map((s) => round(s, 2)).join(', ')}`);
    console.log(`materials (http GET → hash → temp → rename, Redis): ${round(median(ours), 2)} s median (${round(oursMbps)} MB/s), rounds ${ours.map((s) => round(s, 2)).join(', ')}`);
    console.log(`RSS at start ${round(startRss / 1024 / 1024)} MB; peak during the baseline ${round(basePeak / 1024 / 1024)} MB`);
    console.log(`ratio ${round(ratio, 2)} (target ≥ 0.5); peak RSS while storing ${round(peakMb)} MB (target < ${RSS_LIMIT_MB}); sha256 wrong: ${wrong}; kept ${kept}/${FILES * ROUNDS}`);
    const met = ratio >= 0.5 && peakMb < RSS_LIMIT_MB && wrong === 0 && kept === FILES * ROUNDS;
    emit({ bench: 'files', files: FILES, file_mb: FILE_MB, rounds: ROUNDS, baseline_mbps: round(baseMbps), mbps: round(oursMbps), ratio: round(ratio, 2), peak_rss_mb: round(peakMb), sha_wrong: wrong, load: machine.load, target_met: met });
    if (!met) process.exitCode = 1;
  } finally {
    dog.clear();
    platform.child.kill();
    await cleanup();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
