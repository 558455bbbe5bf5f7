/** How long the written parts of a duty may be (cards stay readable; the admin API takes the same limits). */
export const LIMITS = { title: 60, place: 80, notes: 200, link: 500 } as const;

export interface DutyContent {
  readonly title: string;
  readonly place?: string | undefined;
  readonly notes?: string | undefined;
  readonly link?: string | undefined;
}

/**
 * The checks on what a person wrote for a duty, shared by single duties, series (checked before the series is
 * stored, not at each occurrence) and campaigns. Pure: the refusal in Chinese, or undefined when all is well.
 */
export function refuseDutyContent(input: DutyContent): string | undefined {
  const title = input.title.trim();
  if (!title) return '请写上事项的标题，例如：会议 支部委员会 明天下午3点';
  if (title.length > LIMITS.title) return `标题太长了（最多 ${LIMITS.title} 个字）。`;
  if (input.place && input.place.length > LIMITS.place) return `地点太长了（最多 ${LIMITS.place} 个字）。`;
  if (input.notes && input.notes.length > LIMITS.notes) return `备注太长了（最多 ${LIMITS.notes} 个字）。`;
  if (input.link && (input.link.length > LIMITS.link || !/^https?:\/\/\S+$/.test(input.link))) return '链接要以 http:// 或 https:// 开头。';
  return undefined;
}
