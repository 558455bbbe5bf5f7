import { Redis } from 'ioredis';
import { SandboxClient } from '../../src/platforms/sandbox/client';
import { DEMO_CHAT, DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { TxPool } from '../../src/store/redis';
import { SandboxRepo } from '../../src/store/sandbox-repo';
import { REDIS_URL, removePrefix, uniquePrefix } from '../helpers/harness';
import { describeConformance } from './adapter-conformance';
import { plain } from '../helpers/sandbox-driver';

describeConformance('sandbox', async () => {
  const prefix = uniquePrefix();
  const redis = new Redis(REDIS_URL);
  const tx = new TxPool(redis);
  const repo = new SandboxRepo(redis, tx, prefix);
  await repo.saveChat(DEMO_CHAT, DEMO_MEMBERS);
  const port = new SandboxClient(repo, Date.now);
  return {
    port,
    chatId: DEMO_CHAT.id,
    unknownChatId: 'no-such-chat',
    members: DEMO_MEMBERS,
    messages: async () => (await repo.history(DEMO_CHAT.id)).map((m) => ({ platform: 'sandbox' as const, chatId: m.chatId, messageId: m.id })),
    inspect: async (ref) => {
      const m = await repo.get(ref.messageId);
      if (!m) throw new Error('no such message');
      return m.kind === 'card'
        ? { kind: 'card', ...(m.card ? { tally: m.card.tally } : {}), updates: m.updatedAt ? 1 : 0, mentions: [] }
        : { kind: 'text', text: plain(m.text), updates: 0, mentions: (m.text ?? []).flatMap((s) => ('mention' in s ? [s.mention.id] : [])) };
    },
    stop: async () => {
      await tx.close();
      redis.disconnect();
      await removePrefix(prefix);
    },
  };
});
