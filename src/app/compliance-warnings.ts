import { duePeriods, quietNow } from '../domain/compliance-warning';
import type { QuietContext } from '../domain/quiet-hours';
import { chatKey, type ChatRef, type Member } from '../domain/types';
import type { Unit } from '../domain/units';
import type { Logger } from '../logger';
import type { RichText } from '../platforms/port';
import type { ComplianceService } from './compliance-service';
import { chatOfKey } from './unit-service';

const PERIOD_WORDS = { month: { now: '本月', end: '月末' }, quarter: { now: '本季度', end: '季度末' }, year: { now: '本年', end: '年末' } } as const;

/** How long a warning sent is remembered (longer than a year: the key names its period). */
const WARNED_TTL_SECONDS = 400 * 24 * 3600;

export interface ComplianceWarningDeps {
  readonly units: { all(): Promise<readonly Unit[]> };
  readonly compliance: Pick<ComplianceService, 'report'>;
  /** The chat's quiet hours and working days. */
  readonly quiet: (chat: ChatRef) => Promise<QuietContext>;
  readonly isWorkday: (d: { year: number; month: number; day: number }) => boolean;
  readonly secretaries: (chat: ChatRef) => Promise<readonly Pick<Member, 'id' | 'name'>[]>;
  readonly send: (chat: ChatRef, text: RichText, key: string) => Promise<void>;
  /** Redis SET NX: true the first time `id` is taken (src/store/dedupe.ts). */
  readonly firstTime: (scope: string, id: string, ttlSeconds: number) => Promise<boolean>;
  /** Gives a taken id back (src/store/dedupe.ts `forget`): its queueing failed, so a retry takes it again. */
  readonly forget: (scope: string, id: string) => Promise<void>;
  readonly warnDays: readonly number[];
  readonly timeZone: string;
  readonly log: Logger;
}

/**
 * Early warnings of compliance (督查, issue 15): run at 09:30 and 14:30 by a BullMQ job scheduler (one job each time
 * across processes). On a working day whose working days left in the month, quarter or year are one of
 * COMPLIANCE_WARN_DAYS (5 and 2), each unit's chat that still owes something of that period it has neither held nor
 * planned gets one warning naming its secretaries — at the first run outside the chat's quiet hours, once: taken in
 * Redis (SET NX) before it is queued, and the send keyed (outbox job id and sent log).
 */
export class ComplianceWarnings {
  constructor(private readonly deps: ComplianceWarningDeps) {}

  async run(now: number): Promise<string> {
    const { deps } = this;
    const due = duePeriods(now, deps.warnDays, deps.isWorkday, deps.timeZone);
    if (due.length === 0) return 'no warning due';
    let sent = 0;
    let lost = 0;
    for (const unit of await deps.units.all()) {
      const chat = unit.chat ? chatOfKey(unit.chat) : undefined;
      if (!chat) continue;
      for (const { unit: size, period, left } of due) {
        const key = `cw:${chatKey(chat)}:${size}:${period.from}:${left}`;
        try {
          if (quietNow(now, await deps.quiet(chat))) continue;
          const report = await deps.compliance.report(chat, unit, size, period, now);
          const rows = report.rows.filter((r) => r.requirement.period === size && r.missing > 0);
          if (rows.length === 0) continue;
          // Taken in Redis (SET NX) before it is queued: two processes, or two runs, never both send it.
          if (!(await deps.firstTime('compliance-warned', key, WARNED_TTL_SECONDS))) continue;
          const names = rows.map((r) => (r.missing > 1 ? `${r.requirement.category}（还缺${r.missing}次）` : r.requirement.category));
          const { now: thisPeriod, end } = PERIOD_WORDS[size];
          try {
            const secretaries = await deps.secretaries(chat);
            const text: RichText = [
              { text: `⏰ 督查预警（${unit.name}）：${thisPeriod}尚未开展${names.join('、')}，距${end}还有${left}个工作日；发送「会议 …」安排，开完记得签到并提交纪要（发送「督查」查看详情）。` },
              ...secretaries.flatMap((m) => [{ text: ' ' }, { mention: { id: m.id, name: m.name } }]),
            ];
            await deps.send(chat, text, key);
          } catch (err) {
            // Not queued (Redis or the roster lost mid-run): given back, and the check fails below so BullMQ runs it again.
            lost += 1;
            await deps.forget('compliance-warned', key).catch(() => undefined);
            throw err;
          }
          sent += 1;
        } catch (err) {
          // One unit failing (a chat the bot left, a damaged record) must not stop the others.
          deps.log.warn({ err, unit: unit.name }, 'compliance warning failed');
        }
      }
    }
    // The check job is retried (attempts with backoff, src/queue/queues.ts): the warnings already queued are not again.
    if (lost > 0) throw new Error(`${lost} compliance warning(s) not queued: the check runs again`);
    return `compliance warnings ${sent}`;
  }
}
