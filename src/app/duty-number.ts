/**
 * The opening of every command that names a duty by its number (历史 #7, 催办 #7, 改期 #7 …, 参加 #7):
 * tokenize → read the number → 请写上编号… when it is missing → the secretary check → the duty of this chat.
 */
import type { ManageAction } from '../domain/permissions';
import type { Duty } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import { parseDutyNumber, tokenize } from './command-line';
import type { CommandContext } from './handler';

/** The first word of a command's arguments as a duty number (#7, ＃7, 7), and the words after it. Pure. */
export function readDutyNumber(args: string): { readonly number?: number; readonly first?: string; readonly rest: string[] } {
  const [first, ...rest] = tokenize(args);
  const number = parseDutyNumber(first);
  return { ...(number === undefined ? {} : { number }), ...(first === undefined ? {} : { first }), rest };
}

/** Every word as a duty number (取消 #21 #22); undefined when one of them is not a number. Pure. */
export function readDutyNumbers(args: string): number[] | undefined {
  const numbers = tokenize(args).map((t) => parseDutyNumber(t));
  return numbers.every((n): n is number => n !== undefined) ? numbers : undefined;
}

export interface DutyNumberOpening {
  /** The answer when the number (or, with `more`, the words after it) is missing: 请写上编号，例如：历史 #7 */
  readonly missing: string;
  /** Words must follow the number (改期 #7 <时间>, 提醒 #7 <提前…>). */
  readonly more?: boolean;
  /** Checked once the number is read, before the duty is looked up: only secretaries may go on. */
  readonly requires?: ManageAction;
}

/** The number the command names and the words after it; answers `missing` (or the refusal) otherwise. */
export async function openDutyCommand(ctx: CommandContext, opening: DutyNumberOpening): Promise<{ number: number; rest: string[] }> {
  const { number, rest } = readDutyNumber(ctx.args);
  if (number === undefined || (opening.more === true && rest.length === 0)) throw new AppError(ErrorCode.BadCommand, opening.missing);
  if (opening.requires) await ctx.requireSecretary(opening.requires);
  return { number, rest };
}

/** openDutyCommand, then the duty itself: 本群没有 #n 这个事项 when this chat has none with that number. */
export async function withDutyNumber(ctx: CommandContext, opening: DutyNumberOpening): Promise<{ duty: Duty; rest: string[] }> {
  const { number, rest } = await openDutyCommand(ctx, opening);
  return { duty: await ctx.services.duties.find(ctx.message.chat, number), rest };
}
