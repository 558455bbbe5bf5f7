import { readDutyNumber, withDutyNumber } from '../../src/app/duty-number';
import type { CommandHandler } from '../../src/app/handler';
import { tallyLine } from '../../src/domain/tally';
import { formatDateTime } from '../../src/time/format';
import { periodStats } from './stats-period';

/** 统计 <编号>: the tally with the names in each state. 统计 本季度 (or another period): the period's statistics card. */
export const tally: CommandHandler = {
  name: 'tally',
  words: ['统计'],
  help: '统计 <编号>：查看谁参加、谁请假、谁未回复，例如「统计 #7」；统计 本月 / 本季度 / 本年 / 10月1日至12月31日：出勤率和报表',
  async handle(ctx) {
    // Anything but a number (or a word starting with #) names a period: 统计 本季度.
    const { number, first } = readDutyNumber(ctx.args);
    if (number === undefined && first !== undefined && !/^[#＃]/.test(first)) return periodStats(ctx);
    const { duty } = await withDutyNumber(ctx, { missing: '请写上编号，例如：统计 #7' });
    const t = await ctx.services.views.tally(duty);
    const names = (entries: readonly { name: string; reason?: string }[]): string =>
      entries.length === 0 ? '无' : entries.map((e) => (e.reason ? `${e.name}（${e.reason}）` : e.name)).join('、');
    const lines =
      duty.kind === 'report'
        ? [`已提交：${names(t.submitted)}`, `未提交：${names(t.pending)}`]
        : [`参加：${names(t.attending)}`, `请假：${names(t.leave)}`, `未回复：${names(t.pending)}`];
    const state = duty.state === 'cancelled' ? '（已取消）' : '';
    await ctx.reply(
      `#${duty.number}「${duty.title}」${state} ${formatDateTime(duty.at, ctx.services.config.BOT_TIMEZONE, ctx.now)}\n${tallyLine(duty, t)}\n${lines.join('\n')}`,
    );
  },
};
