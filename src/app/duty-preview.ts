/**
 * The preview of a duty read from free writing (issue 12): what the bot understood, what it guessed, and how to
 * go on. Pure.
 *   我理解为：【会议】支部委员会 · 12月7日（周一）15:00 · 三楼会议室 · 提前1天、提前1小时提醒
 */
import type { CardModel } from '../domain/card-model';
import { inferCategory } from '../domain/categories';
import { KINDS } from '../domain/duty-kinds';
import type { DutyDraft } from '../store/draft-repo';
import { DRAFT_TTL_SECONDS } from '../store/draft-repo';
import { formatDateTime, formatOffset } from '../time/format';

export function previewText(draft: DutyDraft, guesses: readonly string[], timeZone: string, now: number): string {
  const when = draft.schedule.kind === 'once' ? formatDateTime(draft.schedule.at, timeZone, now) : draft.schedule.description;
  const offsets = draft.offsets ?? KINDS[draft.kind].defaultOffsets;
  const parts = [`【${draft.label}】${draft.title}`, `${KINDS[draft.kind].timeLabel === '截止' ? '截止 ' : ''}${when}`];
  if (draft.place) parts.push(draft.place);
  parts.push(`${offsets.map((o) => `提前${formatOffset(o)}`).join('、')}提醒`);
  if (draft.link) parts.push(draft.link);
  if (draft.notes) parts.push(`备注：${draft.notes}`);
  parts.push(...optionFields(draft, guesses).map((f) => `${f.label} ${f.value}`));
  const guessed = guesses.length > 0 ? `\n（${guesses.join('；')}）` : '';
  const warning = draft.warning ? `\n⚠️ ${draft.warning}` : '';
  return `我理解为：${parts.join(' · ')}${guessed}${warning}\n回复「确认」发起，回复「取消」放弃（${DRAFT_TTL_SECONDS / 60}分钟内有效）。`;
}

/**
 * The preview as a card: what will be created, what was guessed, and [发起] [取消] for its author. `closed` is the
 * card after a click (已发起 #7, 已放弃): no buttons.
 */
export function previewCard(draft: DutyDraft, guesses: readonly string[], timeZone: string, now: number, closed?: string): CardModel {
  const when = draft.schedule.kind === 'once' ? formatDateTime(draft.schedule.at, timeZone, now) : draft.schedule.description;
  const offsets = draft.offsets ?? KINDS[draft.kind].defaultOffsets;
  const fields = [
    { label: KINDS[draft.kind].timeLabel, value: when },
    ...(draft.place ? [{ label: '地点', value: draft.place }] : []),
    ...(draft.link ? [{ label: '链接', value: draft.link, href: draft.link }] : []),
    ...(draft.notes ? [{ label: '备注', value: draft.notes }] : []),
    ...optionFields(draft, guesses),
    { label: '提醒', value: offsets.map((o) => `提前${formatOffset(o)}`).join('、') },
    ...(guesses.length > 0 ? [{ label: '我猜的', value: guesses.join('；') }] : []),
    ...(draft.warning ? [{ label: '注意', value: draft.warning }] : []),
  ];
  const id = draft.id ?? '';
  return {
    header: { title: `我理解为：【${draft.label}】${draft.title}`, subtitle: closed ?? '预览 · 待确认', color: closed ? 'grey' : 'orange' },
    ...(closed ? { banner: closed } : {}),
    fields,
    tally: '',
    groups: [],
    buttons: closed
      ? []
      : [
          { label: '发起', value: { v: 1, draft: id, act: 'draft-create' }, style: 'primary' },
          { label: '取消', value: { v: 1, draft: id, act: 'draft-drop' }, style: 'default' },
        ],
    footer: `${DRAFT_TTL_SECONDS / 60}分钟内有效，只有发通知的人可以点；也可以回复「确认」或「取消」。`,
  };
}

/**
 * The meeting options as the preview shows them (issue 14), and the category the duty will be filed under: given
 * with 类别, else read from the title (said once: not again when the guesses name it already).
 */
function optionFields(draft: DutyDraft, guesses: readonly string[]): { label: string; value: string }[] {
  const category = draft.category ?? inferCategory(draft.kind, draft.title, draft.label);
  const guessed = guesses.some((g) => g.startsWith('类别'));
  return [
    ...(draft.durationMinutes ? [{ label: '时长', value: formatOffset(draft.durationMinutes) }] : []),
    ...(draft.host ? [{ label: '主持人', value: draft.host.name }] : []),
    ...(draft.recorder ? [{ label: '记录人', value: draft.recorder.name }] : []),
    ...(draft.agenda ? [{ label: '议题', value: draft.agenda }] : []),
    ...(draft.category || !guessed ? [{ label: '类别', value: draft.category ? category : `${category}（按标题判断）` }] : []),
    ...(draft.signinCode ? [{ label: '签到码', value: '开' }] : []),
    ...(draft.needsFile ? [{ label: '需附件', value: '提交时要附上文件' }] : []),
  ];
}
