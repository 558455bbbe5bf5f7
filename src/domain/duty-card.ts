import { formatDateTime, formatOffset, formatTimeLeft } from '../time/format';
import { zonedParts } from '../time/zoned';
import { categoryOf, endOf } from './categories';
import type { CardButton, CardColor, CardModel } from './card-model';
import { KINDS } from './duty-kinds';
import { describeReminders } from './reminder-plan';
import { tallyLine, type Tally } from './tally';
import type { Duty } from './types';

export interface DutyCardInput {
  readonly duty: Duty;
  readonly tally: Tally;
  readonly now: number;
  readonly timeZone: string;
  /** Set on reminder cards: 提醒 banner. */
  readonly reminder?: boolean;
  /** Sign-in (签到) while its window is open (src/app/duty-views.ts, src/domain/signin.ts). */
  readonly signin?: SigninCardState;
}

export interface SigninCardState {
  /** Members present so far, and the audience. */
  readonly present: number;
  readonly expected: number;
  /** Members must give the 4-digit code (签到码 开). */
  readonly code: boolean;
}

const KIND_COLOR: Record<Duty['kind'], CardColor> = { meeting: 'blue', study: 'green', report: 'orange' };

/** Build the duty card from the domain. Pure: same input, same card. */
export function buildDutyCard({ duty, tally, now, timeZone, reminder, signin }: DutyCardInput): CardModel {
  const info = KINDS[duty.kind];
  const passed = now >= duty.at;
  // A report past its deadline still takes submissions (marked late); a meeting past its time takes nothing.
  const lateReport = passed && duty.kind === 'report' && duty.state !== 'cancelled';
  const closed = duty.state === 'cancelled' || (passed && !lateReport) || (duty.state === 'done' && duty.kind !== 'report');
  // A meeting or study session past its start and before its end (start + 时长, src/domain/categories.ts endOf) is
  // under way: 参加/请假 are closed but 签到 may still be open, so the card must not say 已结束 yet.
  const underWay = passed && duty.kind !== 'report' && duty.state !== 'cancelled' && now < endOf(duty);
  const color: CardColor = duty.state === 'cancelled' ? 'grey' : underWay ? KIND_COLOR[duty.kind] : closed ? 'grey' : KIND_COLOR[duty.kind];
  const stateWord = duty.state === 'cancelled' ? '已取消' : lateReport ? '已截止' : underWay ? '进行中' : duty.state === 'done' || passed ? '已结束' : '';

  const fields: { label: string; value: string; href?: string }[] = [
    { label: info.timeLabel, value: formatDateTime(duty.at, timeZone, now) },
  ];
  if (duty.durationMinutes && duty.kind !== 'report') fields.push({ label: '时长', value: durationText(duty, timeZone, now) });
  if (duty.place) fields.push({ label: '地点', value: duty.place });
  if (duty.host) fields.push({ label: '主持人', value: duty.host.name });
  if (duty.recorder) fields.push({ label: '记录人', value: duty.recorder.name });
  if (duty.agenda) fields.push({ label: '议题', value: duty.agenda });
  if (duty.link) fields.push({ label: '链接', value: duty.link, href: duty.link });
  if (duty.notes) fields.push({ label: '备注', value: duty.notes });
  // Older duties have none stored; theirs is read from the title. Set on every new one (类别 #n … changes it).
  if (duty.category) fields.push({ label: '类别', value: categoryOf(duty) });
  if (!closed) fields.push({ label: '剩余', value: formatTimeLeft(duty.at - now) });
  if (!closed) fields.push({ label: '提醒', value: describeReminders(duty, now, formatOffset) });

  const groups =
    duty.kind === 'report'
      ? [
          { label: '已提交', entries: tally.submitted.map((e) => ({ name: e.name })) },
          { label: '未提交', entries: tally.pending.map((e) => ({ name: e.name })) },
        ]
      : [
          { label: '参加', entries: tally.attending.map((e) => ({ name: e.name })) },
          { label: '请假', entries: tally.leave.map((e) => (e.reason ? { name: e.name, note: e.reason } : { name: e.name })) },
          { label: '未回复', entries: tally.pending.map((e) => ({ name: e.name })) },
        ];

  const buttons: CardButton[] = closed
    ? []
    : duty.kind === 'report'
      ? [{ label: '已提交', value: { v: 1, duty: duty.id, act: 'submit' }, style: 'primary' }]
      : [
          { label: '参加', value: { v: 1, duty: duty.id, act: 'attend' }, style: 'primary' },
          { label: '请假', value: { v: 1, duty: duty.id, act: 'leave' }, style: 'default', reasonPrompt: '请填写请假原因' },
        ];

  if (signin) {
    fields.push({ label: '签到', value: `已签到 ${signin.present} / 应到 ${signin.expected}` });
    buttons.push({
      label: '签到',
      value: { v: 1, duty: duty.id, act: 'signin' },
      style: 'primary',
      ...(signin.code ? { reasonPrompt: '请输入4位签到码' } : {}),
    });
  }
  // The text that does what each button does: only the answers the card still takes (签到 alone once it has started).
  const says: Record<string, string> = {
    attend: `参加 #${duty.number}`,
    leave: `请假 #${duty.number} 原因`,
    submit: `已提交 #${duty.number}`,
    signin: `签到 #${duty.number}${signin?.code ? ' 签到码' : ''}`,
  };
  const textReply = buttons.map((b) => ('act' in b.value ? says[b.value.act] : undefined)).filter((t) => t !== undefined).join(' / ');

  const banner = lateReport
    ? '已过截止时间，仍可提交（记为逾期）'
    : stateWord
    ? stateWord
    : reminder
      ? `⏰ 提醒：${formatTimeLeft(duty.at - now).replace('还有 ', '距' + (duty.kind === 'report' ? '截止' : '开始') + '还有 ')}`
      : undefined;

  return {
    header: { title: `【${duty.label}】${duty.title}`, subtitle: `#${duty.number}${stateWord ? ` · ${stateWord}` : ''}`, color },
    ...(banner ? { banner } : {}),
    fields,
    tally: tallyLine(duty, tally),
    groups,
    buttons,
    footer: `${duty.audienceOpen ? '尚无本群名单：只统计已回复的人（管理员可发送「名单 添加 @某人」设置名单）。' : ''}#${duty.number} · 发起人 ${duty.organizer.name}${
      // A card that takes no answer (cancelled, ended) offers no text reply either (issue 17).
      textReply ? ` · 文字回复：${textReply}` : ''
    }`,
  };
}

/** `1小时30分钟（至 16:30）`; the end's date too when it falls on another day. */
function durationText(duty: Duty, timeZone: string, now: number): string {
  const end = endOf(duty);
  const start = zonedParts(duty.at, timeZone);
  const last = zonedParts(end, timeZone);
  const sameDay = start.year === last.year && start.month === last.month && start.day === last.day;
  const until = sameDay ? `${String(last.hour).padStart(2, '0')}:${String(last.minute).padStart(2, '0')}` : formatDateTime(end, timeZone, now);
  return `${formatOffset(duty.durationMinutes ?? 0)}（至 ${until}）`;
}
