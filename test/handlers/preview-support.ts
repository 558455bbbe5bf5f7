/** Previews (issue 12) in the handler tests: the card answering a message, and the card as one line of text. */
import type { CardModel } from '../../src/domain/card-model';
import { eventually } from '../helpers/harness';
import type { SandboxDriver } from '../helpers/sandbox-driver';
import type { CardMessage } from './support';

/** Say `text` as `sender` and wait for the preview card answering it. */
export async function preview(driver: SandboxDriver, sender: string, text: string): Promise<CardMessage> {
  const id = await driver.say(sender, `@落实 ${text}`);
  return eventually(
    async () => (await driver.messages()).find((m): m is CardMessage => m.replyTo === id && m.kind === 'card' && m.card !== undefined),
    5000,
    `the preview of「${text}」`,
  );
}

/** `我理解为：【会议】支部委员会 · 11月28日（周六）15:00 · 三楼会议室 · 提前1天、提前1小时提醒` and, on a second line, the guesses. */
export function previewLine(card: CardModel): string {
  const value = (label: string): string | undefined => card.fields.find((f) => f.label === label)?.value;
  const when = value('时间') ?? `截止 ${value('截止') ?? ''}`;
  const parts = [card.header.title, when, value('地点'), `${value('提醒') ?? ''}提醒`].filter((p): p is string => p !== undefined);
  const guessed = value('我猜的');
  return `${parts.join(' · ')}${guessed ? `\n（${guessed}）` : ''}`;
}
