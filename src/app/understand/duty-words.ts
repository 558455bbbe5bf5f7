/**
 * Words of a notice that say what kind of duty it is, and the words that are not part of its title
 * (verbs, polite filler). Pure data with the small readers that use it.
 */
import type { DutyKind } from '../../domain/types';

/** Command words and their synonyms at the start of a message: 会议 …, 开会 …, 党课 …. */
export const LEADING_KIND: Readonly<Record<string, { kind: DutyKind; label: string }>> = {
  会议: { kind: 'meeting', label: '会议' },
  开会: { kind: 'meeting', label: '会议' },
  学习: { kind: 'study', label: '学习' },
  党课: { kind: 'study', label: '党课' },
  述职: { kind: 'report', label: '述职' },
  报告: { kind: 'report', label: '报告' },
  材料: { kind: 'report', label: '材料' },
};

const SUBMIT = /(?:提交|上报|报送|上交|交|报)/;
const DOCUMENT = /(?:述职|报告|材料|总结|心得|体会|报表|台账|清单|日志|情况|党费|名单|数据|笔记|作业|表)/;

/** The kind of a sentence without a command word, from its verbs and nouns; undefined when nothing says. */
export function kindOf(text: string): { kind: DutyKind; label: string } | undefined {
  const label = (fallback: string): string => (/述职/.test(text) ? '述职' : /材料/.test(text) ? '材料' : fallback);
  const submitted = new RegExp(`${SUBMIT.source}.{0,20}${DOCUMENT.source}|${DOCUMENT.source}.{0,6}${SUBMIT.source}`).test(text);
  if (submitted || (/(?:截止|截至|之前|以前|[日号底]前)/.test(text) && DOCUMENT.test(text))) {
    return { kind: 'report', label: label('报告') };
  }
  if (/党课/.test(text)) return { kind: 'study', label: '党课' };
  if (/学习会|学习$|集中学习|读书|研讨|培训|讲座|宣讲/.test(text)) return { kind: 'study', label: '学习' };
  if (/会议?(?:$|[\s,，。；;！!])|开会|召开|举行|会议/.test(text)) return { kind: 'meeting', label: '会议' };
  if (/学习/.test(text)) return { kind: 'study', label: '学习' };
  if (DOCUMENT.test(text)) return { kind: 'report', label: label('报告') };
  return undefined;
}

/** Short names a title may be written with, and what they stand for. */
const TITLE_ALIASES: Readonly<Record<string, string>> = {
  支委会: '支部委员会',
  支委会议: '支部委员会',
  支部委员会议: '支部委员会',
  党员大会: '支部党员大会',
  小组会: '党小组会',
};

export function expandTitle(title: string): string {
  return TITLE_ALIASES[title] ?? title;
}

/** Polite filler of notices, never part of a title. Longest first. */
const FILLER =
  /请大家|请各位(?:支委|委员|党员|同志|同事|老师)?们?|请全体(?:党员|委员|同志)?|请?各(?:党小组|党支部|支部|支委|委员|党员|单位|部门|处室|科室|位(?:支委|委员|党员|同志)?们?)|大家|届时|准时参加|按时参加|准时出席|按时出席|准时到会|按时到会|准时|按时|务必|参加|出席|通知[:：]?|兹定于|定于|拟于|将于|将在|请于|集合|请/g;
/** A verb before the title: 开支委会, 召开支部党员大会, 交述职报告. One is taken. */
const LEADING_VERB = /^(?:召开|举行|举办|开展|组织|进行|提交|上报|报送|上交|完成|开(?:个|一个|一次)?|交)/;
/** The part of a notice that names the duty, when there are several: 支委会 in 召开支委会，研究发展党员工作. */
const NAMES_DUTY = /(?:会|会议|学习|党课|活动|报告|材料|总结|心得|体会|述职|评议|培训|讲座|党日|服务)$/;
/** Online or offline: a manner, not a title (线上召开支委会). */
const MANNER = /^(?:线上|线下|网上|视频)(?=召开|举行|开|进行)/;

/** What remains of a free sentence once the time and place are out → its title. */
export function cleanTitle(residue: string): string {
  const parts = residue
    .replace(FILLER, ' ')
    .split(/[\s,，。；;！!？?：:]+/)
    .map((p) =>
      p
        .replace(/^(?:关于)|的通知$/g, '')
        .replace(/^(?:在|于|的|将|把)+|(?:的|于|在)+$|(?:交至|交到|报送至|报送到|送至|送到).*$/g, '')
        .replace(MANNER, '')
        .replace(LEADING_VERB, '')
        .replace(/^(?:全体党员|全体委员|各位党员)(?=\S)(?!.*会$)/, ''),
    )
    .filter((p) => p !== '');
  if (parts.length === 1 && /^(?:会|开会)$/.test(parts[0] ?? '')) return '会议';
  const named = parts.find((p) => NAMES_DUTY.test(p));
  return named ?? parts.join(' ');
}

/** A part of a message that only says "come on time": dropped from a title. */
export function isFillerPart(part: string): boolean {
  return part.replace(FILLER, '').replace(/[\s的]/g, '') === '';
}
