import { startArgs } from '../helpers/bot-process';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { PlanContexts } from '../../src/app/plan-context';
import { parseQuietHours } from '../../src/domain/quiet-hours';
import type { ChatRef, Duty, HistoryEntry, Member } from '../../src/domain/types';
import { createQueues, type QueueSet } from '../../src/queue/queues';
import { ReminderPlanner } from '../../src/queue/reminder-planner';
import { ChatRepo } from '../../src/store/chat-repo';
import { DutyRepo } from '../../src/store/duty-repo';
import { TxPool } from '../../src/store/redis';
import { SeriesRepo } from '../../src/store/series-repo';
import { defaultCalendar } from '../../src/store/holiday-files';
import { cardActionEvent, FakeFeishu, messageEvent, pushToBot, type FakeMessage, type PushResult } from '../fakes/feishu';
import { cardValues, isCard } from '../feishu/support';
import { removePrefix } from '../helpers/harness';

/**
 * Shared pieces of the fault suite (issue #7): the bot as a child process (`tsx src/main.ts`), a private
 * redis-server with AOF on a free port, seeding duties straight into the store, and reading what the fake
 * Feishu received. Every child this module starts is remembered and killed by `killAll()`.
 */

export const ROOT = path.join(__dirname, '..', '..');
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ENCRYPT_KEY = 'luoshi-faults-encrypt-key';
export const VERIFICATION_TOKEN = 'vt_luoshi_faults_token_0001';
export const BOT_NAME = '落实';
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const LOG_DIR = path.join(os.tmpdir(), 'luoshi-fault-logs');

export const SECRETARY = 'ou_faultsecretary00000000000001';
export const MEMBERS: readonly Member[] = Array.from({ length: 6 }, (_, i) => ({
  id: i === 0 ? SECRETARY : `ou_faultmember${String(i).padStart(18, '0')}`,
  name: ['王建国', '李明', '张丽', '刘洋', '陈静', '赵磊'][i] ?? `党员${i}`,
}));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** 09:00 in Shanghai (01:00 UTC) of the days around `t`: when a daily 09:00 series' occurrences fall. */
export function nineOClocks(t: number): number[] {
  const d = new Date(t + 8 * 3600_000);
  const base = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 1, 0, 0);
  return [-1, 0, 1, 2, 3].map((i) => base + i * 86_400_000);
}

/** Poll (bounded) until `check` gives a value other than undefined/false. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const last = await check();
    if (last !== undefined && last !== false) return last;
    if (Date.now() >= until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(everyMs);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const uniquePrefix = (name: string): string => `faults-${name}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Children are started in a process group of their own (`detached`): `tsx src/main.ts` runs the bot in a
 * grandchild node process, so a signal must go to the whole group (`kill(-pid)`) to reach the bot itself.
 */
const children = new Set<ChildProcess>();

const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Signal the child's whole process group; with SIGKILL, resolves once every process of the group is gone. */
export async function signalGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || !groupAlive(pid)) return;
  try {
    process.kill(-pid, signal);
  } catch {
    return;
  }
  if (signal !== 'SIGKILL') return;
  await waitFor(() => !groupAlive(pid), 5000, `process group ${pid} gone`, 10).catch(() => undefined);
}

/** SIGKILL every process group this module started that is still alive (afterAll, whatever happened). */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((c) => signalGroup(c, 'SIGKILL')));
  children.clear();
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  return child;
}

function logFile(name: string): WriteStream {
  mkdirSync(LOG_DIR, { recursive: true });
  return createWriteStream(path.join(LOG_DIR, `${name}.log`), { flags: 'w' });
}

export interface BotLogLine {
  readonly level?: number;
  readonly msg?: string;
  readonly [key: string]: unknown;
}

/** One run of `tsx src/main.ts`; its output goes to memory and to $TMPDIR/luoshi-fault-logs/<name>.log. */
export class BotProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly baseUrl: string;
  private out = '';

  constructor(
    readonly name: string,
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    const file = logFile(name);
    this.child = track(
      // `npm start`'s own command (one node process): tsx's CLI would run the bot in a second node and relay signals to it,
      // and a SIGTERM to the group then raced that relay (the CLI itself exited 143 after the bot had stopped cleanly).
      spawn(process.execPath, startArgs(), {
        cwd: ROOT,
        // Every key is given, so a developer's .env (read by dotenv, which never overrides) changes nothing.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? os.tmpdir(),
          TZ: process.env.TZ ?? 'UTC',
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: 'info',
          BOT_NAME,
          BOT_TIMEZONE: 'Asia/Shanghai',
          BOT_SUPERADMINS: '',
          SANDBOX_ENABLED: 'false',
          DEFAULT_QUIET_HOURS: 'off',
          ADMIN_TOKEN: '',
          HOLIDAY_OVERRIDE_DIR: '',
          PUBLIC_BASE_URL: '',
          REPORT_SIGNING_KEY: '',
          FEISHU_MODE: 'webhook',
          FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
          FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
          DINGTALK_CLIENT_ID: '',
          DINGTALK_CLIENT_SECRET: '',
          DINGTALK_ROBOT_CODE: '',
          DINGTALK_CARD_TEMPLATE_ID: '',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
    );
    const take = (d: Buffer): void => {
      const s = d.toString();
      this.out += s;
      file.write(s);
    };
    this.child.stdout?.on('data', take);
    this.child.stderr?.on('data', take);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        file.end();
        resolve({ code, signal });
      }),
    );
  }

  output(): string {
    return this.out;
  }

  /** The JSON log lines (pino) written so far. */
  lines(): BotLogLine[] {
    const lines: BotLogLine[] = [];
    for (const raw of this.out.split('\n')) {
      if (!raw.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(raw) as BotLogLine);
      } catch {
        // a line still being written
      }
    }
    return lines;
  }

  tail(n = 20): string {
    return this.out.split('\n').slice(-n).join('\n');
  }

  async status(pathname: string): Promise<number | undefined> {
    try {
      const res = await fetch(`${this.baseUrl}${pathname}`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return undefined;
    }
  }

  /** Wait until /readyz answers 200 (bounded); fails with the tail of the log. */
  async ready(timeoutMs = 30000): Promise<void> {
    try {
      await waitFor(async () => (this.child.exitCode !== null ? Promise.reject(new Error(`exited ${this.child.exitCode}`)) : (await this.status('/readyz')) === 200), timeoutMs, `${this.name} /readyz 200`, 100);
    } catch (err) {
      throw new Error(`${this.name} did not become ready: ${err instanceof Error ? err.message : String(err)}\n${this.tail()}`, { cause: err });
    }
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Signal the bot (the whole `tsx` process group) and wait until it has exited. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await signalGroup(this.child, signal);
    return this.exited;
  }

  /** A signed, encrypted `@落实 <text>` group message, as Feishu pushes it. */
  say(text: string, o: { chatId: string; sender?: string; messageId?: string; timeoutMs?: number; fake?: FakeFeishu }): Promise<PushResult & { messageId: string }> {
    const messageId = o.messageId ?? `om_${DutyRepo.newId()}${DutyRepo.newId()}`;
    o.fake?.recordUserMessage(messageId, o.chatId);
    const event = messageEvent({ chatId: o.chatId, senderOpenId: o.sender ?? SECRETARY, text, mentionBot: true, botName: BOT_NAME, messageId, token: VERIFICATION_TOKEN });
    return pushToBot(`${this.baseUrl}/feishu/events`, event, { encryptKey: ENCRYPT_KEY, timeoutMs: o.timeoutMs ?? 5000 }).then((r) => ({ ...r, messageId }));
  }

  /** A signed card callback (参加 / 请假 with the reason typed into the card / 已提交) on `dutyId`'s card. */
  click(o: { chatId: string; dutyId: string; member: string; act?: 'attend' | 'leave' | 'submit'; reason?: string; timeoutMs?: number }): Promise<PushResult> {
    const event = cardActionEvent({
      chatId: o.chatId,
      messageId: `om_card${o.dutyId}`,
      operatorOpenId: o.member,
      value: { v: 1, duty: o.dutyId, act: o.act ?? 'attend' },
      token: VERIFICATION_TOKEN,
      ...(o.reason === undefined ? {} : { formValue: { reason: o.reason } }),
    });
    return pushToBot(`${this.baseUrl}/feishu/events`, event, { encryptKey: ENCRYPT_KEY, timeoutMs: o.timeoutMs ?? 5000 });
  }
}

/** Environment for a Feishu bot process talking to `fake`. */
export function feishuEnv(fake: FakeFeishu, redisUrl: string, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_BASE_URL: fake.baseUrl,
    ...extra,
  };
}

/**
 * A redis-server of our own on a free port: AOF on (everysec), no RDB snapshots, data in a temp folder.
 * `kill()` is SIGKILL (no chance to flush anything); `start()` again reuses the folder and port.
 */
export class PrivateRedis {
  readonly dir: string;
  private child?: ChildProcess;
  private starts = 0;

  private constructor(readonly port: number) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-faults-redis-'));
  }

  static async create(): Promise<PrivateRedis> {
    return new PrivateRedis(await freePort());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running()) return;
    this.starts += 1;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', this.dir, '--daemonize', 'no', '--logfile', path.join(this.dir, `redis-${this.starts}.log`)];
    this.child = track(spawn(REDIS_SERVER, args, { stdio: 'ignore', detached: true }));
    await waitFor(
      async () => {
        if (!this.running()) throw new Error(`redis-server exited (see ${this.dir})`);
        const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          probe.disconnect();
        }
      },
      10000,
      `redis-server on ${this.port}`,
      50,
    );
  }

  /** SIGKILL; resolves once the process is gone. Returns the time of the kill. */
  async kill(): Promise<number> {
    const child = this.child;
    if (!child || !this.running()) return Date.now();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const at = Date.now();
    await signalGroup(child, 'SIGKILL');
    await exited;
    return at;
  }

  /** Kill it and remove its folder. */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  client(): Redis {
    const r = new Redis(this.url, { maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    return r;
  }
}

/**
 * The store and the planner of a bot, built in the test process on the bot's Redis and prefix, to seed duties
 * fast (as test/feishu/feishu-burst.load.test.ts does) and to read records back.
 */
export class Store {
  readonly redis: Redis;
  readonly duties: DutyRepo;
  readonly chats: ChatRepo;
  readonly series: SeriesRepo;
  readonly queues: QueueSet;
  readonly planner: ReminderPlanner;
  private readonly tx: TxPool;
  private readonly queueRedis: Redis;

  constructor(
    redisUrl: string,
    readonly prefix: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
    this.tx = new TxPool(this.redis);
    this.duties = new DutyRepo(this.redis, this.tx, prefix);
    this.chats = new ChatRepo(this.redis, prefix);
    this.series = new SeriesRepo(this.redis, this.tx, prefix);
    this.queueRedis = this.redis.duplicate();
    this.queueRedis.on('error', () => undefined);
    this.queues = createQueues(this.queueRedis, prefix);
    for (const q of [this.queues.reminders, this.queues.cards, this.queues.inbound, this.queues.series]) q.on('error', () => undefined);
    // The same plan context as the bot's with DEFAULT_QUIET_HOURS=off, so both derive the same job ids.
    const contexts = new PlanContexts(this.chats, defaultCalendar(), 'Asia/Shanghai', parseQuietHours('off'));
    this.planner = new ReminderPlanner(this.queues.reminders, contexts, pino({ level: 'silent' }));
  }

  k(...parts: (string | number)[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async close(): Promise<void> {
    await this.queues.close().catch(() => undefined);
    await this.tx.close().catch(() => undefined);
    this.queueRedis.disconnect();
    this.redis.disconnect();
  }
}

export const feishuChat = (chatId: string): ChatRef => ({ platform: 'feishu', chatId });

/** Register `chatId` at the fake with MEMBERS (the secretary owns it). */
export function addFakeChat(fake: FakeFeishu, chatId: string, name: string): void {
  fake.addChat({ chatId, name, ownerId: SECRETARY, managers: [], members: MEMBERS.map((m) => ({ open_id: m.id, name: m.name })) });
}

/**
 * Seed `chats × perChat` meetings straight into the store, each with one reminder (60 minutes before) due at
 * `dueAt` (+ `spreadMs` × its index within the chat, default 100 ms), and plan them round-robin over the chats
 * (as reminders due together would be queued). The meeting is an hour later, so no escalation or day-of nudge
 * comes due meanwhile.
 */
export async function seedReminders(
  store: Pick<Store, 'chats' | 'duties' | 'planner'>,
  fake: FakeFeishu | undefined,
  o: { chats: number; perChat: number; dueAt: number; chatId: (i: number) => string; spreadMs?: number },
): Promise<Duty[]> {
  const byChat: Duty[][] = [];
  const now = Date.now();
  for (let c = 0; c < o.chats; c++) {
    const chatId = o.chatId(c);
    if (fake) addFakeChat(fake, chatId, `支部${c}`);
    const chat = feishuChat(chatId);
    await store.chats.saveRoster(chat, MEMBERS.map((m, i) => ({ ...m, platformRole: i === 0 ? 'owner' : 'member' })), now, `支部${c}`);
    const duties: Duty[] = [];
    for (let i = 0; i < o.perChat; i++) {
      duties.push(
        await store.duties.create(
          {
            chat,
            kind: 'meeting',
            label: '会议',
            title: `支部委员会${c}-${i}`,
            // Distinct times within the chat; every reminder comes due within a second of dueAt.
            at: o.dueAt + 60 * 60_000 + i * (o.spreadMs ?? 100) + (o.spreadMs === 0 ? i : 0),
            organizer: { id: SECRETARY, name: MEMBERS[0]?.name ?? '书记' },
            audience: MEMBERS.map((m) => m.id),
            reminderOffsets: [60],
          },
          now,
        ),
      );
    }
    byChat.push(duties);
  }
  const out: Duty[] = [];
  for (let i = 0; i < o.perChat; i++) {
    for (const duties of byChat) {
      const duty = duties[i];
      if (duty) out.push(duty);
    }
  }
  for (const duty of out) await store.planner.plan(duty, Date.now());
  return out;
}

const REMINDER_BANNER = '⏰ 提醒：';

export interface ReminderCard {
  readonly dutyId: string;
  readonly uuid: string | undefined;
  readonly message: FakeMessage;
  readonly content: string;
}

/** The duty a card is about (from its buttons' callback values). */
export function dutyOfCard(m: FakeMessage): string | undefined {
  for (const v of cardValues(m.content)) {
    if (v && typeof v === 'object' && 'duty' in v && typeof v.duty === 'string') return v.duty;
  }
  return undefined;
}

/** Every reminder card (the ⏰ 提醒 banner) the fake holds. */
export function reminderCards(fake: FakeFeishu): ReminderCard[] {
  return fake.messages
    .filter((m) => isCard(m))
    .map((m) => ({ message: m, content: JSON.stringify(m.content) }))
    .filter((x) => x.content.includes(REMINDER_BANNER))
    .map((x) => ({ dutyId: dutyOfCard(x.message) ?? '', uuid: x.message.uuid, message: x.message, content: x.content }));
}

/** Announcement cards (no 提醒 banner). */
export function announceCards(fake: FakeFeishu): ReminderCard[] {
  return fake.messages
    .filter((m) => isCard(m))
    .map((m) => ({ message: m, content: JSON.stringify(m.content) }))
    .filter((x) => !x.content.includes(REMINDER_BANNER))
    .map((x) => ({ dutyId: dutyOfCard(x.message) ?? '', uuid: x.message.uuid, message: x.message, content: x.content }));
}

/** Count of each key that occurs more than once. */
export function duplicates(keys: readonly (string | undefined)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k ?? '(none)', (counts.get(k ?? '(none)') ?? 0) + 1);
  return new Map([...counts].filter(([, n]) => n > 1));
}

/**
 * Sends the fake answered with success (HTTP 200, code 0) on POST /im/v1/messages, per uuid. The fake answers a
 * repeated uuid with the first message (no second message): each success beyond the first per uuid is a
 * duplicate POST the platform absorbed.
 */
export function successfulPostsByUuid(fake: FakeFeishu, uuidPrefix: string): Map<string, number> {
  const byUuid = new Map<string, number>();
  for (const c of fake.calls) {
    if (c.method !== 'POST' || c.path !== '/open-apis/im/v1/messages' || c.status !== 200) continue;
    const body = c.body;
    const uuid = body && typeof body === 'object' && 'uuid' in body && typeof body.uuid === 'string' ? body.uuid : undefined;
    if (!uuid?.startsWith(uuidPrefix)) continue;
    byUuid.set(uuid, (byUuid.get(uuid) ?? 0) + 1);
  }
  return byUuid;
}

/** All keys matching a pattern (SCAN, bounded by the data). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', '1000');
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

export async function historyOf(redis: Redis, prefix: string, dutyId: string): Promise<HistoryEntry[]> {
  return (await redis.lrange(`${prefix}:duty:${dutyId}:history`, 0, -1)).map((r) => JSON.parse(r) as HistoryEntry);
}

/** A Queue handle on one of the bot's queues, to read job states from the test process; `close()` frees it all. */
export function queueOf(redisUrl: string, prefix: string, name: string): { queue: Queue; close(): Promise<void> } {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => undefined);
  const queue = new Queue(name, { connection, prefix: `${prefix}:bull` });
  queue.on('error', () => undefined);
  return {
    queue,
    close: async () => {
      await queue.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}

/**
 * A TCP pass-through in front of a redis-server that can trip at an exact moment: once `arm(pattern, onTrip)` is
 * called, the first client→server packet containing `pattern` (e.g. the key a command writes) is forwarded, every
 * later byte from that client connection is held back (never reaches Redis), and `onTrip` runs as soon as Redis
 * has answered that packet (e.g. to SIGKILL the server). So "Redis was lost right after this write and before the
 * next one" happens deterministically.
 */
export class RedisTripwire {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private armed?: { pattern: Buffer; onTrip: () => void };
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    await this.listen();
  }

  /** Like a dead server: every connection dropped and new ones refused (ECONNREFUSED), until `listen()`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async listen(): Promise<void> {
    if (this.server) return;
    this.server = createServer((client) => {
      const upstream = connect(this.upstreamPort, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      let held = false;
      let onReply: (() => void) | undefined;
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (data: Buffer) => {
        if (held) return;
        upstream.write(data);
        const armed = this.armed;
        if (armed && data.includes(armed.pattern)) {
          this.armed = undefined;
          held = true;
          onReply = armed.onTrip;
        }
      });
      upstream.on('data', (data: Buffer) => {
        client.write(data);
        // Trip once Redis has answered the write (so it was applied), before anything else reaches it.
        const trip = onReply;
        onReply = undefined;
        trip?.();
      });
      for (const s of [client, upstream]) {
        s.on('error', close);
        s.on('close', close);
      }
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  arm(pattern: string, onTrip: () => void): void {
    this.armed = { pattern: Buffer.from(pattern), onTrip };
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}

/**
 * The shared set-up of a fault test on the shared Redis: a fake Feishu and a store under a fresh prefix, started
 * before the tests and, after them, every bot process killed and everything removed. Call inside `describe`.
 */
export function sharedRedisWorld(name: string): { readonly prefix: string; readonly fake: FakeFeishu; readonly store: Store } {
  const prefix = uniquePrefix(name);
  const fake = new FakeFeishu();
  let store: Store | undefined;
  beforeAll(async () => {
    await fake.start();
    store = new Store(SHARED_REDIS_URL, prefix);
  });
  afterAll(async () => {
    await killAll();
    await store?.close();
    await fake.stop();
    await removePrefix(prefix, SHARED_REDIS_URL);
  });
  return {
    prefix,
    fake,
    get store(): Store {
      if (!store) throw new Error('the world is not started yet');
      return store;
    },
  };
}

/**
 * The shared set-up of a fault test on a Redis of its own (PrivateRedis, started): a fake Feishu and the server,
 * started before the tests and, after them, every bot process killed and both stopped. Call inside `describe`.
 */
export function privateRedisWorld(): { readonly fake: FakeFeishu; readonly redis: PrivateRedis } {
  const fake = new FakeFeishu();
  let redis: PrivateRedis | undefined;
  beforeAll(async () => {
    await fake.start();
    redis = await PrivateRedis.create();
    await redis.start();
  });
  afterAll(async () => {
    await killAll();
    await fake.stop();
    await redis?.destroy();
  });
  return {
    fake,
    get redis(): PrivateRedis {
      if (!redis) throw new Error('the world is not started yet');
      return redis;
    },
  };
}

/** One card click pushed at the bot during a fault test, with when it was acknowledged and how. */
export interface AnswerPush {
  readonly dutyId: string;
  readonly member: string;
  readonly sentAt: number;
  readonly ackAt: number;
  readonly status: number | 'error';
  readonly toast?: string;
}

/** The toast type of a card callback's answer (success, warning, error), if any. */
export const toastType = (json: unknown): string | undefined => {
  if (!json || typeof json !== 'object' || !('toast' in json)) return undefined;
  const toast = json.toast;
  return toast && typeof toast === 'object' && 'type' in toast && typeof toast.type === 'string' ? toast.type : undefined;
};
