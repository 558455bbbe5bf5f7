/** The materials' wording (issue 14): refusals and answers, one place. Pure. */
import type { Duty } from '../domain/types';
import { ALLOWED_TYPES_TEXT } from '../store/files/file-types';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** How to send a file for duty #n, on every platform (the console's 📎 button, a file sent to the bot, 附件 #n). */
export const howToSend = (number: number): string =>
  `请把文件发给我（控制台：点输入框旁的「📎」），再点选 #${number}；也可以先发「附件 #${number}」，接下来发的文件就附到 #${number}。`;

export const MATERIAL_TEXT = {
  tooLarge: (name: string, maxMb: number, size?: number) =>
    `「${name}」太大了${size === undefined ? '' : `（${formatSize(size)}）`}：最大 ${maxMb} MB。文件没有保存，请压缩或拆分后再发。`,
  badType: (name: string) => `「${name}」不是可以附上的文件：只收 ${ALLOWED_TYPES_TEXT}（扩展名和内容都要对）。文件没有保存。`,
  empty: (name: string) => `「${name}」是空文件，没有保存。`,
  downloadFailed: (name: string) => `「${name}」没能从平台下载下来（已重试），文件没有保存：请重新发送。`,
  noOpenDuty: '你现在没有可以附上材料的事项（会议、学习或报告），文件没有保存。事项发起后再发，或先发「附件 #编号」。',
  badName: '文件名不能为空，也不能超过 200 个字。',
  chooseFooter: '点一下事项即可附上（只有发文件的人可以点，24 小时内有效）。',
  gone: '这个文件已附上或已过期（24 小时），请重新发送。',
  notYours: '只有发这个文件的人可以选择事项。',
  needsFile: (duty: Pick<Duty, 'number' | 'title'>) => `#${duty.number}「${duty.title}」需附件，附上文件才算提交。${howToSend(duty.number)}`,
  closed: (duty: Pick<Duty, 'number' | 'title' | 'state'>) =>
    `#${duty.number}「${duty.title}」${duty.state === 'cancelled' ? '已取消' : '已结束'}，不能再附材料。`,
  attached: (name: string, size: number, duty: Pick<Duty, 'number' | 'title'>, submitted?: { late: boolean }) =>
    `已把「${name}」（${formatSize(size)}）附到 #${duty.number}「${duty.title}」。` +
    (submitted ? `记为已提交${submitted.late ? '（逾期提交）' : ''}。` : ''),
  nextFile: (duty: Pick<Duty, 'number' | 'title'>) =>
    `好的：你接下来发的文件会附到 #${duty.number}「${duty.title}」（30 分钟内有效）。控制台：点输入框旁的「📎」选择文件。`,
};
