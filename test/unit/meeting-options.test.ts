import { readDutyCommand } from '../../src/app/duty-command';
import { takeOptions } from '../../src/app/understand/read-options';
import { WorkingCalendar } from '../../src/time/calendar';
import { parseDuration } from '../../src/time/parse-duration';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const at = { now: NOW, timeZone: 'Asia/Shanghai', calendar: new WorkingCalendar(), mentions: [{ id: 'u3', name: '张丽' }, { id: 'u4', name: '刘洋' }] };

describe('时长', () => {
  it.each([
    ['1.5小时', 90],
    ['90分钟', 90],
    ['2小时', 120],
    ['一个半小时', 90],
    ['1小时30分钟', 90],
    ['半小时', 30],
    ['两个小时', 120],
    ['１．５小时', 90],
    ['九十分钟', 90],
    ['2h', 120],
  ])('should read「%s」as %i minutes', (text, minutes) => {
    expect(parseDuration(text)).toEqual({ ok: true, minutes });
  });

  it.each(['三天', '0分钟', '25小时', '', '很久'])('should refuse「%s」', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });
});

describe('the options of 会议 … in the strict form', () => {
  it('should read every option and resolve the people among the mentions', () => {
    const draft = readDutyCommand('会议', '支部委员会 明天下午3点 时长 1.5小时 主持人 @张丽 记录人 @刘洋 议题 研究 发展党员 类别 党课 签到码 开', at);
    expect(draft).toMatchObject({
      durationMinutes: 90,
      host: { id: 'u3', name: '张丽' },
      recorder: { id: 'u4', name: '刘洋' },
      agenda: '研究 发展党员',
      category: '党课',
      signinCode: true,
    });
  });

  it('should take 需附件 anywhere in a report and 签到码 关 as no code', () => {
    expect(readDutyCommand('述职', '年度述职 需附件 截止 12月20日', at)).toMatchObject({ title: '年度述职', needsFile: true });
    expect(readDutyCommand('会议', '支部委员会 明天下午3点 签到码 关', at).signinCode).toBeUndefined();
  });

  it('should refuse a keyword without its value and one given twice', () => {
    expect(() => readDutyCommand('会议', '支部委员会 明天下午3点 议题', at)).toThrow('「议题」后面要写内容');
    expect(() => readDutyCommand('会议', '支部委员会 明天下午3点 类别 党课 类别 支委会', at)).toThrow('「类别」写了两次');
  });
});

describe('the options of a duty written freely', () => {
  it.each([
    ['时长1.5小时主持人@张丽记录人@刘洋', { duration: '1.5小时', host: '@张丽', recorder: '@刘洋' }],
    ['时长：90分钟，主持人：张丽，议题：一是学习，二是研究；类别：党课', { duration: '90分钟', host: '@张丽', agenda: '一是学习，二是研究', category: '党课' }],
    ['签到码开，需附件', { signin: '开', needsFile: true }],
    ['开启签到码', { signin: '开' }],
  ])('should read「%s」', (text, options) => {
    expect(takeOptions(text).options).toEqual(options);
  });

  it('should leave a 主持 that is not an option in the text', () => {
    expect(takeOptions('由书记主持召开').options).toEqual({});
  });
});
