import { circularSizesDue, circularText, mayCirculate } from '../domain/circular';
import { namedPeriod } from '../domain/stats-period';
import { chatKey, type ChatRef } from '../domain/types';
import type { Unit } from '../domain/units';
import type { Logger } from '../logger';
import type { RichText } from '../platforms/port';
import { zonedParts } from '../time/zoned';
import type { CircularLinker, CircularService } from './circular-service';
import { chatOfKey } from './unit-service';

/** How long a circular sent is remembered (longer than a year: the key names its period). */
const SENT_TTL_SECONDS = 400 * 24 * 3600;

export interface CircularAutoDeps {
  readonly units: { all(): Promise<readonly Unit[]> };
  readonly circular: Pick<CircularService, 'circular'>;
  readonly links: CircularLinker;
  readonly isWorkday: (d: { year: number; month: number; day: number }) => boolean;
  /** 设置 自动通报 开/关 (on unless turned off). */
  readonly autoOn: (chat: ChatRef) => Promise<boolean>;
  readonly send: (chat: ChatRef, text: RichText, key: string) => Promise<void>;
  /** Redis SET NX: true the first time `id` is taken (src/store/dedupe.ts). */
  readonly firstTime: (scope: string, id: string, ttlSeconds: number) => Promise<boolean>;
  readonly timeZone: string;
  readonly log: Logger;
}

/**
 * The automatic circular (自动通报, issue 15): run daily at 09:00 by a BullMQ job scheduler (one job across
 * processes). On the 3rd working day of a month, each committee chat (a unit above 党支部 bound to a chat, with
 * 自动通报 not turned off) gets the circular of the month just ended — and of the quarter, the year, when one ended
 * too. Once: the key `circ:<chat>:<size>:<period start>` is taken in Redis (SET NX) before it is queued, and the
 * send is keyed with it (outbox job id). Never on a day off: the 3rd working day is a working day by definition.
 */
export class CircularAuto {
  constructor(private readonly deps: CircularAutoDeps) {}

  async run(now: number): Promise<string> {
    const { deps } = this;
    const sizes = circularSizesDue(zonedParts(now, deps.timeZone), deps.isWorkday);
    if (sizes.length === 0) return 'no circular due';
    let sent = 0;
    for (const unit of await deps.units.all()) {
      const chat = unit.chat ? chatOfKey(unit.chat) : undefined;
      if (!chat || !mayCirculate(unit)) continue;
      try {
        if (!(await deps.autoOn(chat))) continue;
        for (const size of sizes) {
          const period = namedPeriod(size, 1, now, deps.timeZone);
          const key = `circ:${chatKey(chat)}:${size}:${period.from}`;
          const circular = await deps.circular.circular(unit, size, period, now);
          const link = { url: await deps.links.circularLink(chat, period, now), days: deps.links.days };
          // Taken in Redis (SET NX) before it is queued: two processes, or two runs, never both send it.
          if (!(await deps.firstTime('circular-sent', key, SENT_TTL_SECONDS))) continue;
          await deps.send(chat, [{ text: `${circularText(circular, link)}\n（自动通报；发送「设置 自动通报 关」可关闭）` }], key);
          sent += 1;
        }
      } catch (err) {
        // One unit failing (a chat the bot left, a damaged record) must not stop the others.
        deps.log.warn({ err, unit: unit.name }, 'automatic circular failed');
      }
    }
    return `circulars ${sent}`;
  }
}
