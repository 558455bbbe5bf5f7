import type { CardModel } from '../domain/card-model';
import type { Duty } from '../domain/types';
import type { PendingUpload } from '../store/files/material-types';
import { formatSize, MATERIAL_TEXT } from './material-texts';

/** The card answering a file: one button per duty it may go to (with its group's name when sent one-to-one). */
export function choiceCard(upload: PendingUpload, duties: readonly Duty[], groups?: ReadonlyMap<string, string>): CardModel {
  return {
    header: { title: '📎 附到哪个事项？', subtitle: `文件：${upload.name}`, color: 'blue' },
    fields: [{ label: '文件', value: `${upload.name}（${formatSize(upload.size)}）` }],
    tally: '',
    groups: [],
    buttons: duties.map((d) => ({
      label: `#${d.number} ${d.title}${groups?.has(d.chat.chatId) === true ? `（${groups.get(d.chat.chatId) ?? ''}）` : ''}`,
      value: { v: 1 as const, upload: upload.id, duty: d.id, act: 'attach' as const },
      style: d.kind === 'report' ? ('primary' as const) : ('default' as const),
      // One-to-one, `附件 #7` takes the waiting file too (direct-attach.ts): with the group's name when #7 is in two.
      ...(groups ? { command: `附件 #${d.number}${duties.some((o) => o !== d && o.number === d.number) ? ` ${groups.get(d.chat.chatId) ?? ''}` : ''}`.trim() } : {}),
    })),
    footer: MATERIAL_TEXT.chooseFooter,
  };
}
