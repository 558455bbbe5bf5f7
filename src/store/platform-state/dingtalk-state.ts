import type { StoreConnection } from '../redis-cluster';
import type { Keys } from '../keys';
import type { DingTalkState } from '../../platforms/dingtalk/state';
import { DingTalkCallbacks } from './dingtalk-callbacks';
import { DingTalkCardShown } from './dingtalk-card-shown';
import { DingTalkDirectChats } from './dingtalk-direct-chats';
import { DingTalkGroups } from './dingtalk-groups';
import { DingTalkQuota } from './dingtalk-quota';
import { DingTalkSends } from './dingtalk-sends';
import { DingTalkSessions } from './dingtalk-sessions';
import { DingTalkSignatures } from './dingtalk-signatures';
import { DingTalkTally } from './dingtalk-tally';

/** The DingTalk adapter's platform state on Redis, every key under `<prefix>:dingtalk:`. */
export function dingtalkState(redis: StoreConnection, prefix: string | Keys): DingTalkState {
  return {
    sessions: new DingTalkSessions(redis, prefix),
    sends: new DingTalkSends(redis, prefix),
    callbacks: new DingTalkCallbacks(redis, prefix),
    groups: new DingTalkGroups(redis, prefix),
    directs: new DingTalkDirectChats(redis, prefix),
    shown: new DingTalkCardShown(redis, prefix),
    quota: new DingTalkQuota(redis, prefix),
    signatures: new DingTalkSignatures(redis, prefix),
    tally: new DingTalkTally(redis, prefix),
  };
}
