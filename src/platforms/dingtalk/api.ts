import { PlatformError } from '../../errors';
import type { Logger } from '../../logger';
import type { Pacer } from '../pacer';
import { apiError, ipBanned, isThrottle, isTokenError, networkError, oapiError } from './errors';
import type { ApiQuota } from './quota';
import type { AccessTokens } from './token';

export interface ApiCall {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** `api` (api.dingtalk.com: header token, `{code}` errors), `oapi` (`?access_token=`, `{errcode}` in a 200), or a full webhook URL. */
  readonly base: 'api' | 'oapi' | { readonly webhook: string };
  readonly path: string;
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string>>;
  /** Counts toward the org's monthly API quota (default true). Tokens, contacts APIs and webhooks do not. */
  readonly quota?: boolean;
}

export interface DingTalkApiOptions {
  readonly clientId: string;
  readonly apiBase: string;
  readonly oapiBase: string;
  readonly tokens: AccessTokens;
  readonly pacer: Pacer;
  readonly quota: ApiQuota;
  readonly log: Logger;
  readonly timeoutMs?: number;
}

/**
 * 20 calls a second per API for the app on standard-edition orgs; we pace each path a little under, across every
 * process on one Redis (https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server).
 */
export const PACE_INTERVAL_MS = 55;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One paced call to DingTalk: waits for the API's slot, adds the token, checks both error shapes, retries once
 * with a fresh token after an auth error, and on a QPS refusal holds the API's bucket for a second (every process
 * waits) and throws a transient error so the job retries with backoff.
 */
export class DingTalkApi {
  constructor(private readonly options: DingTalkApiOptions) {}

  bucket(path: string): string {
    return `dingtalk:${this.options.clientId}:api:${path}`;
  }

  async call(c: ApiCall): Promise<Json> {
    const bucket = this.bucket(c.path);
    const webhook = typeof c.base === 'object';
    for (let attempt = 0; ; attempt++) {
      await this.options.pacer.acquire([{ name: bucket, intervalMs: PACE_INTERVAL_MS }]);
      const token = webhook ? undefined : await this.options.tokens.get();
      let error: PlatformError;
      try {
        return await this.once(c, token);
      } catch (err) {
        error = networkError(err);
      }
      if (token && isTokenError(error) && attempt === 0) {
        this.options.tokens.invalidate(token);
        continue;
      }
      if (isThrottle(error) || error.platformCode === 'IP_BANNED') {
        await this.options.pacer.hold(bucket, Date.now() + (error.retryAfterMs ?? 1000));
      }
      throw error;
    }
  }

  private async once(c: ApiCall, token: string | undefined): Promise<Json> {
    const url = new URL(typeof c.base === 'object' ? c.base.webhook : `${c.base === 'api' ? this.options.apiBase : this.options.oapiBase}${c.path}`);
    for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token && c.base === 'api') headers['x-acs-dingtalk-access-token'] = token;
    if (token && c.base === 'oapi') url.searchParams.set('access_token', token);
    if (c.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const res = await fetch(url, {
      method: c.method,
      headers,
      ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (c.quota !== false && typeof c.base !== 'object') await this.options.quota.count();
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw apiError(res.status >= 400 ? res.status : 502, undefined, `not JSON: ${text.slice(0, 80)}`);
    }
    if (!isRecord(body)) throw apiError(res.status, undefined, 'not a JSON object');
    // The per-IP limit answers a page instead of an error (https://open.dingtalk.com/document/development/call-frequency-limit).
    if (body.status === 1111) throw ipBanned(typeof body.wait === 'number' ? body.wait : 5);
    if (c.base === 'api') {
      if (res.ok) return body;
      throw apiError(res.status, typeof body.code === 'string' ? body.code : undefined, typeof body.message === 'string' ? body.message : text.slice(0, 120));
    }
    if (typeof body.errcode === 'number' && body.errcode !== 0) throw oapiError(body.errcode, typeof body.errmsg === 'string' ? body.errmsg : '');
    if (!res.ok) throw apiError(res.status, undefined, text.slice(0, 120));
    return body;
  }
}
