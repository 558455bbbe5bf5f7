import type { PlatformContext } from '../module';
import type { DingTalkPlatform } from './index';

/**
 * DingTalk, when DINGTALK_CLIENT_ID is set (README "DingTalk"), its module loaded only then: it brings
 * `dingtalk-stream` (with axios and ws), about 20 MB and 0.2 s that a process without DingTalk never uses
 * (bench/README.md, bench:startup T2). Types stay static; the import is dynamic.
 */
export async function loadDingTalk(ctx: PlatformContext): Promise<DingTalkPlatform | undefined> {
  if (!ctx.config.DINGTALK_CLIENT_ID) return undefined;
  const { createDingTalk } = await import('./index');
  return createDingTalk(ctx);
}
