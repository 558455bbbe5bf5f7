import type { PlatformContext } from '../module';
import type { FeishuPlatform } from './index';

/**
 * Feishu, when FEISHU_APP_ID is set (README "Feishu"), its module loaded only then: it brings the Lark SDK
 * (`@larksuiteoapi/node-sdk`, with axios and protobufjs), about 35 MB and 0.2–0.3 s that a process without Feishu
 * never uses (bench/README.md, bench:startup T2). Types stay static; the import is dynamic.
 */
export async function loadFeishu(ctx: PlatformContext): Promise<FeishuPlatform | undefined> {
  if (!ctx.config.FEISHU_APP_ID) return undefined;
  const { createFeishu } = await import('./index');
  return createFeishu(ctx);
}
