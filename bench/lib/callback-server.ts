/**
 * The server side of `npm run bench:callback`, run in a child process of its own so that the load generator
 * (autocannon, in the parent) does not share the bot's event loop.
 *
 * It starts the fake Feishu Open API, a real Bot with Feishu on (webhook, encrypt key and verification token) and
 * the workers running, seeds one chat with 50 members and one meeting (its card really posted to the fake), and a
 * baseline: a bare express route that parses JSON and answers. It talks to the parent over the IPC channel:
 *   parent → child  { type: 'mark' }            start a measurement window (event-loop utilisation, CPU)
 *   parent → child  { type: 'window' }          end it: answers { type: 'window', elu, cpuMs }
 *   parent → child  { type: 'stop' }            stop everything, remove the keys, answer { type: 'stopped', … }
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import express from 'express';
import { Bot } from '../../src/bot';
import type { Duty } from '../../src/domain/types';
import { FakeFeishu } from '../../test/fakes/feishu';
import { CHAT, ENCRYPT_KEY, MEMBER_COUNT, memberId, VERIFICATION_TOKEN, type ReadyMessage, type StoppedMessage, type WindowMessage } from './callback-shared';
import { benchConfig, benchPrefix, removePrefix, silentLog, sleep } from './common';

type FromParent = { type: 'mark' } | { type: 'window' } | { type: 'stop' };

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    server.on('error', reject);
  });
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('callback-server must be started with an IPC channel (fork)');
  const send = (m: ReadyMessage | WindowMessage | StoppedMessage): void => {
    process.send?.(m);
  };
  const prefix = benchPrefix('callback');
  const fake = new FakeFeishu();
  const fakeUrl = await fake.start();
  const members = Array.from({ length: MEMBER_COUNT }, (_, i) => ({ open_id: memberId(i), name: `党员${i + 1}` }));
  fake.addChat({ chatId: CHAT, name: '压测支部', ownerId: memberId(0), managers: [], members });

  const config = benchConfig(prefix, {
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_BASE_URL: fakeUrl,
  });
  const workers = process.env.BENCH_CALLBACK_WORKERS !== '0';
  const bot = new Bot({ config, log: silentLog(), workers });
  const port = await bot.start(0, '127.0.0.1');

  const baselineApp = express();
  baselineApp.disable('x-powered-by');
  baselineApp.post('/feishu/events', express.json({ type: () => true, limit: '256kb' }), (req, res) => {
    const body: unknown = req.body;
    res.json({ toast: { type: 'success', content: typeof body === 'object' && body !== null ? 'ok' : 'empty' } });
  });
  const baseline = await listen(baselineApp);

  const { services } = bot;
  const now = Date.now();
  const chat = { platform: 'feishu' as const, chatId: CHAT };
  await services.chats.saveRoster(
    chat,
    members.map((m) => ({ id: m.open_id, name: m.name })),
    now,
    '压测支部',
  );
  const duty: Duty = await services.dutyService.create(
    {
      chat,
      organizer: { id: memberId(0), name: '党员1' },
      kind: 'meeting',
      label: '会议',
      title: '支部委员会（压测）',
      at: now + 3 * 24 * 3600 * 1000,
    },
    now,
  );
  if (!workers) bot.startWorkers();
  // Wait for the announcement card: the answers' refresh jobs then really patch it on the fake.
  let messageId = '';
  for (let i = 0; i < 400 && !messageId; i++) {
    const cards = await services.duties.cards(duty.id);
    messageId = cards[0]?.messageId ?? '';
    if (!messageId) await sleep(25);
  }
  if (!messageId) throw new Error('the announcement card was not posted');
  if (!workers) await bot.stopWorkers();

  let stopping = false;
  let mark: { elu: EventLoopUtilization; cpu: NodeJS.CpuUsage; at: number } | undefined;
  process.on('message', (raw: FromParent) => {
    void (async () => {
      if (raw.type === 'mark') {
        mark = { elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), at: performance.now() };
      } else if (raw.type === 'window') {
        const from = mark ?? { elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), at: performance.now() };
        const elu = performance.eventLoopUtilization(from.elu);
        const cpu = process.cpuUsage(from.cpu);
        send({ type: 'window', elu: elu.utilization, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - from.at });
      } else if (raw.type === 'stop') {
        stopping = true;
        const answers = (await services.duties.answers(duty.id)).size;
        const history = (await services.duties.history(duty.id)).length;
        const refreshJobs = await bot.queues.cards.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active');
        const stats = fake.stats();
        const patches = fake.message(messageId)?.patches.length ?? 0;
        await new Promise<void>((resolve) => baseline.server.close(() => resolve()));
        baseline.server.closeAllConnections();
        await bot.stop();
        await fake.stop();
        await removePrefix(prefix);
        send({ type: 'stopped', answers, history, fake429: stats.rateLimited429, fake230020: stats.rateLimited230020, patches, refreshJobs });
        setTimeout(() => process.exit(0), 50);
      }
    })().catch((err: unknown) => {
      console.error('callback-server:', err);
      process.exit(1);
    });
  });
  process.on('disconnect', () => {
    // The parent died: clean up and go.
    if (stopping) return;
    stopping = true;
    void bot
      .stop()
      .then(() => fake.stop())
      .then(() => removePrefix(prefix))
      .finally(() => process.exit(1));
  });

  send({
    type: 'ready',
    botUrl: `http://127.0.0.1:${port}/feishu/events`,
    baselineUrl: `${baseline.url}/feishu/events`,
    chatId: CHAT,
    dutyId: duty.id,
    messageId,
    members: members.map((m) => m.open_id),
    prefix,
    workers,
  });
}

main().catch((err: unknown) => {
  console.error('callback-server failed:', err);
  process.exit(1);
});
