/**
 * Shared helpers of the security suite: signed Feishu requests built byte by byte (so a test can replay, tamper
 * with or oversize them), and snapshots of everything a request could have stored or sent.
 */
import { randomBytes } from 'node:crypto';
import type { Answer, ChatRef } from '../../src/domain/types';
import { DutyRepo } from '../../src/store/duty-repo';
import { encryptForFeishu, feishuSignature, messageEvent } from '../fakes/feishu';
import { CHAT, ENCRYPT_KEY, VERIFICATION_TOKEN, type FeishuWorld } from '../feishu/support';
import { eventually, type StartedBot } from '../helpers/harness';

export const FEISHU_CHAT: ChatRef = { platform: 'feishu', chatId: CHAT };

/** A request exactly as it goes over the wire. */
export interface RawRequest {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface RawReply {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

export interface SignOptions {
  /** Key the body is encrypted with; default the bot's. `null` sends the plain JSON. */
  readonly encryptKey?: string | null;
  /** Key the signature is computed with; default the encrypt key. */
  readonly signKey?: string;
  /** Unix seconds as text; default now. */
  readonly timestamp?: string;
  readonly nonce?: string;
}

/** Sign a body string as Feishu does: hex(sha256(timestamp + nonce + encryptKey + body)). */
export function signBody(body: string, options: SignOptions = {}): RawRequest {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomBytes(8).toString('hex');
  const key = options.signKey ?? options.encryptKey ?? ENCRYPT_KEY;
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'X-Lark-Request-Timestamp': timestamp,
      'X-Lark-Request-Nonce': nonce,
      'X-Lark-Signature': feishuSignature(timestamp, nonce, key, body),
    },
  };
}

/** Encrypt (unless told not to) and sign an event object. */
export function signedEvent(event: unknown, options: SignOptions = {}): RawRequest {
  const body = options.encryptKey === null ? JSON.stringify(event) : JSON.stringify({ encrypt: encryptForFeishu(event, options.encryptKey ?? ENCRYPT_KEY) });
  return signBody(body, options);
}

/** The same request with some headers replaced or (value undefined) removed. */
export function withHeaders(req: RawRequest, changes: Readonly<Record<string, string | undefined>>): RawRequest {
  const headers: Record<string, string> = { ...req.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { body: req.body, headers };
}

export async function sendRaw(url: string, req: RawRequest): Promise<RawReply> {
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A group message `@落实 <text>` from `sender`, with a fresh message id recorded at the fake (so replies land). */
export function groupMessage(
  w: FeishuWorld,
  sender: string,
  text: string,
  extra: { token?: string; messageId?: string; chatId?: string; mentions?: { openId: string; name: string }[] } = {},
): { event: unknown; messageId: string } {
  const messageId = extra.messageId ?? `om_${DutyRepo.newId()}${DutyRepo.newId()}`;
  w.fake.recordUserMessage(messageId, extra.chatId ?? CHAT);
  const event = messageEvent({
    chatId: extra.chatId ?? CHAT,
    senderOpenId: sender,
    text,
    mentionBot: true,
    botName: '落实',
    messageId,
    token: extra.token ?? VERIFICATION_TOKEN,
    ...(extra.mentions ? { extraMentions: extra.mentions } : {}),
  });
  return { event, messageId };
}

/** Jobs of a job scheduler (the roster refresh) come and go on real time: they are not a request's doing. */
const isRepeat = (id: string | undefined): boolean => id?.startsWith('repeat:') === true;

const ALL_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

async function jobIds(queue: StartedBot['bot']['queues']['inbound'] | StartedBot['bot']['queues']['cards']): Promise<string[]> {
  return (await queue.getJobs([...ALL_STATES]))
    .map((j) => j.id ?? '')
    .filter((id) => !isRepeat(id))
    .sort();
}

/** Every duty of a chat with its answers and history, the secretaries, and the queue job ids. */
export async function storeState(started: StartedBot, chat: ChatRef): Promise<unknown> {
  const { duties, chats } = started.bot.services;
  const all = await duties.listByPeriod(chat, -8.64e15, 8.64e15);
  const perDuty = await Promise.all(
    all.map(async (d) => ({
      duty: d,
      answers: [...(await duties.answers(d.id))].sort(([a], [b]) => a.localeCompare(b)),
      history: await duties.history(d.id),
    })),
  );
  return {
    duties: perDuty,
    open: (await duties.listAllOpen()).map((d) => d.id).sort(),
    secretaries: [...(await chats.secretaries(chat))].sort(),
    inbound: await jobIds(started.bot.queues.inbound),
    cards: await jobIds(started.bot.queues.cards),
  };
}

/** The store, the queues and every message the bot sent to the fake Feishu (with the number of patches). */
export async function feishuState(w: FeishuWorld): Promise<unknown> {
  return {
    store: await storeState(w.started, FEISHU_CHAT),
    sent: w.fake.messages.map((m) => ({ id: m.messageId, chat: m.chatId, type: m.msgType, content: m.content, patches: m.patches.length })),
  };
}

/**
 * Wait until the inbound and card queues have nothing left to do (then `quietMs` more). A refused request adds no
 * job, so a state compared right after it needs no waiting: anything it set going would show as a job id.
 */
export async function settle(started: StartedBot, quietMs = 0): Promise<void> {
  await eventually(
    async () => {
      const pending = await Promise.all(
        [started.bot.queues.inbound, started.bot.queues.cards].map((q) => q.getJobs(['waiting', 'active', 'delayed', 'prioritized'])),
      );
      return pending.flat().every((j) => isRepeat(j.id));
    },
    8000,
    'the queues to drain',
  );
  if (quietMs > 0) await new Promise((r) => setTimeout(r, quietMs));
}

/** Walk a JSON tree, calling `visit` with every object node and the path of keys to it. */
export function walkJson(node: unknown, visit: (obj: Record<string, unknown>, path: string) => void, path = '$'): void {
  if (Array.isArray(node)) node.forEach((n, i) => walkJson(n, visit, `${path}[${i}]`));
  else if (node !== null && typeof node === 'object') {
    const rec = node as Record<string, unknown>;
    visit(rec, path);
    for (const [k, v] of Object.entries(rec)) walkJson(v, visit, `${path}.${k}`);
  }
}

/** Every string leaf of a JSON tree with its path. */
export function stringLeaves(node: unknown, path = '$'): { path: string; value: string }[] {
  if (typeof node === 'string') return [{ path, value: node }];
  if (Array.isArray(node)) return node.flatMap((n, i) => stringLeaves(n, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => stringLeaves(v, `${path}.${k}`));
  return [];
}

/** The members who answered themselves: the organizer's implied 参加 (issue 17) left out. */
export const given = (answers: ReadonlyMap<string, Answer>): string[] => [...answers].filter(([, a]) => a.implied !== true).map(([id]) => id);
