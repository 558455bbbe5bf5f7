import * as lark from '@larksuiteoapi/node-sdk';
import type { FakeFeishu } from './server';
import { isRecord } from './types';

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

export interface SdkFailure {
  /** 'AxiosError' for HTTP failures. */
  name: string;
  message: string;
  /** HTTP status; undefined when no response came (socket destroyed, timeout). */
  status: number | undefined;
  /** The Feishu `code` of the error body, when it had one. */
  code: unknown;
  headers: Record<string, unknown>;
}

/** Awaits an SDK call that must reject (HTTP non-2xx) and describes the AxiosError it rejected with. */
export async function sdkFailure(p: Promise<unknown>): Promise<SdkFailure> {
  try {
    await p;
  } catch (e: unknown) {
    if (!(e instanceof Error)) throw e;
    const response: unknown = 'response' in e ? e.response : undefined;
    const out: SdkFailure = { name: e.name, message: e.message, status: undefined, code: undefined, headers: {} };
    if (!isRecord(response)) return out;
    if (typeof response.status === 'number') out.status = response.status;
    if (isRecord(response.data)) out.code = response.data.code;
    if (typeof response.headers === 'object' && response.headers !== null) out.headers = { ...response.headers };
    return out;
  }
  throw new Error('expected the SDK call to reject');
}
