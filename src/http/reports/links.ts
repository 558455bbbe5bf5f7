import type { ReportLinker } from '../../app/stats-service';
import type { Config } from '../../config';
import type { StatsPeriod } from '../../domain/stats-period';
import { chatKey, type ChatRef } from '../../domain/types';
import type { SigningKeySource } from './signing-key';
import { signedPath, verifyParams, type Verdict } from './signing';

const DAY_S = 86_400;

/** Makes and checks the signed links of report pages. */
export class ReportLinks implements ReportLinker {
  readonly days: number;
  readonly baseUrl: string;

  constructor(
    private readonly keys: SigningKeySource,
    config: Pick<Config, 'PUBLIC_BASE_URL' | 'PORT' | 'REPORT_LINK_DAYS'>,
  ) {
    this.days = config.REPORT_LINK_DAYS;
    this.baseUrl = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
  }

  async link(chat: ChatRef, period: StatsPeriod, now: number): Promise<string> {
    const params = {
      chatKey: chatKey(chat),
      from: Math.floor(period.from / 1000),
      to: Math.floor(period.to / 1000),
      exp: Math.floor(now / 1000) + this.days * DAY_S,
    };
    return `${this.baseUrl}${signedPath(await this.keys.get(), params)}`;
  }

  async verify(chatKeyParam: string, query: unknown, now: number): Promise<Verdict> {
    return verifyParams(await this.keys.get(), chatKeyParam, query, now);
  }
}
