import { createHash } from 'node:crypto';
import { AUTO_CIRCULAR_FOOTER, circularCard, circularSizesDue, circularText, mayCirculate } from '../domain/circular';
import { circularSendAt } from '../domain/circular-timing';
import type { QuietContext } from '../domain/quiet-hours';
import { namedPeriod } from '../domain/stats-period';
import { chatKey, type ChatRef } from '../domain/types';
import type { Unit } from '../domain/units';
import { AppError, ErrorCode, PlatformError } from '../errors';
import type { Logger } from '../logger';
import type { CircularCardJob } from '../queue/queues';
import { sendOnce } from '../queue/send-once';
import type { SentLog } from '../store/sent-log';
import { zonedParts } from '../time/zoned';
import type { CircularLinker, CircularService } from './circular-service';
import type { PlatformRegistry } from './platform-registry';
import { chatOfKey } from './unit-service';

/** How long a circular sent is remembered (longer than a year: the key names its period). */
const SENT_TTL_SECONDS = 400 * 24 * 3600;

export interface CircularAutoDeps {
  readonly units: { all(): Promise<readonly Unit[]> };
  readonly circular: Pick<CircularService, 'circular' | 'committeeOf'>;
  readonly links: CircularLinker;
  readonly isWorkday: (d: { year: number; month: number; day: number }) => boolean;
  /** 设置 自动通报 开/关 (on unless turned off). */
  readonly autoOn: (chat: ChatRef) => Promise<boolean>;
  /** The chat's quiet hours and working days (设置 免打扰). */
  readonly quiet: (chat: ChatRef) => Promise<QuietContext>;
  /** The card queue (Outbox.circular): the job, once by its key, delayed by `delayMs`. */
  readonly queue: (job: Omit<CircularCardJob, 'type'>, delayMs: number) => Promise<void>;
  readonly platforms: PlatformRegistry;
  readonly sent: SentLog;
  /** Redis SET NX: true the first time `id` is taken (src/store/dedupe.ts). */
  readonly firstTime: (scope: string, id: string, ttlSeconds: number) => Promise<boolean>;
  /** Gives a taken id back (src/store/dedupe.ts `forget`): its queueing failed, so a retry takes it again. */
  readonly forget: (scope: string, id: string) => Promise<void>;
  /** The year's duty summaries stored ahead of the next 通报 (CircularService.warm); resolves with the units warmed. */
  readonly warm?: (now: number) => Promise<number>;
  readonly timeZone: string;
  readonly log: Logger;
}

/**
 * The send key of a circular: short and fixed by chat, size and period, as the card job's id, the sent log's key and
 * the platform's idempotency key (Feishu keeps 50 characters of a uuid: src/platforms/feishu/client.ts).
 */
export const circularSendKey = (chat: ChatRef, size: CircularCardJob['size'], from: number): string =>
  `circ-${size}-${from}-${createHash('sha1').update(chatKey(chat)).digest('hex').slice(0, 12)}`;

/**
 * The automatic circular (自动通报, issue 15): run daily at 09:00 by a BullMQ job scheduler (one job across
 * processes). On the 3rd working day of a month, each committee chat (a unit above 党支部 bound to a chat, with
 * 自动通报 not turned off) gets the circular card of the month just ended — and of the quarter, the year, when one
 * ended too. Once: the key `circ:<chat>:<size>:<period start>` is taken in Redis (SET NX) before the card is queued
 * (job id, sent log and platform key circularSendKey). Never on a day off: the 3rd working day is a working day by
 * definition; in the chat's quiet hours the card waits (a delayed job) until they end (src/domain/circular-timing.ts).
 */
export class CircularAuto {
  constructor(private readonly deps: CircularAutoDeps) {}

  async run(now: number): Promise<string> {
    const { deps } = this;
    // Every day, due or not: the duties that ended since yesterday get their summaries (a failure costs only speed).
    const warmed = await deps.warm?.(now).catch((err: unknown) => {
      deps.log.warn({ err }, 'circular summaries not warmed');
      return 0;
    });
    if (warmed) deps.log.debug({ units: warmed }, 'circular summaries warmed');
    const sizes = circularSizesDue(zonedParts(now, deps.timeZone), deps.isWorkday);
    if (sizes.length === 0) return 'no circular due';
    let queued = 0;
    let lost = 0;
    for (const unit of await deps.units.all()) {
      const chat = unit.chat ? chatOfKey(unit.chat) : undefined;
      if (!chat || !mayCirculate(unit)) continue;
      try {
        if (!(await deps.autoOn(chat))) continue;
        const sendAt = circularSendAt(now, await deps.quiet(chat));
        for (const size of sizes) {
          const period = namedPeriod(size, 1, now, deps.timeZone);
          // Taken in Redis (SET NX) before it is queued: two processes, or two runs, never both send it.
          const taken = `circ:${chatKey(chat)}:${size}:${period.from}`;
          if (!(await deps.firstTime('circular-sent', taken, SENT_TTL_SECONDS))) continue;
          try {
            await deps.queue({ platform: chat.platform, chatId: chat.chatId, key: circularSendKey(chat, size, period.from), size, at: now }, sendAt - now);
          } catch (err) {
            // Not queued (Redis lost mid-run): given back, and the check fails below so BullMQ runs it again.
            lost += 1;
            await deps.forget('circular-sent', taken).catch(() => undefined);
            throw err;
          }
          if (sendAt > now) deps.log.info({ unit: unit.name, size, sendAt }, 'automatic circular held until the quiet hours end');
          queued += 1;
        }
      } catch (err) {
        // One unit failing (a chat the bot left, a damaged record) must not stop the others.
        deps.log.warn({ err, unit: unit.name }, 'automatic circular failed');
      }
    }
    // The check job is retried (attempts with backoff, src/queue/queues.ts): the circulars already queued are not again.
    if (lost > 0) throw new Error(`${lost} automatic circular(s) not queued: the check runs again`);
    return `circulars ${queued}`;
  }

  /**
   * The card job (src/queue/card-worker.ts): the circular as it stands when it goes out, with a fresh signed link.
   * Not sent when 自动通报 was turned off, or the chat stopped being a committee, while it waited.
   */
  async post(job: Omit<CircularCardJob, 'type'>, now: number): Promise<string> {
    const { deps } = this;
    const chat: ChatRef = { platform: job.platform, chatId: job.chatId };
    if (!(await deps.autoOn(chat))) return 'turned-off';
    const committee = await deps.circular.committeeOf(chat).catch((err: unknown) => {
      if (err instanceof AppError && err.code === ErrorCode.BadInput) return undefined;
      throw err;
    });
    if (!committee) return 'no-committee';
    const period = namedPeriod(job.size, 1, job.at, deps.timeZone);
    const circular = await deps.circular.circular(committee, job.size, period, now);
    const link = { url: await deps.links.circularLink(chat, period, now), days: deps.links.days };
    const port = deps.platforms.get(chat.platform);
    try {
      const { fresh } = await sendOnce(deps.sent, job.key, (key) => port.sendCard(chat.chatId, circularCard(circular, link, { auto: true }), { idempotencyKey: key }));
      return fresh ? 'sent' : 'already-sent';
    } catch (err) {
      if (!(err instanceof PlatformError && err.permanent)) throw err;
      // The platform refused the card (as replyWithCard does for 通报): the same as text; a chat gone fails this too.
      deps.log.warn({ err, chat: chatKey(chat) }, 'circular card refused by the platform: sent as text');
      const text = `${circularText(circular, link)}\n（${AUTO_CIRCULAR_FOOTER}）`;
      const { fresh } = await sendOnce(deps.sent, `${job.key}-t`, (key) => port.sendText(chat.chatId, [{ text }], { idempotencyKey: key }));
      return fresh ? 'sent-as-text' : 'already-sent';
    }
  }
}
