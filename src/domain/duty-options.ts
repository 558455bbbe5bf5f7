import type { Duty } from './types';

/**
 * The options a duty may be created with beyond its time and place (issue 14): 类别, 时长, 主持人, 记录人, 议题,
 * 签到码 开, 需附件. Carried as given from a command, a draft, a series or a template item to the duty.
 */
export type DutyOptions = Partial<Pick<Duty, 'category' | 'durationMinutes' | 'host' | 'recorder' | 'agenda' | 'signinCode' | 'needsFile'>>;

/** Only the options that are set, each copied (a member as id and name): what a new duty or series stores. */
export function pickOptions(from: DutyOptions): DutyOptions {
  return {
    ...(from.category ? { category: from.category } : {}),
    ...(from.durationMinutes ? { durationMinutes: from.durationMinutes } : {}),
    ...(from.host ? { host: { id: from.host.id, name: from.host.name } } : {}),
    ...(from.recorder ? { recorder: { id: from.recorder.id, name: from.recorder.name } } : {}),
    ...(from.agenda ? { agenda: from.agenda } : {}),
    ...(from.signinCode ? { signinCode: true } : {}),
    ...(from.needsFile ? { needsFile: true } : {}),
  };
}
