import type { Request, Response } from 'express';
import { describePeriod } from '../../domain/stats-period';
import type { ChatRef, PlatformName } from '../../domain/types';
import type { Logger } from '../../logger';
import { FORBIDDEN_PAGE, PAGE_HEADERS } from './html';
import type { ReportLinks } from './links';
import type { ReportParams } from './signing';

/** https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface PeriodLinkDeps {
  readonly links: ReportLinks;
  readonly clock: () => number;
  readonly timeZone: string;
  readonly log: Logger;
}

/** A period link that holds: its signed parameters, the period they name, and the query its sibling downloads take. */
export interface PeriodLink {
  readonly params: ReportParams;
  readonly now: number;
  readonly period: { readonly from: number; readonly to: number; readonly title: string };
  /** `from=…&to=…&exp=…&sig=…`: the same signature grants the period's data in any of its forms (signing.ts). */
  readonly query: string;
}

/** Answers 403 with the short page, and logs why (never the signature) as `<what> link refused`. */
export function refuseLink(deps: Pick<PeriodLinkDeps, 'log'>, res: Response, what: string, detail: Record<string, unknown>): void {
  deps.log.info(detail, `${what} link refused`);
  res.status(403).type('html').send(FORBIDDEN_PAGE);
}

/**
 * The start of every period link's answer (the report, the 台账, 积分, 通报: signed by src/http/reports/signing.ts):
 * the report pages' headers, then the signature and the expiry, checked before anything is read. Undefined when the
 * link is refused: the 403 is then sent.
 */
export async function openPeriodLink(deps: PeriodLinkDeps, what: string, format: string, req: Request<{ chat: string }>, res: Response): Promise<PeriodLink | undefined> {
  const now = deps.clock();
  const verdict = await deps.links.verify(req.params.chat, req.query, now);
  res.set(PAGE_HEADERS);
  if (!verdict.ok) {
    refuseLink(deps, res, what, { reason: verdict.reason, format });
    return undefined;
  }
  const { params } = verdict;
  const period = { from: params.from * 1000, to: params.to * 1000, title: describePeriod(params.from * 1000, params.to * 1000, deps.timeZone) };
  const query = `from=${params.from}&to=${params.to}&exp=${params.exp}&sig=${String(req.query.sig)}`;
  return { params, now, period, query };
}

/**
 * A download's Content-Disposition: an ASCII `filename` for old clients, and the real (Chinese) name in `filename*`
 * (https://datatracker.ietf.org/doc/html/rfc6266#section-4.3), with what file systems refuse replaced by `_`.
 */
export function setAttachment(res: Response, asciiName: string, name: string, format: string): void {
  const fileName = name.replace(/[\\/:*?"<>|\s]+/g, '_');
  res.set('Content-Disposition', `attachment; filename="${asciiName}.${format}"; filename*=UTF-8''${encodeURIComponent(`${fileName}.${format}`)}`);
}

/** The chat a link's signed key names (`<platform>:<chatId>`; the signature already held it to a known platform). */
export function chatOf(key: string): ChatRef {
  const at = key.indexOf(':');
  return { platform: key.slice(0, at) as PlatformName, chatId: key.slice(at + 1) };
}
