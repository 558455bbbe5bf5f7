/**
 * The place of a free sentence, when no `地点` says it: `在三楼会议室`, `到党员活动室`, or a part of its own that
 * ends like a place (三楼会议室, 党员活动室, 市民中心, 二号楼).
 */

const SUFFIX = '(?:会议室|活动室|办公室|阅览室|报告厅|多功能厅|党员之家|礼堂|会场|教室|基地|党校|广场|大厅|食堂|门口|门前|室|厅|馆|中心|楼)';
/** What may follow a place: a verb of the sentence, a separator, or the end. */
const AFTER = '(?=召开|举行|举办|开展|开会|开|参加|集中|进行|学习|组织|集合|观看|$|[\\s,，。；;！!？?])';
const WITH_PREPOSITION = new RegExp(`(?:在|到|于|赴)([^\\s,，。；;！!？?在到于]{0,20}?${SUFFIX})${AFTER}`);
const ALONE = new RegExp(`(?:^|[\\s,，。；;])([^\\s,，。；;！!？?在到于]{1,15}?${SUFFIX})(?=$|[\\s,，。；;！!？?])`);

export interface FoundPlace {
  readonly place: string;
  /** The words to take out of the sentence (the place with its preposition). */
  readonly start: number;
  readonly end: number;
}

export function findPlace(text: string): FoundPlace | undefined {
  const withPreposition = WITH_PREPOSITION.exec(text);
  if (withPreposition?.[1]) return { place: withPreposition[1], start: withPreposition.index, end: withPreposition.index + withPreposition[0].length };
  const alone = ALONE.exec(text);
  if (!alone?.[1]) return undefined;
  const end = alone.index + alone[0].length;
  return { place: alone[1], start: end - alone[1].length, end };
}
