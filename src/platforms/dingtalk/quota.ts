import type { Logger } from '../../logger';

/*
 * The org's monthly API quota (standard edition: 5 000 calls a month, token and contacts APIs exempt;
 * https://open.dingtalk.com/document/development/dingtalk-application-development-platform-billing-model), counted
 * by month (`YYYY-MM` in the bot's time zone) across every process; the secretaries are warned once a month, when
 * the count passes WARN_AT of the quota.
 */
export const WARN_AT = 0.8;

/** The calls of each month, kept for every process. */
export interface QuotaCounter {
  /** Count one call in `month`: the month's count so far. */
  count(month: string): Promise<number>;
  /** True for the first caller of the month only: the one that sends the warning. */
  firstWarning(month: string, used: number): Promise<boolean>;
  used(month: string): Promise<number>;
}

export interface QuotaOptions {
  readonly limit: number;
  readonly timeZone: string;
  readonly clock: () => number;
  /** Called once a month, in the process whose call crossed the line. */
  readonly onThreshold: (used: number, limit: number, month: string) => Promise<void>;
  readonly log: Logger;
}

export function monthOf(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(ms);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}`;
}

export class ApiQuota {
  constructor(
    private readonly counter: QuotaCounter,
    private readonly options: QuotaOptions,
  ) {}

  /** Count one call. Never throws: counting must not fail a send. */
  async count(): Promise<void> {
    const month = monthOf(this.options.clock(), this.options.timeZone);
    try {
      const used = await this.counter.count(month);
      const { limit } = this.options;
      if (used < Math.ceil(limit * WARN_AT)) return;
      if (!(await this.counter.firstWarning(month, used))) return;
      this.options.log.warn({ used, limit, month }, 'dingtalk monthly API quota at 80%: warning the secretaries');
      await this.options.onThreshold(used, limit, month);
    } catch (err) {
      this.options.log.warn({ err }, 'dingtalk quota count failed');
    }
  }

  async used(now = this.options.clock()): Promise<number> {
    return this.counter.used(monthOf(now, this.options.timeZone));
  }
}
