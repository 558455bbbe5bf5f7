import type { ChatRef, Duty, Member } from '../domain/types';
import type { DutyRepo } from '../store/duty-repo';

/** Whether the member is in the duty's audience (or it is open to all) or organised it. */
export function takesPart(duty: Duty, memberId: string): boolean {
  return duty.audience.includes(memberId) || duty.audienceOpen === true || duty.organizer.id === memberId;
}

/**
 * The duty a file sent in a group as a reply to one of its cards goes to (issue 14: "reply to the card with the
 * file"), found through the card index (DutyRepo.dutyOfCard). Undefined when the message replied to is no duty's
 * card in this chat (the file goes the usual way); a refusal (text) when the duty is closed or the sender takes no
 * part in it.
 */
export async function dutyRepliedTo(duties: DutyRepo, chat: ChatRef, sender: Member, replyTo: string): Promise<Duty | string | undefined> {
  const id = await duties.dutyOfCard(chat.platform, replyTo);
  const duty = id ? await duties.get(id) : undefined;
  if (!duty || duty.chat.platform !== chat.platform || duty.chat.chatId !== chat.chatId) return undefined;
  if (duty.state !== 'scheduled') return `#${duty.number}「${duty.title}」${duty.state === 'cancelled' ? '已取消' : '已结束'}，不能再附材料。文件没有保存。`;
  if (!takesPart(duty, sender.id)) return `你不是 #${duty.number}「${duty.title}」的参加人，不能给它附材料。文件没有保存。`;
  return duty;
}
