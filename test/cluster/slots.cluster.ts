import { Redis, type Cluster, type Command } from 'ioredis';
import { CAMPAIGN_REFUSAL } from '../../src/domain/permissions';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { openCluster } from './cluster-env';
import { keySlot } from './key-slot';
import { bucket } from '../../src/store/keys';

/*
 * Issue 16 item 1: every key that a script, a MULTI (with its WATCH) or a multi-key command touches together shares
 * one hash slot. Every command any connection of the bot sends (the store's, the transaction pool's, BullMQ's) is
 * seen on its way to a node; the keys of each such group are checked with the slot function of the cluster spec,
 * while a console session creates meetings, answers, starts a campaign over several chats (one CREATE_DUTIES per
 * chat), and cancels. Then: the records are spread by chat (src/store/keys.ts): a chat's keys and its duties' keys
 * share the chat's slot `{prefix:<bucket>}`, chats of different buckets land in different slots, the indexes across
 * chats stay in `{prefix}`, and each queue's keys are in `{prefix:<queue>}`.
 */

jest.setTimeout(90000);

interface Group {
  readonly what: string;
  readonly keys: string[];
}

describe('hash slots on the cluster', () => {
  let cluster: Cluster;
  let started: StartedBot | undefined;
  const clock = new TestClock(Date.parse('2026-11-27T10:00:00+08:00'));

  beforeAll(async () => {
    cluster = await openCluster();
  });
  afterAll(async () => {
    await started?.stop();
    cluster.disconnect();
  });

  it('should compute the slot as the cluster does', async () => {
    for (const key of ['luoshi:chat:sandbox:x', '{luoshi}:duty:abc', '{luoshi:queues}:bull:reminders:1', 'a{}b', '{}{x}', '{x', '发起']) {
      expect(keySlot(key)).toBe(Number(await cluster.call('CLUSTER', 'KEYSLOT', key)));
    }
  });

  it('should send no script, MULTI or multi-key command whose keys span two slots', async () => {
    const groups: Group[] = [];
    const open = new WeakMap<object, Group>();
    const original = Redis.prototype.sendCommand;
    const spy = jest.spyOn(Redis.prototype, 'sendCommand').mockImplementation(function (this: Redis, command: Command, stream?: Parameters<Redis['sendCommand']>[1]) {
      const name = command.name.toLowerCase();
      const keys = command.getKeys().map(String);
      let group = open.get(this);
      if (!group && (name === 'watch' || name === 'multi')) {
        group = { what: name, keys: [] };
        open.set(this, group);
      }
      if (group) {
        group.keys.push(...keys);
        if (name === 'exec' || name === 'discard' || name === 'unwatch') {
          groups.push(group);
          open.delete(this);
        }
      } else if (keys.length > 1) {
        groups.push({ what: name, keys });
      }
      return original.call(this, command, stream);
    });
    let branchChat = '';
    try {
      started = await startBot({ clock: () => clock.now(), env: { COMMITTEE_CHATS: 'sandbox:committee', DEFAULT_QUIET_HOURS: 'off' } });
      const sandbox = started.bot.sandbox;
      if (!sandbox) throw new Error('sandbox is off');
      const branch = new SandboxDriver(started);
      branchChat = branch.chatId;
      expect(await branch.command('u1', '会议 支部委员会 明天下午3点 地点 三楼会议室')).toContain('#1');
      await branch.clickButton(await branch.card(1), 'u2', '参加');
      await branch.clickButton(await branch.card(1), 'u3', '请假', { reason: '出差' });

      await sandbox.repo.saveChat({ id: 'committee', name: '机关工委' }, [{ id: 'w1', name: '周书记', platformRole: 'owner' }]);
      await started.bot.services.chats.touch({ platform: 'sandbox', chatId: 'committee' }, '机关工委', undefined, 'group');
      for (let i = 0; i < 5; i++) {
        const chat = { id: `branch-${i + 10}`, name: `第${i + 1}支部` };
        await sandbox.repo.saveChat(chat, [{ id: `b${i}m0`, name: `成员${i}`, platformRole: 'owner' }, { id: `b${i}m1`, name: `成员${i}-1` }]);
        await started.bot.services.chats.touch({ platform: 'sandbox', chatId: chat.id }, chat.name, undefined, 'group');
      }
      const committee = new SandboxDriver(started, 'committee');
      const reply = await committee.command('w1', '发起 述职 2026年度述职报告 截止 12月20日 范围 全部');
      expect(reply).not.toBe(CAMPAIGN_REFUSAL);
      expect(reply).toContain('已在');
      expect(await branch.command('u1', '取消 #1')).toContain('#1');
    } finally {
      spy.mockRestore();
    }

    const prefix = started.config.REDIS_KEY_PREFIX;
    const crossing = groups.filter((g) => new Set(g.keys.map(keySlot)).size > 1);
    expect(crossing).toEqual([]);
    const mine = groups.flatMap((g) => g.keys).filter((k) => k.includes(prefix));
    const queued = mine.filter((k) => /^\{[^}]+\}:bull:/.test(k));
    const records = mine.filter((k) => !queued.includes(k));
    // The campaign's creation: one script per chat, each over that chat's keys and its guard (the chat's campaign hash).
    for (let i = 0; i < 5; i++) {
      const chat = `:chat:sandbox:branch-${i + 10}:`;
      expect(groups.some((g) => g.keys.some((k) => k.includes(`${chat}campaign`)) && g.keys.filter((k) => k.includes(chat)).length >= 5)).toBe(true);
    }
    // A chat's keys carry its bucket's tag, and its duties' keys are in the same slot.
    const chatSlot = (chatId: string): number => keySlot(`{${prefix}:${bucket(`sandbox:${chatId}`)}}`);
    const meeting = await started.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: branchChat }, 1);
    expect(meeting?.id.slice(0, 4)).toBe(bucket(`sandbox:${branchChat}`));
    const ofMeeting = records.filter((k) => k.includes(`:duty:${meeting?.id ?? '?'}`));
    expect(ofMeeting.length).toBeGreaterThan(3);
    expect(new Set(ofMeeting.map(keySlot))).toEqual(new Set([chatSlot(branchChat)]));
    const ofChat = records.filter((k) => k.includes(`:chat:sandbox:${branchChat}:`));
    expect(new Set(ofChat.map(keySlot))).toEqual(new Set([chatSlot(branchChat)]));
    // Chats of different buckets: different slots (the records spread over the masters).
    const chatIds = [branchChat, ...[10, 11, 12, 13, 14].map((n) => `branch-${n}`)];
    expect(new Set(chatIds.map((c) => bucket(`sandbox:${c}`))).size).toBeGreaterThan(1);
    expect(new Set(chatIds.map(chatSlot)).size).toBeGreaterThan(1);
    for (const c of chatIds) {
      const keys = records.filter((k) => k.includes(`:chat:sandbox:${c}:`));
      expect(keys.every((k) => k.startsWith(`{${prefix}:${bucket(`sandbox:${c}`)}}:`))).toBe(true);
    }
    // The indexes across chats stay under the global tag.
    const global = records.filter((k) => k.startsWith(`{${prefix}}:`));
    expect(new Set(global.map(keySlot))).toEqual(new Set(global.length > 0 ? [keySlot(`{${prefix}}`)] : []));
    // Each queue's keys in the slot of {prefix:<its name>}.
    expect(queued.filter((k) => keySlot(k) !== keySlot(`{${prefix}:${/:bull:([^:]+):/.exec(k)?.[1] ?? '?'}}`))).toEqual([]);
    expect([...new Set(queued.map((k) => /:bull:([^:]+):/.exec(k)?.[1]))]).toEqual(expect.arrayContaining(['reminders', 'cards', 'inbound', 'series']));
    expect(new Set(queued.map(keySlot)).size).toBeGreaterThanOrEqual(4);
    console.log(`[cluster] slots: ${groups.length} scripts, MULTIs and multi-key commands checked, ${mine.length} keys`);
  });
});
