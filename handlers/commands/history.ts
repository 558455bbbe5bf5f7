import { withDutyNumber } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';
import { STATUS_NAMES } from '../../src/domain/duty-kinds';
import type { HistoryEntry } from '../../src/domain/types';
import { formatDateTime, formatOffset } from '../../src/time/format';

/** 历史 <编号>: every change of a duty and its answers: who, what, when. */
export const history: CommandHandler = {
  name: 'history',
  words: ['历史'],
  help: '历史 <编号>：事项的全部变更记录（谁、何时、做了什么），例如「历史 #7」',
  async handle(ctx) {
    const { duty } = await withDutyNumber(ctx, { missing: '请写上编号，例如：历史 #7' });
    const { duties, rosters, config } = ctx.services;
    const [entries, names] = await Promise.all([duties.history(duty), rosters.names(duty.chat).catch(() => new Map<string, string>())]);
    const tz = config.BOT_TIMEZONE;
    const who = (id: string): string => (id === 'system' ? '系统' : (names.get(id) ?? (id === duty.organizer.id ? duty.organizer.name : id)));
    const when = (t: number): string => formatDateTime(t, tz, ctx.now);
    const describe = (e: HistoryEntry): string => {
      switch (e.type) {
        case 'created':
          return '发起';
        case 'answer':
          return `${STATUS_NAMES[e.previous]} → ${STATUS_NAMES[e.status]}${e.reason ? `（${e.reason}）` : ''}`;
        case 'cancelled':
          return '取消';
        case 'rescheduled':
          return `改期 ${when(e.from)} → ${when(e.to)}`;
        case 'reminders':
          return `提醒改为 ${e.offsets.map((o) => `提前${formatOffset(o)}`).join('、') || '不提醒'}`;
        case 'done':
          return '结束';
        case 'delivery-failed':
          return `发送失败（${e.code}）`;
        case 'minutes':
          return `${e.replaced ? '更新' : '提交'}纪要（${[...e.text].length} 字）`;
        case 'signin':
          return `签到${e.late ? '（迟到）' : ''}`;
        case 'signin-correction':
          return `${e.action === 'present' ? '补签' : e.action === 'absent' ? '记为缺席' : '撤销签到'} ${who(e.member)}${e.reason ? `（${e.reason}）` : ''}`;
        case 'category':
          return `类别 ${e.from} → ${e.to}`;
      }
    };
    const shown = entries.slice(-30);
    const lines = shown.map((e) => `${when(e.at)} ${who(e.by)}：${describe(e)}`);
    const more = entries.length > shown.length ? `（仅显示最近 ${shown.length} 条，共 ${entries.length} 条）\n` : '';
    await ctx.reply(`#${duty.number}「${duty.title}」的记录：\n${more}${lines.join('\n')}`);
  },
};
