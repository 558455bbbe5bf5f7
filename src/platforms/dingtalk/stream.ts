import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import WebSocket from 'ws';
import type { Logger } from '../../logger';
import { ack, answerCallback, backoffDelay, DEFAULT_BACKOFF, frameText, type StreamHandlers } from './stream-frames';
import type { AccessTokens } from './token';

export { backoffDelay, type StreamHandlers };

export interface StreamOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiBase: string;
  readonly tokens: AccessTokens;
  readonly handlers: StreamHandlers;
  readonly log: Logger;
  /** Reconnect backoff: base·2^attempt, capped, with jitter (half fixed, half random). */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** A connection open this long resets the backoff. */
  readonly stableMs?: number;
  /** WebSocket ping interval; a socket that misses a pong is dropped and reconnected. */
  readonly heartbeatMs?: number;
  readonly ua?: string;
}

/**
 * The Stream connection (https://open.dingtalk.com/document/development/introduction-to-stream-mode), on the official
 * `dingtalk-stream` DWClient. Its config and subscriptions are the SDK's; the rest is overridden because 2.1.5:
 * - hard-codes the gateway and token URLs (no base-URL option): `getEndpoint`/`getAccessToken` use DINGTALK_API_BASE;
 * - reconnects at a fixed 1 s forever: `connect` backs off exponentially (1 s … 60 s, jittered);
 * - writes to the console (`connect success`, `Disconnecting.`, socket errors) whatever its options: our `_connect`
 *   and `disconnect` own the socket and log through pino;
 * - acks through its latest socket: after a SYSTEM `disconnect` we open the next connection at once (the server cuts
 *   the old one 10 s later), and each frame is acked on the socket it came on.
 * Every CALLBACK frame is acked: robot messages after the durable enqueue (`{response: null}`, code 500 when the
 * enqueue failed), card callbacks with `{response: <card update>}` inside DingTalk's 2 s.
 */
export class DingTalkStream extends DWClient {
  private stopped = true;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private url?: string;
  private live?: WebSocket;
  private readonly sockets = new Map<WebSocket, { openedAt: number; alive: boolean; beat?: NodeJS.Timeout }>();

  constructor(private readonly o: StreamOptions) {
    super({ clientId: o.clientId, clientSecret: o.clientSecret, ua: o.ua ?? 'luoshi/dingtalk-stream', keepAlive: false, debug: false });
    // SDK quirk: every DWClient shares one `subscriptions` array (a shallow copy of its defaults), so topics leak
    // between instances. This one gets its own, without the EVENT "*" default: events would cost quota for nothing.
    this.config.subscriptions = [];
    this.config.autoReconnect = false;
    this.registerCallbackListener(TOPIC_ROBOT, () => undefined).registerCallbackListener(TOPIC_CARD, () => undefined);
  }

  override async getEndpoint(): Promise<this> {
    const cfg = this.getConfig();
    const res = await fetch(`${this.o.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      // Without Accept: application/json the gateway answers XML (SDK comment).
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId: cfg.clientId, clientSecret: cfg.clientSecret, ua: cfg.ua, subscriptions: cfg.subscriptions }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: unknown; ticket?: unknown; code?: unknown };
    if (!res.ok || typeof body.endpoint !== 'string' || typeof body.ticket !== 'string') {
      throw new Error(`gateway answered HTTP ${res.status} ${typeof body.code === 'string' ? body.code : ''}`.trim());
    }
    // The ticket opens one connection within 90 s.
    this.url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    (this as unknown as { dw_url?: string }).dw_url = this.url;
    return this;
  }

  override async getAccessToken(): Promise<string> {
    const token = await this.o.tokens.get();
    this.config.access_token = token;
    return token;
  }

  override async connect(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.open();
  }

  override disconnect(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const ws of [...this.sockets.keys()]) this.forget(ws, true);
    this.live = undefined;
    this.connected = false;
  }

  /** The SDK's send, on the live socket. */
  override send(messageId: string, value: unknown): void {
    if (this.live) ack(this.live, this.o.log, messageId, 200, JSON.stringify(value));
  }

  override _connect(): Promise<void> {
    const url = this.url;
    if (!url) return Promise.reject(new Error('no endpoint'));
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: 10_000 });
      let opened = false;
      ws.on('open', () => {
        opened = true;
        this.adopt(ws);
        resolve();
      });
      ws.on('message', (data) => this.onFrame(ws, frameText(data)));
      ws.on('pong', () => {
        const s = this.sockets.get(ws);
        if (s) s.alive = true;
      });
      ws.on('error', (err) => {
        this.o.log.warn({ err: err.message }, 'dingtalk stream socket error');
        if (!opened) reject(err);
        ws.terminate();
      });
      ws.on('close', () => this.onClose(ws));
    });
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.getEndpoint();
      await this._connect();
    } catch (err) {
      this.o.log.warn({ err: err instanceof Error ? err.message : String(err), attempt: this.attempt }, 'dingtalk stream connect failed');
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const delay = backoffDelay(this.attempt, this.o.backoff ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    this.o.log.info({ delayMs: delay, attempt: this.attempt }, 'dingtalk stream reconnecting');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.open();
    }, delay);
  }

  private adopt(ws: WebSocket): void {
    if (this.stopped) {
      ws.close();
      return;
    }
    const state: { openedAt: number; alive: boolean; beat?: NodeJS.Timeout } = { openedAt: Date.now(), alive: true };
    state.beat = setInterval(() => {
      if (!state.alive) {
        this.o.log.warn('dingtalk stream missed a pong: dropping the socket');
        ws.terminate();
        return;
      }
      state.alive = false;
      ws.ping();
    }, this.o.heartbeatMs ?? 20_000);
    this.sockets.set(ws, state);
    this.live = ws;
    this.connected = true;
    this.o.log.info({ sockets: this.sockets.size }, 'dingtalk stream connected');
  }

  private onClose(ws: WebSocket): void {
    const state = this.sockets.get(ws);
    this.forget(ws, false);
    if (ws !== this.live) return;
    this.live = undefined;
    this.connected = false;
    if (state && Date.now() - state.openedAt >= (this.o.stableMs ?? 30_000)) this.attempt = 0;
    this.o.log.warn({ attempt: this.attempt }, 'dingtalk stream closed');
    this.schedule();
  }

  private forget(ws: WebSocket, close: boolean): void {
    clearInterval(this.sockets.get(ws)?.beat);
    this.sockets.delete(ws);
    if (close) ws.terminate();
  }

  private onFrame(ws: WebSocket, raw: string): void {
    let frame: DWClientDownStream;
    try {
      frame = JSON.parse(raw) as DWClientDownStream;
    } catch {
      this.o.log.warn({ frame: raw.slice(0, 200) }, 'dingtalk stream frame is not JSON');
      return;
    }
    const id = frame.headers?.messageId;
    if (typeof id !== 'string') return;
    switch (frame.type) {
      case 'SYSTEM':
        if (frame.headers.topic === 'ping') ack(ws, this.o.log, id, 200, frame.data);
        // The server closes this socket in 10 s: open the next one now, keep this one until then. No reply.
        if (frame.headers.topic === 'disconnect' && ws === this.live) {
          this.live = undefined;
          this.attempt = 0;
          void this.open();
        }
        return;
      case 'EVENT':
        ack(ws, this.o.log, id, 200, JSON.stringify({ status: 'SUCCESS', message: 'not subscribed' }));
        return;
      case 'CALLBACK':
        void answerCallback(ws, id, frame, this.o.handlers, this.o.log);
        return;
      default:
        ack(ws, this.o.log, id, 404, JSON.stringify({ response: null }));
    }
  }
}
