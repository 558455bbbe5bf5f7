import { createServer } from 'node:net';
import type { Member } from '../../src/domain/types';
import type { WorkerSet } from '../../src/queue/workers';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const chat = { platform: 'sandbox' as const, chatId: 'branch-1' };
const secretary: Member = { id: 'u1', name: '王建国', platformRole: 'owner' };

/** The ioredis client behind a BullMQ worker's blocking connection, as far as the test needs it. */
interface BlockingClient {
  status: string;
  options: { port?: number };
  disconnect(reconnect?: boolean): void;
}

/**
 * Fault injection: the bot's workers are private, as a process's sockets are; the test reaches the reminders worker
 * the way a debugger would, to break its blocking connection (nothing else is called on it).
 */
const remindersWorker = (started: StartedBot) => {
  const workers = (started.bot as unknown as { workers?: WorkerSet }).workers;
  if (!workers) throw new Error('no workers');
  return workers.reminders;
};

/** A port nothing listens on (taken, then given back). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The value of luoshi_worker_restarts_total for `queue` on the bot's /metrics (0 when never counted). */
async function restarts(started: StartedBot, queue: string): Promise<number> {
  const text = await (await fetch(`${started.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`luoshi_worker_restarts_total{queue="${queue}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** A meeting whose one reminder (1 minute before) comes due `dueInMs` from the clock's now. */
const meetingWithReminderIn = (started: StartedBot, clock: TestClock, dueInMs: number) =>
  started.bot.services.dutyService.create(
    { chat, organizer: secretary, kind: 'meeting', label: '会议', title: '支部委员会', at: clock.now() + 60_000 + dueInMs, offsets: [1] },
    clock.now(),
  );

const reminderCards = async (driver: SandboxDriver, number: number) => (await driver.cardsOf(number)).filter((m) => m.card.banner?.includes('提醒'));

describe('worker watchdog (real Redis, real BullMQ; BullMQ #4138)', () => {
  let started: StartedBot | undefined;
  let clock: TestClock;

  afterEach(async () => {
    await started?.stop();
    started = undefined;
  });

  it('should replace the reminders worker when its blocking connection is wedged, send the reminder and count one restart', async () => {
    clock = new TestClock(Date.now());
    const bot = await startBot({ clock: () => clock.now(), env: { DEFAULT_QUIET_HOURS: 'off', WORKER_WATCHDOG_SECONDS: '2' } });
    started = bot;
    const driver = new SandboxDriver(bot);
    const wedged = remindersWorker(bot);
    const client = (await wedged.getBackend().blockingClient) as unknown as BlockingClient;
    expect(client.status).toBe('ready');

    // The wedge: the blocking client is closed (`end`, as ioredis leaves it) and can no longer reach its server (the
    // cluster client of #4138 ends with no node), so BullMQ's own reconnect of it never gets it ready again.
    client.options.port = await deadPort();
    client.disconnect();
    await eventually(async () => client.status !== 'ready', 2000, 'the blocking client to leave ready');

    const duty = await meetingWithReminderIn(bot, clock, 1500);
    clock.t = Date.now();
    const sent = await eventually(async () => (await reminderCards(driver, duty.number)).length > 0 && reminderCards(driver, duty.number), 30000, 'the reminder');
    expect(sent).toHaveLength(1);
    expect(client.status).not.toBe('ready');
    expect(remindersWorker(bot)).not.toBe(wedged);
    expect(await restarts(bot, 'reminders')).toBe(1);
    expect(await restarts(bot, 'cards')).toBe(0);

    // Stopping closes the replacement and the wedged worker too, without waiting for the wedged connection.
    const replacement = remindersWorker(bot);
    const stopping = Date.now();
    await bot.stop();
    started = undefined;
    expect(Date.now() - stopping).toBeLessThan(5000);
    // Both closed (close() started and settled), the wedged client ended.
    await expect(replacement.closing).resolves.toBeUndefined();
    await expect(wedged.closing).resolves.toBeUndefined();
    expect(client.status).toBe('end');
  }, 60000);

  it('should never replace a worker of a healthy bot', async () => {
    clock = new TestClock(Date.now());
    const bot = await startBot({ clock: () => clock.now(), env: { DEFAULT_QUIET_HOURS: 'off', WORKER_WATCHDOG_SECONDS: '1' } });
    started = bot;
    const driver = new SandboxDriver(bot);
    const worker = remindersWorker(bot);
    const duty = await meetingWithReminderIn(bot, clock, 1000);
    clock.t = Date.now();
    await eventually(async () => (await reminderCards(driver, duty.number)).length > 0, 10000, 'the reminder');
    // Past BullMQ's own blocking timeout (drainDelay 5 s) and its reset of the blocking connection, several watchdog periods.
    await new Promise((r) => setTimeout(r, 8000));
    expect(remindersWorker(bot)).toBe(worker);
    const text = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    expect(text.split('\n').filter((l) => l.startsWith('luoshi_worker_restarts_total{'))).toEqual([]);
  }, 30000);
});
