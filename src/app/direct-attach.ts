/**
 * `附件 #7` sent one-to-one (issue 14): the number names one of the sender's open duties in any group of the platform
 * where they take part. Numbers are per group, so two groups may both have a #7 for them: then the answer names the
 * groups and asks for the group's name after the number (`附件 #7 第一党支部`). The file waiting for a duty (sent
 * one-to-one, its choice card not tapped yet) goes to it at once; else the sender's next file does.
 */
import type { ChatRef, Duty, Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { DutyRepo } from '../store/duty-repo';
import type { MaterialRepo } from '../store/files/material-repo';
import type { PendingUpload } from '../store/files/material-types';

export interface DirectAttachDeps {
  readonly duties: Pick<DutyRepo, 'openPages'>;
  readonly materials: Pick<MaterialRepo, 'latestDirect' | 'takePending' | 'setNext'>;
  readonly chatName?: (chat: ChatRef) => Promise<string | undefined>;
  /** Attach the upload to the duty (a report's member: 已提交); the answer. */
  readonly attach: (duty: Duty, upload: PendingUpload, member: Member) => Promise<string>;
  readonly takesPart: (duty: Duty, memberId: string) => boolean;
}

/** The answer to `附件 #<number> [<group>]` sent one-to-one by `member`. */
export async function expectFileDirect(deps: DirectAttachDeps, chat: ChatRef, member: Member, number: number, group: string): Promise<string> {
  const found: Duty[] = [];
  for await (const page of deps.duties.openPages(200)) {
    found.push(...page.filter((d) => d.chat.platform === chat.platform && d.state === 'scheduled' && d.number === number && deps.takesPart(d, member.id)));
  }
  const named = await Promise.all([...new Map(found.map((d) => [d.id, d])).values()].map(async (d) => ({ duty: d, group: (await deps.chatName?.(d.chat)) ?? '未命名的群' })));
  if (named.length === 0) throw new AppError(ErrorCode.NotFound, `你参加的群里没有进行中的 #${number}。发「列表」可以在群里查看事项编号。`);
  const wanted = group.replace(/[「」"“”]/g, '').trim();
  const fits = wanted ? named.filter((n) => n.group.includes(wanted)) : named;
  const list = (xs: typeof named): string => xs.map((n) => `${n.group}「${n.duty.title}」`).join('、');
  if (fits.length === 0) throw new AppError(ErrorCode.NotFound, `没有找到群名含「${wanted}」的 #${number}。你参加的 #${number}：${list(named)}。`);
  const [only] = fits;
  if (fits.length > 1 || !only) {
    return `你参加的 ${fits.length} 个群都有 #${number}：${list(fits)}。请在编号后写上群名，例如「附件 #${number} ${fits[0]?.group ?? ''}」。`;
  }
  const waiting = await deps.materials.latestDirect(chat.platform, member.id);
  const taken = waiting ? await deps.materials.takePending(waiting.id) : undefined;
  if (taken) return deps.attach(only.duty, taken, member);
  await deps.materials.setNext(chat.platform, member.id, only.duty.id);
  return `好的：你接下来发给我的文件会附到 ${only.group} #${number}「${only.duty.title}」（30 分钟内有效）。`;
}
