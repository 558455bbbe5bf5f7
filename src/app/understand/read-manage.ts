/**
 * Management commands as people write them, rewritten to the strict command they mean:
 * `把#7改到下周三下午3点` → `改期 #7 下周三下午3点`, `取消 #21 #22`, `催一下#7` → `催办 #7`, `#7的统计` → `统计 #7`,
 * `撤销#7` → `取消 #7`, `改时间 #7 周五` → `改期 #7 周五`. Undefined when the message is none of these. Pure.
 */

const DUTY = '#?\\s*(\\d{1,6})';
const SERIES = '((?:系列|[sS])\\s*#?\\s*\\d{1,4})';
const REF = `(?:${SERIES}|${DUTY})`;
const NUMBERS = '((?:#?\\s*\\d{1,6}[\\s,，、和及]*)+)';
const END = '[\\s。！!.]*$';

const CANCEL = '(?:取消|撤销|撤回|作废|删除|删掉)';
const MOVE = '(?:改期到|改期为|改期至|改时间到|改时间为|改时间|改期|改到|改为|改成|改至|推迟到|推迟至|推迟|推到|延期到|延期至|延期|延后到|延后至|挪到|调到|调整到|调整为|提前到|提前至|换到)';
const NUDGE = '(?:催一下|催一催|催催|催办一下|催下|催办|催|督促一下|督促|提醒一下|提醒下)';
const TALLY = '(?:统计|情况|回复情况|参加情况|报名情况|提交情况|(?:还有)?谁(?:还)?没(?:有)?(?:回复|回|交|提交|报名))';

interface Rule {
  readonly pattern: RegExp;
  readonly line: (m: RegExpExecArray) => string | undefined;
}

const ref = (series: string | undefined, duty: string | undefined): string => (series ? series.replace(/\s+/g, '') : `#${duty ?? ''}`);
const numbers = (list: string | undefined): string =>
  (list ?? '')
    .split(/[^\d]+/)
    .filter(Boolean)
    .map((n) => `#${n}`)
    .join(' ');

const RULES: readonly Rule[] = [
  // 类别: 把#7的类别改为党课, #7类别：党课, 类别：#7 党课
  { pattern: new RegExp(`^把?\\s*${DUTY}\\s*的?(?:类别|分类)\\s*(?:改为|改成|设为|设置为|设成|改到|是|为)?[\\s:：]*(\\S.*?)${END}`), line: (m) => `类别 #${m[1] ?? ''} ${m[2] ?? ''}` },
  { pattern: new RegExp(`^(?:类别|分类)[\\s:：]*${DUTY}[\\s,，:：]*(.*?)${END}`), line: (m) => `类别 #${m[1] ?? ''} ${m[2] ?? ''}`.trim() },
  // 停止 a series: 取消系列2, 把系列2停掉, 系列2停止
  { pattern: new RegExp(`^(?:${CANCEL}|停止|停掉|结束)\\s*${SERIES}${END}`), line: (m) => `停止 ${ref(m[1], undefined)}` },
  { pattern: new RegExp(`^把?\\s*${SERIES}\\s*(?:${CANCEL}|停止|停掉|结束)(?:掉|了)?${END}`), line: (m) => `停止 ${ref(m[1], undefined)}` },
  // 取消 one or more duties
  { pattern: new RegExp(`^${CANCEL}(?:掉|一下)?\\s*${NUMBERS}${END}`), line: (m) => `取消 ${numbers(m[1])}` },
  { pattern: new RegExp(`^把?\\s*${NUMBERS}\\s*${CANCEL}(?:掉|了)?${END}`), line: (m) => `取消 ${numbers(m[1])}` },
  // 改期: 把#7改到下周三下午3点, #7 推迟到周五, 改时间 #7 周五, 改期#7到周五
  { pattern: new RegExp(`^把?\\s*${REF}\\s*的?(?:时间)?\\s*${MOVE}\\s*(.+?)${END}`), line: (m) => `改期 ${ref(m[1], m[2])} ${m[3] ?? ''}` },
  { pattern: new RegExp(`^${MOVE}\\s*${REF}\\s*(?:到|至|为|改到|改为)?\\s*(.+?)${END}`), line: (m) => `改期 ${ref(m[1], m[2])} ${m[3] ?? ''}` },
  // 催办
  { pattern: new RegExp(`^${NUDGE}\\s*${DUTY}\\s*(?:的?(?:未回复|没回复|未提交|没提交)的?人?)?${END}`), line: (m) => `催办 #${m[1] ?? ''}` },
  { pattern: new RegExp(`^${DUTY}\\s*${NUDGE}(?:一下)?${END}`), line: (m) => `催办 #${m[1] ?? ''}` },
  // 统计 and 历史
  { pattern: new RegExp(`^${DUTY}\\s*的?${TALLY}${END}`), line: (m) => `统计 #${m[1] ?? ''}` },
  { pattern: new RegExp(`^(?:统计一下|查看统计|看看|查看|查一下|看一下)\\s*${DUTY}\\s*(?:的?(?:统计|情况))?${END}`), line: (m) => `统计 #${m[1] ?? ''}` },
  { pattern: new RegExp(`^${DUTY}\\s*的?(?:历史|变更记录|记录)${END}`), line: (m) => `历史 #${m[1] ?? ''}` },
  // 提醒 points: #7的提醒改为提前1天, 提醒#7：提前1天
  { pattern: new RegExp(`^把?\\s*${DUTY}\\s*的?提醒(?:改为|改成|设为|设置为|设成)?[\\s:：]*(.+?)${END}`), line: (m) => `提醒 #${m[1] ?? ''} ${m[2] ?? ''}` },
  // 提醒#7提前3天 (glued): the number ends where 提前 begins.
  { pattern: new RegExp(`^提醒\\s*${DUTY}(?:[\\s:：]+|(?=提前))(.+?)${END}`), line: (m) => `提醒 #${m[1] ?? ''} ${m[2] ?? ''}` },
  // answers, typed
  { pattern: new RegExp(`^我?(?:参加|报名参加|报名)\\s*${DUTY}${END}`), line: (m) => `参加 #${m[1] ?? ''}` },
  { pattern: new RegExp(`^${DUTY}\\s*我?(?:参加|报名参加|报名)${END}`), line: (m) => `参加 #${m[1] ?? ''}` },
  { pattern: new RegExp(`^我?请假\\s*${DUTY}[\\s,，:：]*(.*?)${END}`), line: (m) => `请假 #${m[1] ?? ''} ${m[2] ?? ''}`.trim() },
  { pattern: new RegExp(`^我?${DUTY}\\s*我?请假[\\s,，:：]*(.*?)${END}`), line: (m) => `请假 #${m[1] ?? ''} ${m[2] ?? ''}`.trim() },
  { pattern: new RegExp(`^我?(?:已提交|已交|已上交|交了|提交了)\\s*${DUTY}${END}`), line: (m) => `已提交 #${m[1] ?? ''}` },
  { pattern: new RegExp(`^${DUTY}\\s*我?(?:已提交|已交|已上交|交了|提交了)${END}`), line: (m) => `已提交 #${m[1] ?? ''}` },
  // 帮助: 帮助全部, 帮助：统计, 怎么用, 统计怎么用
  { pattern: new RegExp(`^(?:帮助|help)[\\s,，:：]*(全部|所有|更多|all)${END}`, 'i'), line: () => '帮助 全部' },
  { pattern: new RegExp(`^(?:帮助|help)[\\s,，:：]*(\\S+?)${END}`, 'i'), line: (m) => `帮助 ${m[1] ?? ''}` },
  { pattern: new RegExp(`^(?:怎么用|如何使用|使用说明|你能做什么|你会什么)[？?]*${END}`), line: () => '帮助' },
  { pattern: new RegExp(`^(\\S{2,3}?)(?:怎么用|怎么写|的用法)[？?]*${END}`), line: (m) => `帮助 ${m[1] ?? ''}` },
  // 积分 (issue 15): 积分：本年, 积分排行本季度, 我的积分本月, 查看积分排名. Only a period may follow (本…, 上…, 去年,
  // 今年, a date), so a duty titled 积分制管理… is still read as a duty.
  { pattern: new RegExp(`^(?:查看|查一下|看看|看一下)?(?:我的)?积分\\s*(排行榜?|排名)?[\\s:：,，、]*((?:本|上|去|今|这|当|\\d).*?)?${END}`), line: (m) => `积分${m[1] ? ' 排行' : ''} ${m[2] ?? ''}`.trim() },
  // 通报 (issue 15): 通报：本年, 通报本季度, 发通报上月. Only a period may follow, as for 积分.
  { pattern: new RegExp(`^(?:发|查看|看看)?通报[\\s:：,，、]*((?:本|上|去|今|这|当|\\d).*?)?${END}`), line: (m) => `通报 ${m[1] ?? ''}`.trim() },
  // 自动通报: 设置：自动通报 关, 设置自动通报开, 关闭自动通报, 自动通报关.
  { pattern: new RegExp(`^(?:设置)?[\\s:：,，]*自动通报[\\s:：,，]*(开启|开|打开|关闭|关)?${END}`), line: (m) => `设置 自动通报 ${m[1] ?? ''}`.trim() },
  { pattern: new RegExp(`^(开启|打开|关闭)自动通报${END}`), line: (m) => `设置 自动通报 ${m[1] ?? ''}` },
  // 列表
  { pattern: new RegExp(`^(?:事项列表|查看列表|看看列表|有哪些事项|所有事项|看看事项|查看事项)${END}`), line: () => '列表' },
];

/** Common slips of the command words, where the meaning is not in doubt. */
const TYPOS: readonly [RegExp, string][] = [
  [/^取销/, '取消'],
  [/^撤消/, '撤销'],
  [/^改其/, '改期'],
  [/^统记/, '统计'],
  [/^催半/, '催办'],
  [/^会以/, '会议'],
  [/^列彪/, '列表'],
];

export function fixTypos(text: string): string {
  for (const [pattern, word] of TYPOS) if (pattern.test(text)) return text.replace(pattern, word);
  return text;
}

/** The strict command a management message means, or undefined. */
export function readManage(text: string): string | undefined {
  // 帮我催一下#5, 麻烦取消#5: the politeness goes.
  const plain = text.replace(/^(?:请?帮(?:我|忙)?|麻烦(?:你)?|请)(?=\S)/, '');
  for (const candidate of plain === text ? [text] : [text, plain]) {
    for (const { pattern, line } of RULES) {
      const m = pattern.exec(candidate);
      if (m) return line(m);
    }
  }
  return undefined;
}

/** A management verb without a number (取消明天的支委会): the answer asks for the number, never creates. */
export function manageWithoutNumber(text: string): string | undefined {
  if (/^(?:请?帮(?:我|忙)?|麻烦)?(?:取消|撤销|删除|删掉|作废)/.test(text)) return '要取消哪一个？请写上编号，例如：取消 #7（发送「列表」查看编号）';
  if (/^(?:请?帮(?:我|忙)?|麻烦)?(?:改期|改时间|推迟|延期|延后)/.test(text)) return '要改哪一个？请写上编号和新的时间，例如：把#7改到下周三下午3点（发送「列表」查看编号）';
  if (/^我?(?:要)?(?:请假|参加|报名|已提交|已交)/.test(text)) return '请写上事项编号，例如：参加 #7、请假 #7 外出开会（发送「列表」查看编号）';
  return undefined;
}
