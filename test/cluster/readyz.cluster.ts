import pino from 'pino';
import { Bot } from '../../src/bot';
import { CARD_QUEUE, INBOUND_QUEUE, MINUTES_QUEUE, queueBullPrefix, REMINDER_QUEUE, SERIES_QUEUE, SIGNIN_QUEUE, TALLY_QUEUE } from '../../src/queue/queues';
import { keyPrefixes } from '../../src/store/key-prefixes';
import { eventually, removePrefix, testConfig, uniquePrefix } from '../helpers/harness';
import { CLUSTER_NODES } from './cluster-env';
import { keySlot } from './key-slot';
import { PrivateCluster } from './private-cluster';

/*
 * Issue 16: records are tagged by chat (src/store/keys.ts), so any master of a Redis Cluster may hold a chat's
 * records, and /readyz pings every master of the slot map (src/store/store-probe.ts), not only those of the slots
 * the process knows of (the records' `{prefix}`, each queue's). Through the HTTP endpoint of a started bot: 200 on the
 * shared 3-master cluster; on a cluster of the test's own, a master that holds none of those slots, paused (no answer
 * at all) and then shut down (connection refused), makes /readyz answer 503 naming it, logged as a warning, and
 * 200 again once it answers (the pause over; started again).
 */

jest.setTimeout(120000);

const QUEUES = [REMINDER_QUEUE, CARD_QUEUE, INBOUND_QUEUE, SERIES_QUEUE, TALLY_QUEUE, MINUTES_QUEUE, SIGNIN_QUEUE];

interface ReadyBody {
  readonly ready: boolean;
  readonly failedMasters?: readonly string[];
}

async function readyz(base: string): Promise<{ status: number; body: ReadyBody; ms: number }> {
  const at = Date.now();
  const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10000) });
  return { status: res.status, body: (await res.json()) as ReadyBody, ms: Date.now() - at };
}

interface Running {
  readonly bot: Bot;
  readonly base: string;
  readonly logs: string[];
}

/** A bot started in this process on `nodes` with `prefix`, its log lines kept. */
async function startBotOn(nodes: string, prefix: string): Promise<Running> {
  const logs: string[] = [];
  const config = testConfig({ REDIS_CLUSTER_NODES: nodes, REDIS_KEY_PREFIX: prefix, DEFAULT_QUIET_HOURS: 'off' });
  const bot = new Bot({ config, log: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }) });
  const port = await bot.start(0, '127.0.0.1');
  return { bot, base: `http://127.0.0.1:${port}`, logs };
}

const inRanges = (slot: number, ranges: readonly (readonly [number, number])[]): boolean => ranges.some(([a, b]) => slot >= a && slot <= b);

describe('/readyz on a Redis Cluster', () => {
  const bots: Bot[] = [];
  let own: PrivateCluster | undefined;

  afterAll(async () => {
    try {
      // A master the test stopped is started again first (a no-op when it runs), so that a bot whose jobs wait on it
      // can stop; each stop is bounded so the private cluster is stopped whatever happens.
      await own?.up().catch(() => undefined);
      for (const bot of bots) await Promise.race([bot.stop(), new Promise((r) => setTimeout(r, 20000).unref())]);
    } finally {
      await own?.stop();
    }
  });

  it('should answer 200 when every master of the cluster answers', async () => {
    const prefix = uniquePrefix();
    const { bot, base } = await startBotOn(CLUSTER_NODES, prefix);
    bots.push(bot);
    try {
      await eventually(async () => (await readyz(base)).status === 200, 10000, '/readyz 200');
      const answer = await readyz(base);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ ready: true });
    } finally {
      await bot.stop();
      await removePrefix(prefix);
    }
  });

  it('should answer 503 naming a master that does not answer, paused or stopped, even one holding none of the records or queues slots', async () => {
    own = await PrivateCluster.start();
    const ranges = await own.slotRanges();
    expect(ranges.size).toBe(3);
    // A prefix whose records' slot and queues' slots all miss one master: the old probe (one key per slot) never asked it.
    let pick: { prefix: string; port: number } | undefined;
    for (let i = 0; i < 2000 && !pick; i++) {
      const candidate = uniquePrefix();
      const { records, queues } = keyPrefixes(candidate, true);
      const slots = [keySlot(`${records}:x`), ...QUEUES.map((q) => keySlot(`${queueBullPrefix(queues, q)}:x`))];
      const spared = [...ranges].find(([, r]) => slots.every((s) => !inRanges(s, r)));
      if (spared) pick = { prefix: candidate, port: spared[0] };
    }
    if (!pick) throw new Error('no prefix leaving a master without its records or queues');
    const { prefix, port } = pick;
    const node = `127.0.0.1:${port}`;

    const { bot, base, logs } = await startBotOn(own.nodes, prefix);
    bots.push(bot);
    await eventually(async () => (await readyz(base)).status === 200, 10000, '/readyz 200 on the private cluster');

    // Paused: the master takes connections and answers nothing (https://redis.io/docs/latest/commands/client-pause/).
    await own.on(port, (r) => r.call('CLIENT', 'PAUSE', '3000', 'ALL'));
    const paused = await readyz(base);
    expect(paused.status).toBe(503);
    expect(paused.body).toEqual({ ready: false, failedMasters: [node] });
    // Given up after the probe's timeout (1 s), not after the pause.
    expect(paused.ms).toBeLessThan(2500);
    const warned = logs.map((l) => JSON.parse(l) as { level: number; msg: string; failedMasters?: { node: string; error: string }[] }).find((l) => l.level === 40 && l.msg.startsWith('readyz'));
    expect(warned?.failedMasters?.map((m) => m.node)).toEqual([node]);
    expect(warned?.msg).toContain(node);
    await eventually(async () => (await readyz(base)).status === 200, 10000, '/readyz 200 after the pause');
    expect(logs.some((l) => (JSON.parse(l) as { msg: string }).msg === 'readyz: every Redis Cluster master answers again')).toBe(true);

    // Stopped: its connection is refused.
    await own.shutdown(port);
    const stopped = await eventually(async () => {
      const answer = await readyz(base);
      return answer.status === 503 ? answer : undefined;
    }, 10000, '/readyz 503 with the master stopped');
    expect(stopped.body).toEqual({ ready: false, failedMasters: [node] });

    // Back with its nodes.conf (same id, same slots): ready again (the probe had ioredis refresh its slot map).
    await own.up();
    await eventually(async () => (await readyz(base)).status === 200, 20000, '/readyz 200 with the master back');
  });
});
