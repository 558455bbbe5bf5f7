import { resultsText, type RatingResults } from '../domain/rating';
import type { RichText } from '../platforms/port';
import type { Outbox } from '../queue/outbox';
import { sendOnce } from '../queue/send-once';
import type { ChatRepo } from '../store/chat-repo';
import type { SentLog } from '../store/sent-log';
import type { PlatformRegistry } from './platform-registry';
import type { RosterService } from './roster';

export interface RatingResultsSendDeps {
  readonly chats: Pick<ChatRepo, 'secretaries'>;
  readonly roster: Pick<RosterService, 'members'>;
  readonly outbox: Pick<Outbox, 'text'>;
  readonly platforms: PlatformRegistry;
  readonly sent: SentLog;
}

/**
 * A 述职评议's results at its deadline (RatingService.close) to the organizer and the chat's secretaries: one-to-one
 * where the platform has one-to-one messages, else in the chat mentioning them. Each send once (sent log keyed by
 * duty, deadline, member), so a retried job never sends twice.
 */
export async function sendRatingResults(deps: RatingResultsSendDeps, found: RatingResults, dueAt: number): Promise<string> {
  const { rating } = found;
  const dutyId = rating.dutyId;
  const port = deps.platforms.get(rating.chat.platform);
  // The chat's secretaries as ChatRoles counts them: the platform's owner and admins, and the recorded ones.
  const [members, recorded] = await Promise.all([deps.roster.members(rating.chat), deps.chats.secretaries(rating.chat)]);
  const secretaries = members.filter((m) => m.platformRole === 'owner' || m.platformRole === 'admin' || recorded.has(m.id));
  const to = [rating.organizer, ...secretaries.filter((m) => m.id !== rating.organizer.id).map((m) => ({ id: m.id, name: m.name }))];
  const text = resultsText(found);
  const sendDirect = port.sendDirect?.bind(port);
  if (sendDirect) {
    for (const member of to) {
      await sendOnce(deps.sent, `rating-res-${dutyId}-${dueAt}-${member.id}`, (key) => sendDirect(member.id, [{ text }], { idempotencyKey: key }));
    }
    return `sent ${to.length}`;
  }
  const mentions: RichText = to.flatMap((m) => [{ mention: m }, { text: ' ' }]);
  await deps.outbox.text(rating.chat, [...mentions, { text: `\n${text}` }], `rating-res-${dutyId}-${dueAt}`);
  return 'posted';
}
