import { Redis } from 'ioredis';
import pino from 'pino';
import { FeishuClient } from '../../src/platforms/feishu/client';
import { RatePacer } from '../../src/store/rate-pacer';
import { FakeFeishu } from '../fakes/feishu';
import { cardTally, textOf } from '../feishu/support';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';
import { describeConformance } from './adapter-conformance';

const CHAT = 'oc_conformance00000000000000001';
const MEMBERS = [
  { id: 'ou_owner000000000000000000000001', name: '王建国' },
  { id: 'ou_member00000000000000000000002', name: '李明' },
  { id: 'ou_member00000000000000000000003', name: '张丽' },
];

describeConformance('feishu', async () => {
  const prefix = uniquePrefix();
  const fake = new FakeFeishu({ memberPageSize: 2 });
  const baseUrl = await fake.start();
  fake.addChat({ chatId: CHAT, name: '支部', ownerId: MEMBERS[0]?.id ?? '', managers: [], members: MEMBERS.map((m) => ({ open_id: m.id, name: m.name })) });
  const redis = new Redis(REDIS_URL);
  const port = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl, pacer: new RatePacer(redis, prefix), log: pino({ level: 'silent' }) });
  return {
    port,
    chatId: CHAT,
    unknownChatId: 'oc_unknown000000000000000000000',
    members: MEMBERS,
    messages: async () => fake.messagesIn(CHAT).map((m) => ({ platform: 'feishu' as const, chatId: CHAT, messageId: m.messageId })),
    inspect: async (ref) => {
      const m = fake.message(ref.messageId);
      if (!m) throw new Error('no such message');
      const current = m.patches.length > 0 ? m.patches[m.patches.length - 1] : m.content;
      return m.msgType === 'interactive'
        ? { kind: 'card', ...(cardTally(current) ? { tally: cardTally(current) } : {}), updates: m.patches.length, mentions: [] }
        : { kind: 'text', text: textOf(m), updates: 0, mentions: [...textOf(m).matchAll(/<at user_id="([^"]+)">/g)].map((x) => x[1] ?? '') };
    },
    stop: async () => {
      redis.disconnect();
      await fake.stop();
      await removePrefix(prefix);
    },
  };
});
