import type { Services } from '../../app/services';
import { chatKey, type AnswerStatus, type ChatRef } from '../../domain/types';
import { toZonedIso } from '../../time/zoned';
import type { Period } from './period';
import type { ExportRow } from './response-schemas';

export type ExportDeps = Pick<Services, 'duties' | 'chats'>;

const STATUS: Readonly<Record<AnswerStatus, ExportRow['状态']>> = { pending: '未回复', attending: '参加', leave: '请假', submitted: '已提交' };

/**
 * One row per duty × audience member, duties oldest first, members in audience order. Cancelled duties are
 * left out (they count for no one). Names come from the cached roster so that an export never calls a
 * platform; a member no longer in it keeps the id as a name, as in tallies.
 */
export async function exportRows(deps: ExportDeps, chat: ChatRef, period: Period, now: number, timeZone: string): Promise<ExportRow[]> {
  const duties = (await deps.duties.listByPeriod(chat, period.from, period.to)).filter((d) => d.state !== 'cancelled');
  if (duties.length === 0) return [];
  const [name, roster] = await Promise.all([deps.chats.name(chat), deps.chats.roster(chat)]);
  const branch = name ?? chatKey(chat);
  const names = new Map(roster.members.map((m) => [m.id, m.name]));
  const rows: ExportRow[] = [];
  for (const duty of duties) {
    const answers = await deps.duties.answers(duty.id);
    for (const memberId of duty.audience) {
      const answer = answers.get(memberId);
      // A missing report is 未交, not 逾期 (issue 17): 是否逾期 speaks of submissions only.
      const overdue = duty.kind !== 'report' || !answer ? '' : answer.late === true ? '是' : '否';
      const missing = duty.kind === 'report' && !answer && now >= duty.at;
      rows.push({
        支部: branch,
        事项: `#${duty.number} ${duty.title}`,
        类型: duty.label,
        时间: toZonedIso(duty.at, timeZone),
        成员: names.get(memberId) ?? (memberId === duty.organizer.id ? duty.organizer.name : memberId),
        状态: missing ? '未交' : STATUS[answer?.status ?? 'pending'],
        原因: answer?.reason ?? '',
        确认时间: answer ? toZonedIso(answer.at, timeZone) : '',
        是否逾期: overdue,
      });
    }
  }
  return rows;
}
