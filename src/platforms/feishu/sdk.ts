import * as lark from '@larksuiteoapi/node-sdk';
import axios, { type AxiosInstance } from 'axios';
import type { Logger } from '../../logger';

export interface FeishuSdkOptions {
  readonly appId: string;
  readonly appSecret: string;
  /** e.g. https://open.feishu.cn, no trailing slash (the SDK would build `//open-apis`). */
  readonly baseUrl: string;
  readonly log: Logger;
  readonly timeoutMs?: number;
}

/**
 * The official SDK's client for one app (https://github.com/larksuite/node-sdk), with its own token cache, an HTTP
 * instance with our timeout, and its log lines sent to ours at debug.
 */
export function createFeishuSdk(options: FeishuSdkOptions, cache: lark.Cache): lark.Client {
  const http: AxiosInstance = axios.create({ timeout: options.timeoutMs ?? 10000 });
  // The SDK expects an instance that resolves to the response body, or to `{ data, headers }` when the request asks
  // for `$return_headers` (file downloads: messageResource.get) — as its own default instance does
  // (larksuite/node-sdk http/index.ts, `defaultHttpInstance.interceptors.response`).
  http.interceptors.response.use((resp) => ((resp.config as { $return_headers?: boolean }).$return_headers === true ? { data: resp.data, headers: resp.headers } : resp.data));
  const log = options.log;
  return new lark.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    appType: lark.AppType.SelfBuild,
    domain: options.baseUrl.replace(/\/+$/, ''),
    // Per-client cache: the SDK's default cache is shared by every client of the process.
    cache,
    httpInstance: http as unknown as lark.HttpInstance,
    loggerLevel: lark.LoggerLevel.fatal,
    logger: {
      error: (...m: unknown[]) => log.debug({ sdk: m.map(String).join(' ').slice(0, 500) }, 'feishu sdk error'),
      warn: (...m: unknown[]) => log.debug({ sdk: m.map(String).join(' ').slice(0, 500) }, 'feishu sdk warn'),
      info: () => undefined,
      debug: () => undefined,
      trace: () => undefined,
    },
  });
}
