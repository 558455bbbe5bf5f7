import { Router, type Request, type Response } from 'express';
import type { DutyRecord, Ledger, LedgerService } from '../../app/ledger-service';
import type { ChatRef } from '../../domain/types';
import { esc, PAGE_HEADERS } from './html';
import { renderLedgerPage } from './ledger-page';
import { ledgerXlsx } from './ledger-xlsx';
import { chatOf, openPeriodLink, refuseLink, setAttachment, XLSX_TYPE, type PeriodLinkDeps } from './period-link';
import { renderRecordPage } from './record-page';

export interface RecordRouterDeps extends PeriodLinkDeps {
  readonly ledger: LedgerService;
  /**
   * Streams the ZIP of a ledger's materials with its record pages (the materials part of issue 14); without it
   * `…/ledger.zip` answers 404 and the page shows no ZIP link.
   */
  readonly ledgerZip?: (ledger: Ledger, res: Response) => Promise<void>;
}

const NOT_FOUND_PAGE = (what: string): string => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>没有找到</title></head><body><h1>没有找到${esc(what)}</h1></body></html>
`;

/**
 * GET /records/:chat/:number (a duty's record page, signed by src/http/reports/record-signing.ts) and its
 * materials' downloads; GET /reports/:chat/ledger and …/ledger.xlsx (the 台账, signed like the report page:
 * src/http/reports/signing.ts). Nothing is read before the signature and the expiry hold: otherwise 403.
 */
export function recordRouter(deps: RecordRouterDeps): Router {
  const router = Router();

  const openRecord = async (req: Request<{ chat: string; number: string }>, res: Response): Promise<{ record: DutyRecord; chat: ChatRef; query: string; exp: number } | undefined> => {
    const now = deps.clock();
    const verdict = await deps.links.verifyRecord(req.params.chat, req.params.number, req.query, now);
    res.set(PAGE_HEADERS);
    if (!verdict.ok) {
      refuseLink(deps, res, 'record', { reason: verdict.reason });
      return undefined;
    }
    const chat = chatOf(verdict.params.chatKey);
    const record = await deps.ledger.record(chat, verdict.params.number);
    if (!record) {
      res.status(404).type('html').send(NOT_FOUND_PAGE('这个事项'));
      return undefined;
    }
    return { record, chat, query: `exp=${verdict.params.exp}&sig=${String(req.query.sig)}`, exp: verdict.params.exp };
  };

  router.get('/records/:chat/:number', async (req: Request<{ chat: string; number: string }>, res: Response) => {
    const opened = await openRecord(req, res);
    if (!opened) return;
    const { record, chat, query, exp } = opened;
    const canDownload = deps.ledger.materials.open !== undefined;
    const html = renderRecordPage({
      record,
      chatName: await deps.ledger.chatName(chat),
      timeZone: deps.timeZone,
      now: deps.clock(),
      expiresAt: exp * 1000,
      materialHref: (m) => (canDownload ? `./${record.duty.number}/files/${encodeURIComponent(m.id)}?${query}` : undefined),
    });
    res.type('html').send(html);
  });

  router.get('/records/:chat/:number/files/:id', async (req: Request<{ chat: string; number: string; id: string }>, res: Response) => {
    const opened = await openRecord(req, res);
    if (!opened) return;
    const file = await deps.ledger.materials.open?.(opened.record.duty, req.params.id);
    if (!file) {
      res.status(404).type('html').send(NOT_FOUND_PAGE('这个材料'));
      return;
    }
    res.set('Content-Disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.type(file.type).set('Content-Length', String(file.size));
    file.body.pipe(res);
  });

  const serveLedger = (format: 'html' | 'xlsx' | 'zip') => async (req: Request<{ chat: string }>, res: Response): Promise<void> => {
    const link = await openPeriodLink(deps, 'ledger', format, req, res);
    if (!link) return;
    const { params, period, query } = link;
    if (format === 'zip' && !deps.ledgerZip) {
      res.status(404).type('html').send(NOT_FOUND_PAGE('材料包'));
      return;
    }
    const ledger = await deps.ledger.ledger(chatOf(params.chatKey), period, link.now);
    if (format === 'html') {
      const recordPaths = new Map(
        await Promise.all(
          ledger.groups.flatMap((g) => g.records).map(async (r) => [r.duty.id, await deps.links.recordPath({ chatKey: params.chatKey, number: r.duty.number, exp: params.exp })] as const),
        ),
      );
      const html = renderLedgerPage({
        ledger,
        timeZone: deps.timeZone,
        expiresAt: params.exp * 1000,
        // The page is /reports/<chat>/ledger: two levels up is the root the record pages hang from.
        recordHref: (r) => `../..${recordPaths.get(r.duty.id) ?? ''}`,
        xlsxHref: `./ledger.xlsx?${query}`,
        ...(deps.ledgerZip ? { zipHref: `./ledger.zip?${query}` } : {}),
      });
      res.type('html').send(html);
      return;
    }
    setAttachment(res, 'ledger', `${ledger.chatName}-${period.title}-台账`, format);
    if (format === 'xlsx') res.type(XLSX_TYPE).send(await ledgerXlsx(ledger, deps.timeZone));
    else await deps.ledgerZip?.(ledger, res);
  };
  router.get('/reports/:chat/ledger', serveLedger('html'));
  router.get('/reports/:chat/ledger.xlsx', serveLedger('xlsx'));
  router.get('/reports/:chat/ledger.zip', serveLedger('zip'));
  return router;
}
