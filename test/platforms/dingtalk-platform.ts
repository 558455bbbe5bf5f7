import { Redis } from 'ioredis';
import { DingTalkPlatform, type DingTalkPlatformDeps } from '../../src/platforms/dingtalk';
import { createQueues } from '../../src/queue/queues';
import { ChatRepo } from '../../src/store/chat-repo';
import { dingtalkState } from '../../src/store/platform-state/dingtalk-state';
import { RatePacer } from '../../src/store/rate-pacer';
import type { FakeDingTalk } from '../fakes/dingtalk';
import { REDIS_URL, removePrefix, silentLogger, testConfig } from '../helpers/harness';

/** How the platform is built: its mode, with or without our card template, and what it hands inbound events to. */
export interface PlatformOnFakeOptions {
  readonly mode: 'stream' | 'http';
  readonly template: boolean;
  readonly inbound: DingTalkPlatformDeps['inbound'];
  readonly memberPageSize?: number;
}

/**
 * A DingTalkPlatform against the fake (started at `baseUrl`), with its state, pacer and chat records on the shared
 * Redis under a prefix of its own and its deferred tally on a real queue. `close` stops it, closes its connections
 * and removes its keys; the fake is the caller's.
 */
export async function platformOnFake(
  fake: FakeDingTalk,
  baseUrl: string,
  o: PlatformOnFakeOptions,
): Promise<{ platform: DingTalkPlatform; pacer: RatePacer; close(): Promise<void> }> {
  const config = testConfig({
    DINGTALK_CLIENT_ID: fake.clientId,
    DINGTALK_CLIENT_SECRET: fake.clientSecret,
    DINGTALK_MODE: o.mode,
    DINGTALK_API_BASE: baseUrl,
    DINGTALK_OAPI_BASE: baseUrl,
    ...(o.template ? { DINGTALK_CARD_TEMPLATE_ID: 'luoshi-duty.schema' } : {}),
  });
  const prefix = config.REDIS_KEY_PREFIX;
  const redis = new Redis(REDIS_URL);
  const queueRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(queueRedis, prefix);
  const pacer = new RatePacer(redis, prefix);
  const platform = new DingTalkPlatform(config, {
    state: dingtalkState(redis, prefix),
    defer: async (work, d) => void (await queues.tally.add('flush', { ...work }, { jobId: d.id, delay: d.delayMs })),
    pacer,
    chats: new ChatRepo(redis, prefix),
    inbound: o.inbound,
    notify: async () => undefined,
    clock: Date.now,
    log: silentLogger(),
    ...(o.memberPageSize ? { memberPageSize: o.memberPageSize } : {}),
  });
  return {
    platform,
    pacer,
    close: async () => {
      platform.stop();
      await queues.close();
      redis.disconnect();
      queueRedis.disconnect();
      await removePrefix(prefix);
    },
  };
}
