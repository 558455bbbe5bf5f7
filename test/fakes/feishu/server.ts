import type { ReplyStyle } from '../shared/http-util';
import { Router } from '../shared/router';
import { FakeHttpServer } from '../shared/server';
import type { Answer } from '../shared/types';
import { appRateLimited, FaultPlan, invalidToken, missingToken } from './faults';
import { getChat, listMembers } from './routes-chats';
import { createMessage, patchMessage, replyMessage, updateCard, type RouteInput } from './routes-messages';
import { getResource, type FakeResource } from './routes-resources';
import { FeishuState, resolveOptions } from './state';
import {
  fail,
  isRecord,
  type FailNextKind,
  type FakeChat,
  type FakeFeishuOptions,
  type FakeMessage,
  type FakeStats,
  type FaultOptions,
  type RecordedCall,
  type Reply,
} from './types';

export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
type Handler = (state: FeishuState, req: RouteInput) => Reply;

const router = new Router<Handler>()
  .add('POST', '/open-apis/im/v1/messages', createMessage)
  .add('POST', '/open-apis/im/v1/messages/:message_id/reply', replyMessage)
  .add('PATCH', '/open-apis/im/v1/messages/:message_id', patchMessage)
  .add('GET', '/open-apis/im/v1/chats/:chat_id', getChat)
  .add('GET', '/open-apis/im/v1/chats/:chat_id/members', listMembers)
  .add('POST', '/open-apis/interactive/v1/card/update', updateCard)
  .add('GET', '/open-apis/im/v1/messages/:message_id/resources/:file_key', getResource)
  .add('GET', '/open-apis/bot/v3/info', botInfo);

/**
 * GET /open-apis/bot/v3/info: `{ code, msg, bot: { activate_status, app_name, avatar_url, ip_white_list, open_id } }`,
 * the bot beside `code` rather than under `data`; no scope needed beyond the bot ability
 * (https://open.feishu.cn/document/ukTMukTMukTM/uAjMxEjLwITMx4CMyETM).
 */
function botInfo(state: FeishuState): Reply {
  if (state.botInfoFailures > 0) {
    state.botInfoFailures -= 1;
    return fail(2200, 'internal error, please retry', 500);
  }
  return {
    status: 200,
    body: {
      code: 0,
      msg: 'ok',
      bot: { activate_status: 2, app_name: state.opts.botName, avatar_url: 'https://s1-imfile.feishucdn.com/static-resource/v1/fake', ip_white_list: [], open_id: state.opts.botOpenId },
    },
  };
}

/** A fake Feishu Open API server for the real `@larksuiteoapi/node-sdk`; the HTTP plumbing is ../shared/server.ts. */
export class FakeFeishu extends FakeHttpServer<RecordedCall> {
  private readonly state: FeishuState;
  private readonly faults = new FaultPlan();
  private readonly counters = { rateLimited429: 0, rateLimited230020: 0, faultsInjected: 0 };
  protected readonly replyStyle: ReplyStyle = {
    jsonType: 'application/json; charset=utf-8',
    textType: 'text/html; charset=utf-8',
    headers: () => ({ 'x-tt-logid': `fake${Date.now()}` }),
  };

  constructor(opts?: FakeFeishuOptions) {
    super('FakeFeishu');
    this.state = new FeishuState(resolveOptions(opts));
    this.state.botInfoFailures = opts?.botInfoFailures ?? 0;
  }

  get appId(): string {
    return this.state.opts.appId;
  }
  get appSecret(): string {
    return this.state.opts.appSecret;
  }
  get messages(): FakeMessage[] {
    return this.state.messages;
  }
  /** Bodies of POST /open-apis/interactive/v1/card/update, in order. */
  get cardUpdates(): { token: unknown; card: unknown }[] {
    return this.state.cardUpdates;
  }

  /** Stored by reference: mutating the returned chat (e.g. `botInChat = false`) changes the fake's behaviour. */
  addChat(chat: FakeChat): void {
    this.state.chats.set(chat.chatId, chat);
  }
  chat(chatId: string): FakeChat | undefined {
    return this.state.chats.get(chatId);
  }
  message(messageId: string): FakeMessage | undefined {
    return this.state.message(messageId);
  }
  /** Remember a message a user sent (an event pushed to the bot), so the bot can reply to it. */
  recordUserMessage(messageId: string, chatId: string): void {
    this.state.userMessages.set(messageId, chatId);
  }

  messagesIn(chatId: string): FakeMessage[] {
    return this.state.messages.filter((m) => m.chatId === chatId);
  }
  tokenCalls(): number {
    return this.calls.filter((c) => c.path === TOKEN_PATH).length;
  }
  expireTokens(): void {
    this.state.expireTokens();
  }
  /** A file or image a user sent: the bot may download it (routes-resources.ts). */
  addResource(resource: FakeResource): void {
    this.state.resources.set(resource.key, resource);
  }
  /** The next `count` downloads of `key` answer HTTP 500. */
  failResource(key: string, count: number): void {
    this.state.resourceFailures.set(key, count);
  }
  /** Downloads of `key` the bot asked for (answered or not). */
  resourceCalls(key: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'GET' && c.path.endsWith(`/resources/${encodeURIComponent(key)}`));
  }
  /** The next `count` reads of bot/v3/info fail with HTTP 500. */
  failBotInfo(count: number): void {
    this.state.botInfoFailures = count;
  }
  get botOpenId(): string {
    return this.state.opts.botOpenId;
  }
  injectFaults(opts: FaultOptions | null): void {
    this.faults.inject(opts);
  }
  failNext(kind: FailNextKind, count = 1): void {
    this.faults.failNext(kind, count);
  }
  /** rateLimited* count genuine limit refusals only; injected ones count in faultsInjected. byPath is keyed by URL path. */
  stats(): FakeStats {
    return { ...this.counters, byPath: { ...this.pathCounts } };
  }

  protected timeoutMs(): number {
    return this.faults.timeoutMs;
  }

  protected internalError(message: string): Reply {
    return fail(2200, message, 500);
  }

  protected async answer(call: RecordedCall, jsonOk: boolean): Promise<Answer> {
    const reply = await this.route(call, jsonOk);
    const injected = call.fault !== undefined && call.fault !== 'slow';
    if (reply !== 'timeout' && isRecord(reply.body) && reply.body.code === 230020 && !injected) {
      this.counters.rateLimited230020 += 1;
    }
    return reply;
  }

  private async route(call: RecordedCall, jsonOk: boolean): Promise<Answer> {
    const method = call.method;
    if (method === 'POST' && call.path === TOKEN_PATH) return this.token(call.body);
    const route = router.match(method, call.path);
    if (!route) return { status: 404, body: null, text: '404 page not found' };
    const auth = /^Bearer\s+(\S+)$/i.exec(call.headers.authorization ?? '');
    if (!auth?.[1]) return missingToken();
    if (!this.state.isTokenValid(auth[1])) return invalidToken();
    if (!this.state.appLimiter.take('app', this.state.opts.appPerSecond)) {
      this.counters.rateLimited429 += 1;
      return appRateLimited(this.state.opts.appPerSecond);
    }
    const fault = this.faults.next();
    if (fault !== null) {
      this.counters.faultsInjected += 1;
      call.fault = fault;
      if (fault === 'slow') await this.delay(this.faults.slowMs);
      else return this.faults.reply(fault, this.state.opts.appPerSecond);
    }
    if (!jsonOk) return fail(99992402, 'field validation failed: body is not valid JSON');
    return route.handler(this.state, { query: call.query, body: call.body, params: route.params });
  }

  private token(body: unknown): Reply {
    if (!isRecord(body) || typeof body.app_id !== 'string' || typeof body.app_secret !== 'string') {
      return fail(10003, 'invalid param', 200);
    }
    if (body.app_id !== this.state.opts.appId || body.app_secret !== this.state.opts.appSecret) {
      return fail(10014, 'app secret invalid', 200);
    }
    const { token, expire } = this.state.issueToken();
    return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire } };
  }
}
