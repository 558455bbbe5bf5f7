import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { PlatformContext } from '../../platforms/module';
import type { Connections } from '../connections';
import { logDamaged } from '../records';
import { SandboxRepo } from '../sandbox-repo';
import { dingtalkState } from './dingtalk-state';
import { configRecordKeys } from '../key-prefixes';
import type { Keys } from '../keys';

/** What each adapter keeps for itself in Redis (src/platforms/module.ts `PlatformContext.state`), built on first use. */
export function platformStores(connections: Connections, config: Config, log: Logger, keys?: Keys): PlatformContext['state'] {
  const prefix = keys ?? configRecordKeys(config);
  return {
    dingtalk: () => dingtalkState(connections.store, prefix),
    console: () =>
      new SandboxRepo(connections.store, connections.tx, prefix, { historyCap: config.SANDBOX_HISTORY_LIMIT, report: logDamaged(log.child({ component: 'store' })) }),
    subscribe: (channel, onMessage) => connections.subscribe(channel, onMessage),
  };
}
