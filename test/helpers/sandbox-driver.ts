import type { CardModel, CardValue } from '../../src/domain/card-model';
import type { ActionResult, RichText } from '../../src/platforms/port';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';
import type { SandboxMessage } from '../../src/store/sandbox-repo';
import { eventually, type StartedBot } from './harness';

export const plain = (text: RichText | undefined): string =>
  (text ?? []).map((s) => ('text' in s ? s.text : `@${s.mention.name}`)).join('');

/**
 * Drives the sandbox console's HTTP API like a person at the console: says things as a member, waits for the
 * bot's answers and clicks card buttons.
 */
export class SandboxDriver {
  constructor(
    readonly started: StartedBot,
    readonly chatId: string = DEMO_CHAT.id,
  ) {}

  private async post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.started.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async messages(): Promise<SandboxMessage[]> {
    if (!this.started.bot.sandbox) throw new Error('sandbox is off');
    return this.started.bot.sandbox.repo.history(this.chatId, 1000);
  }

  /** Say `text` as member `senderId`; resolves with the message id. */
  async say(senderId: string, text: string): Promise<string> {
    const res = await this.post<{ message: SandboxMessage }>('/sandbox/api/messages', { chatId: this.chatId, senderId, text });
    if (res.status !== 202) throw new Error(`say failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.message.id;
  }

  /** Say a command to the bot and wait for its first text reply to it. */
  async command(senderId: string, command: string): Promise<string> {
    const id = await this.say(senderId, `@落实 ${command}`);
    const reply = await eventually(
      async () => (await this.messages()).find((m) => m.replyTo === id && m.kind === 'text'),
      5000,
      `a reply to「${command}」`,
    );
    return plain(reply.text);
  }

  /** Wait for the card of duty #n (the latest one posted for it). */
  async card(number: number): Promise<SandboxMessage & { card: CardModel }> {
    return eventually(async () => {
      const cards = (await this.messages()).filter(
        (m): m is SandboxMessage & { card: CardModel } => m.kind === 'card' && m.card?.header.subtitle.startsWith(`#${number}`) === true,
      );
      return cards[cards.length - 1];
    }, 5000, `the card of #${number}`);
  }

  async cardsOf(number: number): Promise<(SandboxMessage & { card: CardModel })[]> {
    return (await this.messages()).filter(
      (m): m is SandboxMessage & { card: CardModel } => m.kind === 'card' && m.card?.header.subtitle.startsWith(`#${number}`) === true,
    );
  }

  async click(
    messageId: string,
    actorId: string,
    value: CardValue | unknown,
    form?: Record<string, string>,
  ): Promise<{ status: number; body: ActionResult & { error?: string } }> {
    return this.post('/sandbox/api/actions', { chatId: this.chatId, messageId, actorId, value, ...(form ? { form } : {}) });
  }

  /** Click the button labelled `label` on the card message. */
  async clickButton(message: SandboxMessage & { card: CardModel }, actorId: string, label: string, form?: Record<string, string>) {
    const button = message.card.buttons.find((b) => b.label === label);
    if (!button) throw new Error(`no button ${label} on the card`);
    return this.click(message.id, actorId, button.value, form);
  }
}
