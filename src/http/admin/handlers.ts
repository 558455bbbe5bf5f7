import type { Request, Response } from 'express';
import type { CreateDutyInput } from '../../app/duty-service';
import type { Services } from '../../app/services';
import { KINDS } from '../../domain/duty-kinds';
import { computeTally, type Tally } from '../../domain/tally';
import { chatKey, type ChatRef, type Duty } from '../../domain/types';
import { PlatformError } from '../../errors';
import { toCsv } from './csv';
import { exportRows } from './export-rows';
import { resolvePeriod, type Period } from './period';
import { presentDuty, presentHistoryEntry, presentTally } from './present';
import { ProblemError } from './problem';
import {
  cancelBodySchema,
  createDutyBodySchema,
  DUTY_ID_PATTERN,
  exportQuerySchema,
  listQuerySchema,
  parseChat,
  parseWith,
  requireJsonBody,
} from './request-schemas';
import { EXPORT_COLUMNS } from './response-schemas';

/** What the admin API uses; `Bot.services` fits. Writes go through DutyService only. */
export type AdminDeps = Pick<Services, 'config' | 'log' | 'clock' | 'duties' | 'chats' | 'roster' | 'views' | 'dutyService' | 'platforms' | 'units'>;

export type Handler = (req: Request, res: Response) => Promise<void>;

const param = (req: Request, name: string): string => {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
};

/** The route handlers. Each checks all its input before it reads or writes anything. */
export function adminHandlers(deps: AdminDeps): Record<'create' | 'list' | 'read' | 'cancel' | 'tally' | 'history' | 'exportAnswers', Handler> {
  const tz = deps.config.BOT_TIMEZONE;
  const log = deps.log.child({ component: 'admin-api' });

  async function load(id: string): Promise<Duty> {
    const duty = DUTY_ID_PATTERN.test(id) ? await deps.duties.get(id) : undefined;
    if (!duty) throw new ProblemError('not-found', '没有这个事项，请检查事项 id。');
    return duty;
  }

  /**
   * A duty can only be announced in a chat the bot can reach. The platform is checked first; a chat that does
   * not exist shows as a permanent platform error when DutyService reads its members, before anything is written.
   */
  async function createIn(chat: ChatRef, run: () => Promise<Duty>): Promise<Duty> {
    if (!deps.platforms.has(chat.platform)) throw new ProblemError('not-found', `本服务未启用平台 ${chat.platform}，不能在 ${chatKey(chat)} 发起事项。`);
    try {
      return await run();
    } catch (err) {
      if (err instanceof PlatformError && err.permanent) throw new ProblemError('not-found', `找不到群 ${chatKey(chat)}，或机器人不在该群中。`);
      throw err;
    }
  }

  /** The tally through DutyViews (which may refresh a stale roster); with the platform unreachable, from cached names. */
  async function tallyOf(duty: Duty): Promise<Tally> {
    try {
      return await deps.views.tally(duty);
    } catch (err) {
      log.warn({ dutyId: duty.id, err: err instanceof Error ? err.message : String(err) }, 'tally from the cached roster');
      return computeTally(duty, await deps.duties.answers(duty.id), await cachedNames(duty));
    }
  }

  async function cachedNames(duty: Duty): Promise<Map<string, string>> {
    const names = new Map((await deps.chats.roster(duty.chat)).members.map((m) => [m.id, m.name]));
    if (!names.has(duty.organizer.id)) names.set(duty.organizer.id, duty.organizer.name);
    return names;
  }

  const periodBody = (chat: ChatRef, period: Period) => ({ chat: chatKey(chat), from: period.fromIso, to: period.toIso });

  return {
    async create(req, res) {
      const chat = parseChat(param(req, 'chat'));
      const body = parseWith(createDutyBodySchema, requireJsonBody(req.body), '请求体');
      const input: CreateDutyInput = {
        chat,
        organizer: body.organizer,
        kind: body.kind,
        label: KINDS[body.kind].name,
        title: body.title,
        at: Date.parse(body.at),
        ...(body.place ? { place: body.place } : {}),
        ...(body.link ? { link: body.link } : {}),
        ...(body.notes ? { notes: body.notes } : {}),
        ...(body.reminderOffsets ? { offsets: [...new Set(body.reminderOffsets)] } : {}),
      };
      const duty = await createIn(chat, () => deps.dutyService.create(input, deps.clock()));
      log.info({ dutyId: duty.id, chat: chatKey(chat), number: duty.number }, 'duty created through the admin api');
      res.status(201).location(`/api/duties/${duty.id}`).json(presentDuty(duty, tz));
    },

    async list(req, res) {
      const chat = parseChat(param(req, 'chat'));
      const query = parseWith(listQuerySchema, req.query, '查询参数');
      const period = resolvePeriod(query, tz);
      const duties = (await deps.duties.listByPeriod(chat, period.from, period.to)).filter((d) => !query.state || d.state === query.state);
      res.json({ ...periodBody(chat, period), duties: duties.map((d) => presentDuty(d, tz)) });
    },

    async read(req, res) {
      const duty = await load(param(req, 'id'));
      res.json({ duty: presentDuty(duty, tz), tally: presentTally(duty, await tallyOf(duty)) });
    },

    async cancel(req, res) {
      const duty = await load(param(req, 'id'));
      const body = parseWith(cancelBodySchema, requireJsonBody(req.body), '请求体');
      const cancelled = await deps.dutyService.cancel(duty.chat, duty.number, body.by, deps.clock());
      log.info({ dutyId: duty.id, by: body.by.id }, 'duty cancelled through the admin api');
      res.json(presentDuty(cancelled, tz));
    },

    async tally(req, res) {
      const duty = await load(param(req, 'id'));
      res.json({ dutyId: duty.id, tally: presentTally(duty, await tallyOf(duty)) });
    },

    async history(req, res) {
      const duty = await load(param(req, 'id'));
      const [entries, names] = await Promise.all([deps.duties.history(duty.id), cachedNames(duty)]);
      res.json({ dutyId: duty.id, entries: entries.map((e) => presentHistoryEntry(e, names, tz)) });
    },

    async exportAnswers(req, res) {
      const chat = parseChat(param(req, 'chat'));
      const query = parseWith(exportQuerySchema, req.query, '查询参数');
      const period = resolvePeriod(query, tz);
      const rows = await exportRows(deps, chat, period, deps.clock(), tz);
      if (query.format === 'csv') {
        const day = (iso: string | null): string => iso?.slice(0, 10) ?? 'all';
        const name = `luoshi-${chatKey(chat).replace(/[^A-Za-z0-9_-]/g, '_')}-${day(period.fromIso)}-${day(period.toIso)}.csv`;
        res.attachment(name).type('text/csv; charset=utf-8').send(toCsv(EXPORT_COLUMNS, rows));
        return;
      }
      res.json({ ...periodBody(chat, period), columns: [...EXPORT_COLUMNS], rows });
    },
  };
}
