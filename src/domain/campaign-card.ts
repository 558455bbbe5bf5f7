import { formatDateTime } from '../time/format';
import type { CardModel } from './card-model';

export interface PartProgress {
  readonly chatName: string;
  readonly number: number;
  readonly done: number;
  readonly total: number;
  readonly cancelled: boolean;
}

/** The summary card of a campaign in the origin chat: each chat's `已提交 N/M`, and the chats that lag. Pure. */
export function buildCampaignCard(input: {
  readonly label: string;
  readonly title: string;
  readonly at: number;
  readonly parts: readonly PartProgress[];
  readonly now: number;
  readonly timeZone: string;
}): CardModel {
  const active = input.parts.filter((p) => !p.cancelled);
  const done = active.reduce((n, p) => n + p.done, 0);
  const total = active.reduce((n, p) => n + p.total, 0);
  const complete = active.filter((p) => p.total > 0 && p.done === p.total);
  const lagging = active.filter((p) => p.done < p.total).sort((a, b) => a.done / a.total - b.done / b.total || a.chatName.localeCompare(b.chatName));
  const passed = input.now >= input.at;
  return {
    header: { title: `【${input.label}】${input.title} · 汇总`, subtitle: `${active.length} 个群`, color: passed ? 'grey' : 'purple' },
    ...(passed ? { banner: '已过截止时间' } : {}),
    fields: [
      { label: '截止', value: formatDateTime(input.at, input.timeZone, input.now) },
      { label: '完成', value: `${complete.length}/${active.length} 个群全部提交` },
    ],
    tally: `已提交 ${done}/${total}`,
    groups: [
      { label: '各群进度', entries: input.parts.map((p) => ({ name: p.chatName, note: p.cancelled ? '已取消' : `已提交 ${p.done}/${p.total}` })) },
      { label: '滞后', entries: lagging.map((p) => ({ name: p.chatName, note: `已提交 ${p.done}/${p.total}` })) },
    ],
    buttons: [],
    footer: '各群成员在本群的卡片上点「已提交」；每个群会按时提醒和催办未提交的人。',
  };
}
