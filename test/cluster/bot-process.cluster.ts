import type { Cluster } from 'ioredis';
import { randomPort, startProcess, stopProcess, type Running } from '../helpers/bot-process';
import { eventually, removePrefix, uniquePrefix } from '../helpers/harness';
import { clusterKeys, CLUSTER_NODES, openCluster } from './cluster-env';

/*
 * Issue 16 item 1: the bot started as `npm start` starts it, with REDIS_CLUSTER_NODES naming a 3-master Redis
 * Cluster: /readyz answers 200, a console command is answered, a meeting's card is posted and a member's answer
 * recorded (the store's scripts and MULTIs run on the cluster: a key of another slot would fail with CROSSSLOT), and
 * every key the bot wrote carries its prefix's hash tag (src/store/key-prefixes.ts).
 */

interface Message {
  readonly id: string;
  readonly kind: string;
  readonly replyTo?: string;
  readonly text?: readonly ({ text: string } | { mention: { name: string } })[];
  readonly card?: { header: { title: string; subtitle: string }; buttons: { label: string; value: unknown }[]; tally?: string };
}

const plain = (m: Message): string => (m.text ?? []).map((s) => ('text' in s ? s.text : `@${s.mention.name}`)).join('');

describe('the bot process on a Redis Cluster', () => {
  const prefix = uniquePrefix();
  let cluster: Cluster;
  let run: Running | undefined;

  beforeAll(async () => {
    cluster = await openCluster();
  });

  afterAll(async () => {
    if (run) await stopProcess(run);
    await removePrefix(prefix);
    cluster.disconnect();
  });

  it('should answer /readyz, a console command and a card click, with every key tagged', async () => {
    const port = randomPort();
    const base = `http://127.0.0.1:${port}`;
    run = startProcess({ PORT: port, REDIS_CLUSTER_NODES: CLUSTER_NODES, REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: prefix, DEFAULT_QUIET_HOURS: 'off' });
    await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 40000, 'readyz');

    const post = async (path: string, body: unknown): Promise<{ status: number; json: unknown }> => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    };
    const history = async (): Promise<Message[]> => ((await (await fetch(`${base}/sandbox/api/messages?chat=branch-1&limit=200`)).json()) as { messages: Message[] }).messages;
    const say = async (text: string): Promise<Message> => {
      const res = await post('/sandbox/api/messages', { chatId: 'branch-1', senderId: 'u1', text });
      expect(res.status).toBe(202);
      const id = (res.json as { message: { id: string } }).message.id;
      return eventually(async () => (await history()).find((m) => m.replyTo === id && m.kind === 'text'), 10000, `a reply to「${text}」`);
    };

    expect(plain(await say('@落实 帮助'))).toContain('会议');
    expect(plain(await say('@落实 会议 支部委员会 明天下午3点 地点 三楼会议室'))).toContain('#1');
    const card = await eventually(async () => (await history()).find((m) => m.kind === 'card' && m.card?.header.subtitle.startsWith('#1') === true), 10000, 'the card of #1');
    const join = card.card?.buttons.find((b) => b.label === '参加');
    expect(join).toBeDefined();
    const click = await post('/sandbox/api/actions', { chatId: 'branch-1', messageId: card.id, actorId: 'u2', value: join?.value });
    expect(click.status).toBe(200);
    expect(plain(await say('@落实 列表'))).toContain('支部委员会');

    // A chat's and its duties' records under {prefix:<its bucket>}, the global ones under {prefix}, each queue under
    // {prefix:<queue>} (src/store/keys.ts); nothing untagged.
    expect(await clusterKeys(cluster, `${prefix}:*`)).toEqual([]);
    const duties = await clusterKeys(cluster, `[{]${prefix}:*[}]:duty:*`);
    expect(duties.length).toBeGreaterThan(0);
    expect(duties.filter((k) => !/^\{[^}]+:[a-z2-7]{4}\}:duty:/.test(k))).toEqual([]);
    expect((await clusterKeys(cluster, `[{]${prefix}[}]:chats`)).length).toBe(1);
    expect((await clusterKeys(cluster, `[{]${prefix}:reminders[}]:bull:reminders:*`)).length).toBeGreaterThan(0);
    const unknown = (await clusterKeys(cluster, `*${prefix}*`)).filter((k) => !k.startsWith(`{${prefix}}:`) && !k.startsWith(`{${prefix}:`));
    expect(unknown).toEqual([]);

    const stopped = run;
    run = undefined;
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited).toBe(0);
  }, 90000);
});
