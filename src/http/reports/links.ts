import type { RecordLinker } from '../../app/ledger-links';
import type { ReportLinker } from '../../app/stats-service';
import type { PointsLinker } from '../../app/points-links';
import type { CircularLinker } from '../../app/circular-service';
import type { RatingLinker, RatingLinkParams } from '../../app/rating-links';
import { signedRatingPath, verifyRating, type RatingVerdict } from './rating-signing';
import type { Config } from '../../config';
import type { StatsPeriod } from '../../domain/stats-period';
import { chatKey, type ChatRef } from '../../domain/types';
import type { SigningKeySource } from './signing-key';
import { signedRecordPath, verifyRecord, type RecordParams, type RecordVerdict } from './record-signing';
import { signedPath, verifyParams, type Verdict } from './signing';

const DAY_S = 86_400;

/** Makes and checks the signed links of report pages. */
export class ReportLinks implements ReportLinker, RecordLinker, PointsLinker, CircularLinker, RatingLinker {
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

  /** The record page of duty #`number` (记录 #7): its own signature, src/http/reports/record-signing.ts. */
  async recordLink(chat: ChatRef, number: number, now: number): Promise<string> {
    return `${this.baseUrl}${await this.recordPath({ chatKey: chatKey(chat), number, exp: Math.floor(now / 1000) + this.days * DAY_S })}`;
  }

  /** A record page's path, signed (the ledger links each of its rows to one, expiring with the ledger's link). */
  async recordPath(params: RecordParams): Promise<string> {
    return signedRecordPath(await this.keys.get(), params);
  }

  /** The ledger (台账) of a period: the report link's signature, which grants the chat's data of that period in any form. */
  async ledgerLink(chat: ChatRef, period: StatsPeriod, now: number): Promise<string> {
    return (await this.link(chat, period, now)).replace('?', '/ledger?');
  }

  /** The 积分 page of a period: the report link's signature too (it grants the chat's data of that period in any form). */
  async pointsLink(chat: ChatRef, period: StatsPeriod, now: number): Promise<string> {
    return (await this.link(chat, period, now)).replace('?', '/points?');
  }

  /** A committee chat's circular (通报) of a period: the report link's signature of the committee's own chat. */
  async circularLink(chat: ChatRef, period: StatsPeriod, now: number): Promise<string> {
    return (await this.link(chat, period, now)).replace('?', '/circular?');
  }

  /** A member's 述职评议 link (DingTalk): its own signature, src/http/reports/rating-signing.ts. */
  async ratingLink(params: RatingLinkParams): Promise<string> {
    return `${this.baseUrl}${signedRatingPath(await this.keys.get(), params)}`;
  }

  async verifyRating(dutyId: string, query: unknown, now: number): Promise<RatingVerdict> {
    return verifyRating(await this.keys.get(), dutyId, query, now);
  }

  async verifyRecord(chatKeyParam: string, number: string, query: unknown, now: number): Promise<RecordVerdict> {
    return verifyRecord(await this.keys.get(), chatKeyParam, number, query, now);
  }

  async verify(chatKeyParam: string, query: unknown, now: number): Promise<Verdict> {
    return verifyParams(await this.keys.get(), chatKeyParam, query, now);
  }
}
