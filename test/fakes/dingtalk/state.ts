import { FakeFiles } from './files';
import {
  hexId,
  type DingCard,
  type DingSent,
  type FakeDingGroup,
  type FakeDingTalkOptions,
  type FakeDingUser,
  type ResolvedOptions,
} from './types';

export const DEFAULT_CLIENT_ID = 'dingfakeclientid';
export const DEFAULT_CLIENT_SECRET = 'fake-client-secret-0123456789abcdef';
export const FAKE_CORP_ID = 'dingfakecorpid0001';
/** ~90 min, as in the doc examples (sessionWebhookExpiredTime - createAt). */
export const DEFAULT_SESSION_TTL_MS = 90 * 60 * 1000;

export function resolveOptions(o: FakeDingTalkOptions = {}): ResolvedOptions {
  const clientId = o.clientId ?? DEFAULT_CLIENT_ID;
  return {
    clientId,
    clientSecret: o.clientSecret ?? DEFAULT_CLIENT_SECRET,
    robotCode: o.robotCode ?? clientId,
    tokenExpireSeconds: o.tokenExpireSeconds ?? 7200,
    qpsPerApi: o.qpsPerApi ?? 20,
    sessionWebhookTtlMs: o.sessionWebhookTtlMs ?? DEFAULT_SESSION_TTL_MS,
    now: o.now ?? Date.now,
    ackTimeoutMs: o.ackTimeoutMs ?? 3000,
  };
}

export interface SessionHook {
  conversationId: string;
  expiresAt: number;
}

/** Everything the HTTP routes read and write. */
export class DingState {
  readonly groups = new Map<string, FakeDingGroup>();
  readonly users = new Map<string, FakeDingUser>();
  readonly sent: DingSent[] = [];
  readonly cards = new Map<string, DingCard>();
  readonly sessions = new Map<string, SessionHook>();
  /** POST /v1.0/card/callbacks/register, by callbackRouteKey. */
  readonly callbackRoutes = new Map<string, { callbackUrl: string; apiSecret?: string }>();
  /** Files users sent to the robot and their download links (files.ts). */
  readonly files: FakeFiles;
  baseUrl = '';
  private readonly tokens = new Map<string, number>();
  private current: string | null = null;
  private seq = 0;

  constructor(readonly opts: ResolvedOptions) {
    this.files = new FakeFiles(() => this.now());
  }

  now(): number {
    return this.opts.now();
  }

  /**
   * Asking again while the token is valid returns the same token and extends its life
   * (https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app).
   */
  issueToken(): { token: string; expireIn: number } {
    const ttl = this.opts.tokenExpireSeconds;
    const token = this.current !== null && this.isTokenValid(this.current) ? this.current : hexId(16);
    this.current = token;
    this.tokens.set(token, this.now() + ttl * 1000);
    return { token, expireIn: ttl };
  }

  isTokenValid(token: string): boolean {
    const exp = this.tokens.get(token);
    return exp !== undefined && exp > this.now();
  }

  expireTokens(): void {
    this.tokens.clear();
    this.current = null;
  }

  /** A group the app's robot can address (undefined if unknown). */
  group(openConversationId: unknown): FakeDingGroup | undefined {
    return typeof openConversationId === 'string' ? this.groups.get(openConversationId) : undefined;
  }

  /** The group with this legacy `chatid` (never its openConversationId: /chat/get does not take those). */
  groupByChatId(chatId: string): FakeDingGroup | undefined {
    for (const g of this.groups.values()) if (g.chatId === chatId) return g;
    return undefined;
  }

  /** Known users: added with addUser or listed as a member of some group. */
  isKnownUser(userId: string): boolean {
    if (this.users.has(userId)) return true;
    for (const g of this.groups.values()) if (g.memberUserIds.includes(userId)) return true;
    return false;
  }

  nickOf(userId: string): string {
    return this.users.get(userId)?.name ?? userId;
  }

  processQueryKey(): string {
    this.seq += 1;
    return `pqk${this.seq.toString(36)}${hexId(8)}`;
  }

  createSession(conversationId: string, ttlMs = this.opts.sessionWebhookTtlMs): { url: string; expiresAt: number } {
    if (!this.baseUrl) throw new Error('FakeDingTalk is not started');
    const session = hexId(16);
    const expiresAt = this.now() + ttlMs;
    this.sessions.set(session, { conversationId, expiresAt });
    return { url: `${this.baseUrl}/robot/sendBySession?session=${session}`, expiresAt };
  }

  sessionExpiry(url: string): number | undefined {
    const session = new URL(url).searchParams.get('session');
    return session === null ? undefined : this.sessions.get(session)?.expiresAt;
  }
}
