/**
 * Bench-local experiments for bench:callback: the fixes proposed in bench/README.md, applied to a running Bot by
 * replacing methods on its instances (src/ is not changed). Selected with BENCH_CALLBACK_FIXES, a comma list:
 *
 * - `token`:   FeishuReceiver builds the zod schema of `bodyToken` once (module scope) instead of on every request.
 *              Proposed in src/platforms/feishu/decode.ts, bodyToken (and decodeText's `{ text }` schema).
 * - `roster`:  one roster read per click instead of two (memberOf, then DutyViews.tally → RosterService.names):
 *              a chat's cached roster is kept in process for 2 s. Proposed in src/store/chat-repo.ts (or
 *              RosterService): a short in-process memo of `roster(chat)`, dropped by saveRoster.
 * - `refresh`: one pending card refresh per duty instead of one BullMQ job per answer: Outbox.refresh adds its job
 *              with `deduplication: { id: refresh-<duty>, keepLastIfActive: true }` and a 250 ms delay, and the
 *              refresh always renders the duty as it is then (the `rev` check in card-worker's refresh becomes
 *              moot: emulated here by sending a rev no later change can exceed).
 *              Proposed in src/queue/outbox.ts (refresh) and src/queue/card-worker.ts (refresh).
 * - `autopipe`: ioredis `enableAutoPipelining: true` on the store's connection (and the transaction pool's, which
 *              duplicates it): commands issued in the same event-loop turn by concurrent requests go out in one
 *              write. Measured and NOT proposed: it raised the CPU time per click (each command waits for a
 *              setImmediate, and a click's commands are mostly sequential round trips that cannot share a write).
 * - `etag`:    no ETag (a sha1 over every answer) on the express app: `app.set('etag', false)`.
 *              Proposed in src/http/app.ts createHttpApp.
 */
import { z } from 'zod';
import type { Bot } from '../../src/bot';
import type { ChatRef, Member } from '../../src/domain/types';
import { feishuSignature } from '../../src/platforms/feishu/receiver';
import { timingSafeEqual } from 'node:crypto';

export const FIXES = ['token', 'roster', 'refresh', 'autopipe', 'etag'] as const;
export type Fix = (typeof FIXES)[number];
/** `all`: the fixes proposed (autopipe was measured and is not proposed: it costs more CPU per request than it saves). */
export const PROPOSED: readonly Fix[] = ['token', 'roster', 'refresh', 'etag'];

export function selectedFixes(env = process.env.BENCH_CALLBACK_FIXES ?? ''): Fix[] {
  const names = env.split(',').map((s) => s.trim()).filter(Boolean);
  const all = names.flatMap((n) => (n === 'all' ? [...PROPOSED] : [n]));
  for (const n of all) if (!FIXES.includes(n as Fix)) throw new Error(`unknown fix ${n} (known: ${FIXES.join(', ')}, all)`);
  return all as Fix[];
}

/** The same schema as src/platforms/feishu/decode.ts bodyToken, built once. */
const tokenSchema = z.object({ header: z.object({ token: z.string() }).partial().optional(), token: z.string().optional() }).passthrough();
const bodyTokenOnce = (body: unknown): string | undefined => {
  const parsed = tokenSchema.safeParse(body);
  if (!parsed.success) return undefined;
  return parsed.data.header?.token ?? parsed.data.token;
};

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

interface ReceiverInternals {
  verifyAndOpen(raw: Buffer, req: { headers: Record<string, unknown> }): Record<string, unknown>;
}

export function applyFixes(bot: Bot, fixes: readonly Fix[]): void {
  if (fixes.includes('token')) {
    const receiver = bot.feishu?.receiver as unknown as ReceiverInternals | undefined;
    if (!receiver) throw new Error('token fix needs Feishu');
    const original = receiver.verifyAndOpen.bind(receiver);
    const { deps, cipher } = receiver as unknown as { deps: { encryptKey?: string; verificationToken?: string }; cipher?: { decrypt(s: string): string } };
    // src/platforms/feishu/receiver.ts verifyAndOpen, line for line, with bodyToken's schema built once. Every
    // refusal is left to the original, which throws the same Refusal it always did.
    receiver.verifyAndOpen = (raw, req) => {
      const header = (name: string): string | undefined => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      const timestamp = header('x-lark-request-timestamp');
      const nonce = header('x-lark-request-nonce');
      const signature = header('x-lark-signature');
      const signed = timestamp !== undefined && nonce !== undefined && signature !== undefined;
      if (deps.encryptKey && signed && !safeEqual(feishuSignature(timestamp, nonce, deps.encryptKey, raw), signature.toLowerCase())) return original(raw, req);
      let outer: unknown;
      try {
        outer = JSON.parse(raw.toString('utf8'));
      } catch {
        return original(raw, req);
      }
      if (typeof outer !== 'object' || outer === null || Array.isArray(outer)) return original(raw, req);
      let plain = outer as Record<string, unknown>;
      if (typeof plain.encrypt === 'string') {
        if (!cipher) return original(raw, req);
        try {
          plain = { ...(JSON.parse(cipher.decrypt(plain.encrypt)) as Record<string, unknown>) };
        } catch {
          return original(raw, req);
        }
      }
      const challenge = plain.type === 'url_verification' && typeof plain.challenge === 'string';
      if (deps.encryptKey && !signed && !challenge) return original(raw, req);
      const token = bodyTokenOnce(plain);
      if (deps.verificationToken && (token === undefined || !safeEqual(token, deps.verificationToken))) return original(raw, req);
      return plain;
    };
  }
  if (fixes.includes('roster')) {
    const chats = bot.services.chats;
    const read = chats.roster.bind(chats);
    const save = chats.saveRoster.bind(chats);
    const memo = new Map<string, { at: number; value: Promise<{ members: Member[]; refreshedAt?: number }> }>();
    const key = (chat: ChatRef): string => `${chat.platform}:${chat.chatId}`;
    chats.roster = (chat: ChatRef) => {
      const hit = memo.get(key(chat));
      const now = Date.now();
      if (hit && now - hit.at < 2000) return hit.value;
      const value = read(chat);
      memo.set(key(chat), { at: now, value });
      value.catch(() => memo.delete(key(chat)));
      return value;
    };
    chats.saveRoster = async (chat, members, now, name) => {
      memo.delete(key(chat));
      await save(chat, members, now, name);
    };
  }
  if (fixes.includes('autopipe')) {
    // Read on every command (ioredis autoPipelining.js shouldUseAutoPipelining); the pool's connections are
    // duplicated from this one lazily, on the first transaction, so they inherit it.
    bot.redis.options.enableAutoPipelining = true;
  }
  if (fixes.includes('etag')) bot.http.set('etag', false);
  if (fixes.includes('refresh')) {
    const queue = bot.queues.cards;
    bot.services.outbox.refresh = async (dutyId: string) => {
      await queue.add(
        'refresh',
        { type: 'refresh', dutyId, rev: Number.MAX_SAFE_INTEGER },
        { deduplication: { id: `refresh-${dutyId}`, keepLastIfActive: true }, delay: 250 },
      );
    };
  }
}
