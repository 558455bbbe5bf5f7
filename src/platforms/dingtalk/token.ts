import { PlatformError } from '../../errors';
import { apiError, networkError } from './errors';

export interface AccessTokenOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiBase: string;
  readonly timeoutMs: number;
  /** Real time: token lifetimes are DingTalk's clock, not the domain's (test) clock. */
  readonly clock: () => number;
}

/** Refresh this long before expiry (https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app). */
export const REFRESH_BEFORE_MS = 10 * 60_000;

/**
 * The app's access token, cached in memory per process and fetched again ten minutes before it expires (or at
 * half its life when that is shorter). Concurrent callers share one request. DingTalk hands out the same token
 * while it is valid and extends it, so several processes each holding a copy is fine
 * (https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app).
 * The same token serves api.dingtalk.com (header) and oapi.dingtalk.com (`?access_token=`).
 */
export class AccessTokens {
  private current?: { readonly token: string; readonly refreshAt: number };
  private pending?: Promise<string>;

  constructor(private readonly options: AccessTokenOptions) {}

  async get(): Promise<string> {
    const c = this.current;
    if (c && this.options.clock() < c.refreshAt) return c.token;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Drop a token the API refused (InvalidAuthentication / 40014); the next `get` fetches a new one. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret, apiBase, timeoutMs, clock } = this.options;
    let res: Response;
    try {
      // JSON only: a form body gets "body is mandatory"
      // (https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app).
      res = await fetch(`${apiBase}/v1.0/oauth2/accessToken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ appKey: clientId, appSecret: clientSecret }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw networkError(err);
    }
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PlatformError(false, `dingtalk token: HTTP ${res.status}, not JSON`, res.status);
    }
    const rec = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    if (!res.ok || typeof rec.accessToken !== 'string') {
      throw apiError(res.status, typeof rec.code === 'string' ? rec.code : undefined, typeof rec.message === 'string' ? rec.message : 'no accessToken');
    }
    const lifeMs = (typeof rec.expireIn === 'number' && rec.expireIn > 0 ? rec.expireIn : 7200) * 1000;
    const now = clock();
    this.current = { token: rec.accessToken, refreshAt: now + lifeMs - Math.min(REFRESH_BEFORE_MS, lifeMs / 2) };
    return rec.accessToken;
  }
}
