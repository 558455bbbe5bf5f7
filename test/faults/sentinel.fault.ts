import type { Answer, Duty, Member } from '../../src/domain/types';
import { FakeFeishu } from '../fakes/feishu';
import { MASTER_NAME, SentinelWorld } from './sentinel-support';
import { BotProcess, type AnswerPush as Push, SECRETARY, Store, feishuEnv, freePort, historyOf, killAll, toastType, waitFor } from './support';

/**
 * Issue 16 item 2: the bot, a child process, reaches Redis only through three sentinels (REDIS_SENTINELS,
 * REDIS_SENTINEL_NAME; REDIS_URL points nowhere). Members answer meeting cards (card callbacks, each acknowledged by
 * the bot) in a burst; the master is SIGKILLed mid-burst; the sentinels promote the replica; the bot reconnects by
 * itself: /readyz answers 503, then 200, and answers are acknowledged again. Every answer acknowledged more than
 * 1 s before the kill is on the promoted master with its history entry (replication is asynchronous: the last
 * second may be lost), and so is every answer acknowledged after the recovery.
 */
const CHAT = 'oc_sentinel00000000000000000001';
const DUTIES = 100;
const MEMBER_COUNT = 30;
const PUSHERS = 4;
const members: Member[] = Array.from({ length: MEMBER_COUNT }, (_, i) => ({ id: i === 0 ? SECRETARY : `ou_sntmember${String(i).padStart(20, '0')}`, name: `党员${i}` }));

describe('fault: the Redis master behind Sentinel is SIGKILLed while the bot takes answers', () => {
  const prefix = 'faults-sentinel';
  const fake = new FakeFeishu();
  let world: SentinelWorld | undefined;

  beforeAll(async () => {
    await fake.start();
    world = await SentinelWorld.start();
  });

  afterAll(async () => {
    await killAll();
    await fake.stop();
    await world?.destroy();
  });

  it('should fail over to the replica: /readyz 503 then 200, answers acknowledged over 1 s before the kill kept, answers taken again', async () => {
    if (!world) throw new Error('no sentinel world');
    const { master, replica } = world;
    const seed = new Store(master.url, prefix);
    const now = Date.now();
    const chat = { platform: 'feishu' as const, chatId: CHAT };
    const duties: Duty[] = [];
    try {
      await seed.chats.saveRoster(chat, members.map((m, i) => ({ ...m, platformRole: i === 0 ? 'owner' : 'member' })), now, '第一党支部');
      for (let i = 0; i < DUTIES; i++) {
        duties.push(
          await seed.duties.create(
            { chat, kind: 'meeting', label: '会议', title: `支部委员会${i}`, at: now + 2 * 86_400_000 + i * 60_000, organizer: members[0] ?? { id: SECRETARY, name: '书记' }, audience: members.map((m) => m.id), reminderOffsets: [] },
            now,
          ),
        );
      }
    } finally {
      await seed.close();
    }

    // REDIS_URL names a port nothing listens on: every connection must come from the sentinels.
    const env = feishuEnv(fake, `redis://127.0.0.1:${await freePort()}`, prefix, { REDIS_SENTINELS: world.sentinelList, REDIS_SENTINEL_NAME: MASTER_NAME });
    const bot = new BotProcess('sentinel', await freePort(), env);
    await bot.ready(40000);

    const pairs = duties.flatMap((d) => members.map((m) => ({ dutyId: d.id, member: m.id })));
    const pushes: Push[] = [];
    let next = 0;
    let stopAt = Number.POSITIVE_INFINITY;
    const pusher = async (): Promise<void> => {
      while (Date.now() < stopAt && next < pairs.length) {
        const pair = pairs[next++];
        if (!pair) break;
        const sentAt = Date.now();
        try {
          const res = await bot.click({ chatId: CHAT, dutyId: pair.dutyId, member: pair.member, timeoutMs: 3000 });
          pushes.push({ ...pair, sentAt, ackAt: Date.now(), status: res.status, ...(toastType(res.json) ? { toast: toastType(res.json) } : {}) });
        } catch {
          pushes.push({ ...pair, sentAt, ackAt: Date.now(), status: 'error' });
        }
        // A steady burst, not a flood: answers keep coming through the whole failover (refused ones, slower).
        await new Promise((resolve) => setTimeout(resolve, pushes.at(-1)?.status === 200 ? 20 : 200));
      }
    };
    const running = Promise.all(Array.from({ length: PUSHERS }, () => pusher()));
    // When the master was killed, /readyz first said 503, and then 200 again.
    const at = { kill: Number.NaN, down: Number.NaN, up: Number.NaN };
    try {
      await waitFor(() => pushes.filter((p) => p.status === 200 && p.ackAt < Date.now() - 1100).length >= 100, 30000, '100 answers acknowledged over a second ago');
      at.kill = await master.kill();
      // /readyz: 503 while there is no master, then 200 once the bot is on the promoted replica.
      await waitFor(async () => ((await bot.status('/readyz')) === 503 ? true : undefined), 10000, '/readyz 503 after the kill', 50);
      at.down = Date.now();
      await waitFor(async () => ((await bot.status('/readyz')) === 200 ? true : undefined), 40000, '/readyz 200 after the failover', 100);
      at.up = Date.now();
      expect(await world.masterPort()).toBe(replica.port);
      // Keep answering for a while on the new master.
      await waitFor(() => pushes.filter((p) => p.sentAt > at.up && p.status === 200 && p.toast === 'success').length >= 20, 15000, '20 answers acknowledged after the failover');
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${bot.tail(8)}`, { cause: err });
    } finally {
      stopAt = 0;
      await running;
    }
    const { kill: killAt, down: downAt, up: upAt } = at;
    expect(downAt).toBeGreaterThan(killAt);
    expect(upAt).toBeGreaterThan(downAt);

    const acked = pushes.filter((p) => p.status === 200 && p.toast === 'success');
    const mustSurvive = acked.filter((p) => p.ackAt < killAt - 1000);
    const lastSecond = acked.filter((p) => p.ackAt >= killAt - 1000 && p.ackAt < killAt);
    const afterFailover = acked.filter((p) => p.sentAt > upAt);
    expect(mustSurvive.length).toBeGreaterThanOrEqual(100);
    expect(afterFailover.length).toBeGreaterThanOrEqual(20);
    // Before the kill every answer is acknowledged as a success.
    expect(pushes.filter((p) => p.ackAt < killAt && !(p.status === 200 && p.toast === 'success'))).toEqual([]);
    expect(bot.alive()).toBe(true);

    // Read back from the promoted replica itself.
    const r = replica.client();
    try {
      expect(await r.call('ROLE').then((role) => (Array.isArray(role) ? role[0] : undefined))).toBe('master');
      const missing: Push[] = [];
      const withoutHistory: Push[] = [];
      for (const p of [...mustSurvive, ...lastSecond, ...afterFailover]) {
        const raw = await r.hget(`${prefix}:duty:${p.dutyId}:answers`, p.member);
        const answer = raw ? (JSON.parse(raw) as Answer) : undefined;
        if (answer?.status !== 'attending') missing.push(p);
        const history = await historyOf(r, prefix, p.dutyId);
        if (!history.some((h) => h.type === 'answer' && h.by === p.member && h.status === 'attending')) withoutHistory.push(p);
      }
      const lostInLastSecond = missing.filter((p) => p.ackAt >= killAt - 1000 && p.ackAt < killAt).length;
      console.log(
        `[faults] sentinel: ${mustSurvive.length} answers acknowledged over 1 s before the kill, ${lostInLastSecond} of ${lastSecond.length} in the last second lost; /readyz 503 ${downAt - killAt} ms and 200 ${upAt - killAt} ms after the kill; ${afterFailover.length} answers after the failover`,
      );
      expect(missing.filter((p) => p.ackAt < killAt - 1000 || p.sentAt > upAt)).toEqual([]);
      expect(withoutHistory.filter((p) => p.ackAt < killAt - 1000 || p.sentAt > upAt)).toEqual([]);
    } finally {
      r.disconnect();
    }
    // SIGTERM still stops it cleanly: every sentinel connection (and its failover listener) closes.
    await bot.kill('SIGTERM');
    expect(bot.lines().some((l) => l.msg === 'stopped')).toBe(true);
  }, 90000);
});
