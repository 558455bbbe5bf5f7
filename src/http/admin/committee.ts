import type { Request, Response } from 'express';
import { committeeChats, configuredCommittee, isCommitteeChat } from '../../app/committees';
import { chatKey } from '../../domain/types';
import type { AdminDeps, Handler } from './handlers';
import { ProblemError } from './problem';
import { parseChat } from './request-schemas';

const param = (req: Request, name: string): string => {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
};

/** Who an admin API change is recorded as in the chat's audit list. */
const ADMIN_ACTOR = 'admin-api';

/**
 * Committee chats (工委群) through the admin API: list them, mark one, unmark one. A committee chat's secretaries
 * may start campaigns across chats (handlers/commands/campaign.ts); chats named in COMMITTEE_CHATS stay marked.
 */
export function committeeHandlers(deps: AdminDeps): Record<'list' | 'mark' | 'unmark', Handler> {
  const log = deps.log.child({ component: 'admin-api' });
  const present = async (req: Request, res: Response, changed: boolean): Promise<void> => {
    const chat = parseChat(param(req, 'chat'));
    res.json({ chat: chatKey(chat), committee: await isCommitteeChat(deps, chat), configured: configuredCommittee(deps.config, chat), changed });
  };
  return {
    async list(_req, res) {
      res.json({ chats: await committeeChats(deps) });
    },

    async mark(req, res) {
      const chat = parseChat(param(req, 'chat'));
      const kind = (await deps.chats.kinds([chat])).get(chatKey(chat));
      if (kind === 'direct') throw new ProblemError('unprocessable', `${chatKey(chat)} 是与机器人的单聊，工委群须是群聊。`);
      const changed = await deps.chats.setCommittee(chat, true, { at: deps.clock(), by: ADMIN_ACTOR, what: '设为工委群' });
      log.info({ chat: chatKey(chat), changed }, 'committee chat marked through the admin api');
      await present(req, res, changed);
    },

    async unmark(req, res) {
      const chat = parseChat(param(req, 'chat'));
      if (configuredCommittee(deps.config, chat)) {
        throw new ProblemError('conflict', `${chatKey(chat)} 在配置 COMMITTEE_CHATS 中列为工委群，须修改配置后重启才能取消。`);
      }
      const changed = await deps.chats.setCommittee(chat, false, { at: deps.clock(), by: ADMIN_ACTOR, what: '取消工委群' });
      log.info({ chat: chatKey(chat), changed }, 'committee chat unmarked through the admin api');
      await present(req, res, changed);
    },
  };
}
