import type { IncomingMessage, Server } from 'node:http';
import { FaultPlan, invalidToken, missingToken, throttled, type CodedFault } from './faults';
import { flatHeaders, parseFormOrJsonBody, queryOf, type ParsedBody, type ReplyStyle } from '../shared/http-util';
import { FakeHttpServer } from '../shared/server';
import { SlidingWindow } from '../shared/sliding-window';
import type { Answer } from '../shared/types';
import { robotMessage, type RobotMessageOptions } from './payloads';
import type { FakeFiles } from './files';
import { applyCallbackResponse } from './routes-card';
import { ROUTES, TOKEN_PATHS } from './routes';
import { DingState, resolveOptions } from './state';
import { StreamHub } from './stream';
import { TOPIC_CARD, TOPIC_ROBOT, type PushResult, type StreamAck } from './stream-proto';
import {
  apiError,
  isRecord,
  type DingCall,
  type DingCard,
  type DingSent,
  type FailNextKind,
  type FakeDingGroup,
  type FakeDingTalkOptions,
  type FakeDingUser,
  type FakeStats,
  type FaultOptions,
  type Reply,
} from './types';

/**
 * Card-callback responses later than this are ignored by DingTalk ("请在 2 秒内完成业务处理并响应",
 * https://open.dingtalk.com/document/development/event-callback-card).
 */
export const CARD_CALLBACK_DEADLINE_MS = 2000;

/**
 * A fake DingTalk serving api.dingtalk.com and oapi.dingtalk.com paths plus the Stream gateway, on 127.0.0.1; the
 * HTTP plumbing is ../shared/server.ts.
 */
export class FakeDingTalk extends FakeHttpServer<DingCall> {
  private readonly state: DingState;
  private readonly hub: StreamHub;
  private readonly faults = new FaultPlan();
  private readonly window = new SlidingWindow();
  private readonly counters = { throttled: 0, faultsInjected: 0 };
  protected readonly replyStyle: ReplyStyle = {
    jsonType: 'application/json;charset=utf-8',
    textType: 'text/html; charset=utf-8',
    headers: () => ({ server: 'DingTalk/1.0.0' }),
  };

  constructor(opts?: FakeDingTalkOptions) {
    super('FakeDingTalk');
    this.state = new DingState(resolveOptions(opts));
    this.hub = new StreamHub(this.state);
  }

  get clientId(): string {
    return this.state.opts.clientId;
  }
  get clientSecret(): string {
    return this.state.opts.clientSecret;
  }
  get robotCode(): string {
    return this.state.opts.robotCode;
  }
  get sent(): DingSent[] {
    return this.state.sent;
  }
  get cards(): Map<string, DingCard> {
    return this.state.cards;
  }
  /** Files users sent to the robot: register bytes for a downloadCode, make their links fail (files.ts). */
  get files(): FakeFiles {
    return this.state.files;
  }

  /** The API and, beside it, the host its download links point to. */
  override async start(): Promise<string> {
    const url = await super.start();
    await this.state.files.start();
    return url;
  }

  /** Stored by reference: mutating the group (e.g. `botInGroup = false`) changes the fake's behaviour. */
  addGroup(g: FakeDingGroup): void {
    this.state.groups.set(g.openConversationId, g);
  }
  addUser(u: FakeDingUser): void {
    this.state.users.set(u.userId, u);
  }
  sentTo(openConversationId: string): DingSent[] {
    return this.state.sent.filter((s) => s.openConversationId === openConversationId);
  }
  tokenCalls(): number {
    return this.calls.filter((c) => TOKEN_PATHS.includes(c.path)).length;
  }
  expireTokens(): void {
    this.state.expireTokens();
  }
  injectFaults(opts: FaultOptions | null): void {
    this.faults.inject(opts);
  }
  failNext(kind: FailNextKind, count = 1): void {
    this.faults.failNext(kind, count);
  }
  /** Extension: the next `count` calls to `path` alone fail with `fault` (a kind, or an API error of our choosing). */
  failOn(path: string, fault: FailNextKind | CodedFault, count = 1): void {
    this.faults.failOn(path, fault, count);
  }
  /** `throttled` counts genuine QPS refusals only; injected ones count in faultsInjected. */
  stats(): FakeStats {
    return { ...this.counters, byPath: { ...this.pathCounts } };
  }

  /** A live `/robot/sendBySession?session=` URL on this server for `conversationId`, valid for `ttlMs`. */
  sessionWebhookFor(conversationId: string, ttlMs?: number): string {
    return this.state.createSession(conversationId, ttlMs).url;
  }
  /** Expiry (ms, on the `now` clock) of a session webhook made by sessionWebhookFor. */
  sessionWebhookExpiredTime(url: string): number | undefined {
    return this.state.sessionExpiry(url);
  }
  /** robotMessage() with this app's robotCode and a live session webhook (+ matching sessionWebhookExpiredTime). */
  robotMessage(o: RobotMessageOptions): Record<string, unknown> {
    const { url, expiresAt } = this.state.createSession(o.conversationId);
    const createAt = this.state.now();
    return robotMessage({ robotCode: this.robotCode, createAt, sessionWebhook: url, sessionWebhookExpiredTime: expiresAt, ...o });
  }

  /**
   * The apiSecret DingTalk signs a card's HTTP callbacks with: the one its callbackRouteKey was registered with
   * (any registered route's when no card is named). Undefined when nothing was registered with a secret.
   */
  callbackApiSecret(outTrackId?: string): string | undefined {
    const key = outTrackId ? this.state.cards.get(outTrackId)?.callbackRouteKey : undefined;
    if (key) return this.state.callbackRoutes.get(key)?.apiSecret;
    return [...this.state.callbackRoutes.values()].find((r) => r.apiSecret)?.apiSecret;
  }

  streamConnections(): number {
    return this.hub.connections();
  }
  async pushRobotMessage(payload: unknown): Promise<{ acked: boolean; ack?: StreamAck }> {
    const r = await this.hub.push('CALLBACK', TOPIC_ROBOT, payload);
    return { acked: r.acked, ...(r.ack ? { ack: r.ack } : {}) };
  }
  /** Resolves with the ACK's `data.response`; a response within 2 s is applied to the card, as DingTalk does. */
  async pushCardCallback(payload: unknown): Promise<{ acked: boolean; response?: unknown; ms: number; applied: boolean }> {
    const r: PushResult = await this.hub.push('CALLBACK', TOPIC_CARD, payload);
    let response: unknown;
    if (r.ack && r.ack.code === 200) {
      try {
        const data: unknown = JSON.parse(r.ack.data);
        response = isRecord(data) ? data.response : undefined;
      } catch {
        this.hub.protocolErrors.push(`card callback ACK data is not JSON: ${r.ack.data.slice(0, 200)}`);
      }
    }
    const applied = r.ms <= CARD_CALLBACK_DEADLINE_MS && applyCallbackResponse(this.state, payload, response);
    return { acked: r.acked, ...(response !== undefined ? { response } : {}), ms: r.ms, applied };
  }
  /**
   * An HTTP card callback's answer (the response body the bot gave), applied as DingTalk applies it: only when it
   * came within 2 s (CARD_CALLBACK_DEADLINE_MS). Stream answers are applied by pushCardCallback.
   */
  applyHttpCallbackAnswer(payload: unknown, response: unknown, ms: number): boolean {
    return ms <= CARD_CALLBACK_DEADLINE_MS && applyCallbackResponse(this.state, payload, response);
  }
  /** Extension: an EVENT frame (e.g. chat_add_member) to one connection subscribed to EVENT "*". */
  pushEvent(eventType: string, data: unknown): Promise<PushResult> {
    return this.hub.pushEvent(eventType, data);
  }
  ping(): Promise<boolean> {
    return this.hub.ping();
  }
  dropConnections(): void {
    this.hub.drop();
  }
  sendDisconnect(delayMs = 200): void {
    this.hub.disconnect(delayMs);
  }
  unackedFrames(): string[] {
    return this.hub.unacked();
  }
  /** Extension: malformed upstream frames (bad JSON, missing messageId, data not a string, unknown messageId). */
  streamProtocolErrors(): string[] {
    return [...this.hub.protocolErrors];
  }

  /** The Stream gateway's WebSocket upgrades are recorded as calls too (no body, the upgrade's status). */
  protected override configure(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const status = this.hub.upgrade(req, socket, head);
      const call = { method: req.method ?? 'GET', path: url.pathname, query: queryOf(url), headers: flatHeaders(req) };
      this.calls.push({ ...call, body: undefined, status, response: undefined, at: this.state.now() });
    });
  }

  protected override listening(url: string): void {
    this.state.baseUrl = url;
  }

  protected override async closing(): Promise<void> {
    await this.state.files.stop();
    await this.hub.close();
  }

  protected override now(): number {
    return this.state.now();
  }

  protected override parse(raw: string, contentType: string | undefined): ParsedBody {
    return parseFormOrJsonBody(raw, contentType);
  }

  protected timeoutMs(): number {
    return this.faults.timeoutMs;
  }

  protected internalError(message: string): Reply {
    return apiError(500, 'system.error', message);
  }

  protected answer(call: DingCall, json: boolean): Answer {
    const route = ROUTES.get(`${call.method} ${call.path}`);
    if (!route) {
      if (!call.path.startsWith('/v1.0/')) return { status: 404, body: null, text: '<html><body>404 Not Found</body></html>' };
      return apiError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    }
    if (route.auth) {
      const token = route.oapi ? call.query.access_token : call.headers['x-acs-dingtalk-access-token'];
      if (!token) return missingToken(route.oapi);
      if (!this.state.isTokenValid(token)) return invalidToken(route.oapi);
    }
    let botOut = false;
    if (route.business) {
      const targeted = this.faults.nextOn(call.path);
      if (targeted !== null) {
        this.counters.faultsInjected += 1;
        if (typeof targeted === 'object') return apiError(targeted.status, targeted.code, targeted.message);
        if (targeted === 'robotNotInGroup') botOut = true;
        else return this.faults.reply(targeted, route.oapi);
      }
      const fault = botOut ? null : this.faults.nextFor({ targetsGroup: route.targetsGroup, usesToken: route.auth });
      if (fault !== null) {
        this.counters.faultsInjected += 1;
        if (fault === 'robotNotInGroup') botOut = true;
        else return this.faults.reply(fault, route.oapi);
      }
      if (!this.window.take(call.path, this.state.opts.qpsPerApi)) {
        this.counters.throttled += 1;
        return throttled(route.oapi);
      }
    }
    const input = { query: call.query, headers: call.headers, body: call.body, now: this.state.now() };
    return route.handler({ state: this.state, hub: this.hub, input, json, botOut });
  }
}
