import type { StatsPeriod } from '../domain/stats-period';
import { chatKey, type ChatRef } from '../domain/types';
import type { ChatRepo } from '../store/chat-repo';
import type { ChatPointsAverage, PointsAverages } from './points-service';
import type { RosterService } from './roster';

/** One chat a committee reaches, with its average 积分 per member. */
export interface CommitteeRow extends ChatPointsAverage {
  readonly name: string;
}

/** Chats averaged at once: each is one ranking (two reads and one pipeline). */
const AT_ONCE = 8;

/**
 * A committee chat's view of 积分 until units exist (issue 15's units part will name a committee's sub-units): the
 * average per member of every group chat its campaigns reach (`发起 … 范围 全部`, src/app/campaign-service.ts: the
 * other chats of its platform known to be groups), highest first.
 */
export async function committeeAverages(
  deps: { readonly chats: Pick<ChatRepo, 'known' | 'kinds'>; readonly roster: Pick<RosterService, 'chatName'>; readonly points: PointsAverages },
  origin: ChatRef,
  period: StatsPeriod,
  now: number,
): Promise<CommitteeRow[]> {
  const others = (await deps.chats.known(origin.platform)).filter((c) => c.chatId !== origin.chatId);
  const kinds = await deps.chats.kinds(others);
  const groups = others.filter((c) => kinds.get(chatKey(c)) === 'group');
  const rows: CommitteeRow[] = [];
  for (let i = 0; i < groups.length; i += AT_ONCE) {
    const batch = groups.slice(i, i + AT_ONCE);
    rows.push(
      ...(await Promise.all(
        batch.map(async (chat) => {
          const [average, name] = await Promise.all([deps.points.chatAverage(chat, period, now), deps.roster.chatName(chat).catch(() => chat.chatId)]);
          return { ...average, name };
        }),
      )),
    );
  }
  return rows.sort((a, b) => b.average - a.average || a.name.localeCompare(b.name, 'zh-CN'));
}
