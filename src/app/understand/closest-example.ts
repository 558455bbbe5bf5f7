/**
 * One example for a message the bot could not read, the closest to what was typed (issue 12): management
 * words with a number get a management example, a notice with a time or a document gets a notice of its kind.
 */
import { kindOf } from './duty-words';

export const DEFAULT_EXAMPLE = '会议 支部委员会 明天下午3点 地点 三楼会议室';

export function closestExample(text: string, readSomething: boolean): string {
  if (/[#＃]\s*\d|系列\s*\d/.test(text)) {
    if (/改|推迟|延期|提前|挪|调/.test(text)) return '把#7改到下周三下午3点';
    if (/催|督促/.test(text)) return '催一下#7';
    if (/取消|撤销|删/.test(text)) return '取消 #7';
    return '#7的统计';
  }
  const kind = kindOf(text.replace(/会议室/g, ''));
  if (kind?.kind === 'report') return '12月20日前交述职报告';
  if (kind?.kind === 'study') return '下周二上午9点在党员活动室集中学习';
  return readSomething ? '明天下午3点在三楼会议室开支委会' : DEFAULT_EXAMPLE;
}
