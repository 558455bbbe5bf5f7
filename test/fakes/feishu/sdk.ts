import * as lark from '@larksuiteoapi/node-sdk';
import type { FakeFeishu } from './server';

const noop = (): void => undefined;

/**
 * A logger that drops everything. Needed because the SDK reads `params.loggerLevel || LoggerLevel.info`,
 * so `LoggerLevel.fatal` (0) silently becomes `info` and every call logs.
 */
export const silentLarkLogger = { error: noop, warn: noop, info: noop, debug: noop, trace: noop };

/** A real SDK client pointed at the fake, with its own token cache and no log output. */
export function larkClientFor(fake: FakeFeishu): lark.Client {
  return new lark.Client({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.baseUrl,
    cache: new lark.DefaultCache(),
    logger: silentLarkLogger,
    loggerLevel: lark.LoggerLevel.fatal,
  });
}
