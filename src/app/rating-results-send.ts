import { resultsText, type Rating, type RatingResults } from '../domain/rating';
import type { RichText } from '../platforms/port';
import { textJobId, type Outbox } from '../queue/outbox';
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
      await sendOnce(deps.sent, directKey(dutyId, dueAt, member.id), (key) => sendDirect(member.id, [{ text }], { idempotencyKey: key }));
    }
    return `sent ${to.length}`;
  }
  const mentions: RichText = to.flatMap((m) => [{ mention: m }, { text: ' ' }]);
  await deps.outbox.text(rating.chat, [...mentions, { text: `\n${text}` }], chatKeyOf(dutyId, dueAt));
  return 'posted';
}

/** The sent-log key of a rating's shared card (RatingService.postCard sends it once under it). */
export const ratingCardKey = (dutyId: string): string => `rating-card-${dutyId}`;
const directKey = (dutyId: string, dueAt: number, memberId: string): string => `rating-res-${dutyId}-${dueAt}-${memberId}`;
const chatKeyOf = (dutyId: string, dueAt: number): string => `rating-res-${dutyId}-${dueAt}`;

/**
 * Whether the results of the rating's deadline were sent (the sent log, which is exported with the records): to
 * the organizer one-to-one (the first send), or posted in the chat (the card queue's text job, src/queue/outbox.ts).
 */
export async function resultsSent(sent: Pick<SentLog, 'get'>, rating: Pick<Rating, 'dutyId' | 'closesAt' | 'organizer'>): Promise<boolean> {
  const { dutyId, closesAt } = rating;
  const [direct, posted] = await Promise.all([sent.get(directKey(dutyId, closesAt, rating.organizer.id)), sent.get(textJobId(chatKeyOf(dutyId, closesAt)))]);
  return direct !== undefined || posted !== undefined;
}
