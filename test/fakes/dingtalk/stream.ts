import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { seededRandom } from '../shared/faults';
import { missingParam } from './routes-auth';
import { FAKE_CORP_ID, type DingState } from './state';
import {
  CONNECT_PATH,
  downstream,
  FAKE_APP_ID,
  parseSubscriptions,
  refuse,
  TICKET_TTL_MS,
  type Frame,
  type PushResult,
  type StreamAck,
  type Subscription,
  type Waiter,
} from './stream-proto';
import { apiError, apiOk, hexId, isRecord, type Reply, type RouteInput } from './types';
import { WebSocketServer, WS_OPEN, wsDataToString, type WsSocket } from './ws-lib';

interface Conn {
  id: string;
  ws: WsSocket;
  subscriptions: Subscription[];
}

/**
 * The Stream gateway (tickets) and the WebSocket side
 * (https://open.dingtalk.com/document/development/introduction-to-stream-mode).
 */
export class StreamHub {
  readonly protocolErrors: string[] = [];
  private readonly tickets = new Map<string, { subscriptions: Subscription[]; expiresAt: number; used: boolean }>();
  private readonly conns = new Map<string, Conn>();
  private readonly frames = new Map<string, Frame>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly pick = seededRandom(11);
  private seq = 0;

  constructor(private readonly state: DingState) {}

  /** POST /v1.0/gateway/connections/open. Without `Accept: application/json` the answer is XML, as for real. */
  openConnection(input: RouteInput, json: boolean): Reply {
    const b = input.body;
    if (!json || !isRecord(b)) return missingParam('body');
    if (b.clientId !== this.state.opts.clientId || b.clientSecret !== this.state.opts.clientSecret) {
      return apiError(401, 'authFailed', '鉴权失败');
    }
    const subscriptions = parseSubscriptions(b.subscriptions);
    if (!subscriptions) {
      return apiError(400, 'param.error', 'subscriptions无效: [{type:EVENT|CALLBACK, topic}], EVENT只支持*');
    }
    const ticket = randomUUID();
    this.tickets.set(ticket, { subscriptions, expiresAt: input.now + TICKET_TTL_MS, used: false });
    const endpoint = `${this.state.baseUrl.replace(/^http/, 'ws')}${CONNECT_PATH}`;
    if (!(input.headers.accept ?? '').includes('application/json')) {
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?><OpenConnectionResponse>' +
        `<endpoint>${endpoint}</endpoint><ticket>${ticket}</ticket></OpenConnectionResponse>`;
      return { status: 200, body: null, text: xml, contentType: 'application/xml;charset=utf-8' };
    }
    return apiOk({ endpoint, ticket });
  }

  /** Handles an HTTP upgrade; returns the status answered (101, or 401 for a bad/used/expired ticket). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): number {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    if (url.pathname !== CONNECT_PATH) {
      refuse(socket, 404, 'not found');
      return 404;
    }
    const t = this.tickets.get(url.searchParams.get('ticket') ?? '');
    if (!t || t.used || t.expiresAt <= this.state.now()) {
      refuse(socket, 401, t?.used ? 'ticket already used' : 'invalid or expired ticket');
      return 401;
    }
    t.used = true;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, t.subscriptions));
    return 101;
  }

  connections(): number {
    return this.open().length;
  }

  unacked(): string[] {
    return [...this.frames].filter(([, f]) => !f.acked).map(([id]) => id);
  }

  /** Pushes one frame to ONE random connection subscribed to (type, topic); waits for its ACK. */
  async push(
    type: 'CALLBACK' | 'EVENT',
    topic: string,
    payload: unknown,
    extra: Record<string, string> = {},
  ): Promise<PushResult> {
    const wanted = type === 'EVENT' ? '*' : topic;
    const targets = this.open().filter((c) => c.subscriptions.some((s) => s.type === type && s.topic === wanted));
    const conn = targets[Math.floor(this.pick() * targets.length)];
    if (!conn) throw new Error(`FakeDingTalk: no open stream connection subscribed to ${type} ${wanted}`);
    const messageId = this.messageId();
    const headers = { appId: FAKE_APP_ID, connectionId: conn.id, ...this.headers(messageId, topic), ...extra };
    this.frames.set(messageId, { type, topic, acked: false });
    const started = Date.now();
    const ack = await this.send(conn, downstream(type, headers, payload), messageId);
    return { acked: ack !== undefined, ...(ack ? { ack } : {}), ms: Date.now() - started };
  }

  pushEvent(eventType: string, data: unknown): Promise<PushResult> {
    const now = String(this.state.now());
    const extra = {
      eventType,
      eventId: hexId(16),
      eventBornTime: now,
      eventCorpId: FAKE_CORP_ID,
      eventUnifiedAppId: FAKE_APP_ID,
    };
    return this.push('EVENT', '*', data, extra);
  }

  /** SYSTEM ping to every open connection; true when all echo the opaque with code 200. */
  async ping(): Promise<boolean> {
    const conns = this.open();
    if (conns.length === 0) return false;
    const results = await Promise.all(
      conns.map(async (c) => {
        const opaque = randomUUID();
        const messageId = this.messageId();
        const headers = this.headers(messageId, 'ping');
        const ack = await this.send(c, downstream('SYSTEM', headers, { opaque }), messageId);
        if (!ack || ack.code !== 200) return false;
        try {
          const d: unknown = JSON.parse(ack.data);
          return isRecord(d) && d.opaque === opaque;
        } catch {
          return false;
        }
      }),
    );
    return results.every(Boolean);
  }

  /** Closes every socket abruptly (no close frame). */
  drop(): void {
    for (const c of this.conns.values()) c.ws.terminate();
  }

  /** SYSTEM disconnect to every connection, then the TCP connection is cut after `delayMs` (real: 10 s). */
  disconnect(delayMs: number): void {
    for (const c of this.open()) {
      const headers = this.headers(this.messageId(), 'disconnect');
      c.ws.send(downstream('SYSTEM', headers, { reason: 'connection is expired' }));
      this.later(delayMs, () => c.ws.terminate());
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const [id, w] of this.waiters) {
      clearTimeout(w.timer);
      this.waiters.delete(id);
      w.resolve(undefined);
    }
    this.drop();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private open(): Conn[] {
    return [...this.conns.values()].filter((c) => c.ws.readyState === WS_OPEN);
  }

  private headers(messageId: string, topic: string): Record<string, string> {
    return { contentType: 'application/json', messageId, time: String(this.state.now()), topic };
  }

  private messageId(): string {
    this.seq += 1;
    return `${hexId(4)}_${process.pid % 1000}_${Date.now().toString(16)}_${this.seq.toString(16)}`;
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private send(conn: Conn, frame: string, messageId: string): Promise<StreamAck | undefined> {
    return new Promise((resolve) => {
      const timer = this.later(this.state.opts.ackTimeoutMs, () => {
        this.waiters.delete(messageId);
        resolve(undefined);
      });
      this.waiters.set(messageId, { resolve, timer });
      conn.ws.send(frame);
    });
  }

  private attach(ws: WsSocket, subscriptions: Subscription[]): void {
    const conn: Conn = { id: hexId(8), ws, subscriptions };
    this.conns.set(conn.id, conn);
    ws.on('message', (data) => this.onUpstream(wsDataToString(data)));
    ws.on('close', () => this.conns.delete(conn.id));
    ws.on('error', () => this.conns.delete(conn.id));
  }

  private onUpstream(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.protocolErrors.push(`upstream frame is not JSON: ${text.slice(0, 200)}`);
      return;
    }
    const id = isRecord(msg) && isRecord(msg.headers) ? msg.headers.messageId : undefined;
    if (!isRecord(msg) || !isRecord(msg.headers) || typeof id !== 'string') {
      this.protocolErrors.push(`upstream frame without headers.messageId: ${text.slice(0, 200)}`);
      return;
    }
    if (typeof msg.code !== 'number' || typeof msg.data !== 'string') {
      this.protocolErrors.push(`ACK ${id}: code must be a number and data a JSON string`);
      return;
    }
    const frame = this.frames.get(id);
    const waiter = this.waiters.get(id);
    if (!frame && !waiter) {
      this.protocolErrors.push(`ACK for unknown or expired messageId ${id}`);
      return;
    }
    if (frame) frame.acked = true;
    if (waiter) {
      this.waiters.delete(id);
      clearTimeout(waiter.timer);
      this.timers.delete(waiter.timer);
      waiter.resolve({ code: msg.code, headers: msg.headers, message: msg.message, data: msg.data });
    }
  }
}
