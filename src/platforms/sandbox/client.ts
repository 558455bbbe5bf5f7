import type { CardModel } from '../../domain/card-model';
import { PlatformError } from '../../errors';
import type { Member } from '../../domain/types';
import type { ConsoleHistory } from './history';
import type { MessageRef, PlatformPort, RichText, SendOptions } from '../port';
import { renderCard } from './card';

/** The sandbox platform: messages are written to Redis and pushed to open consoles. */
export class SandboxClient implements PlatformPort {
  readonly name = 'sandbox' as const;

  constructor(
    private readonly repo: ConsoleHistory,
    private readonly clock: () => number,
  ) {}

  async sendCard(chatId: string, card: CardModel, options: SendOptions = {}): Promise<MessageRef> {
    await this.requireChat(chatId);
    const { message } = await this.repo.append(
      { chatId, from: null, kind: 'card', card: renderCard(card), at: this.clock(), ...(options.replyTo ? { replyTo: options.replyTo } : {}) },
      options.idempotencyKey,
    );
    return { platform: 'sandbox', chatId, messageId: message.id, sentAt: message.at };
  }

  async updateCard(ref: MessageRef, card: CardModel): Promise<void> {
    const updated = await this.repo.updateCard(ref.messageId, renderCard(card), this.clock());
    if (!updated) throw new Error(`sandbox message ${ref.messageId} does not exist`);
  }

  async sendText(chatId: string, text: RichText, options: SendOptions = {}): Promise<MessageRef> {
    await this.requireChat(chatId);
    const { message } = await this.repo.append(
      { chatId, from: null, kind: 'text', text, at: this.clock(), ...(options.replyTo ? { replyTo: options.replyTo } : {}) },
      options.idempotencyKey,
    );
    return { platform: 'sandbox', chatId, messageId: message.id, sentAt: message.at };
  }

  /** A message in the chat that only `memberId` is shown (the console has no one-to-one chats). */
  async sendPrivate(chatId: string, memberId: string, text: RichText, options: SendOptions = {}): Promise<MessageRef> {
    await this.requireChat(chatId);
    const member = (await this.repo.members(chatId)).find((m) => m.id === memberId);
    if (!member) throw new PlatformError(true, `sandbox chat ${chatId} has no member ${memberId}`, 'member-not-found');
    const { message } = await this.repo.append(
      { chatId, from: null, kind: 'text', text, to: { id: member.id, name: member.name }, at: this.clock() },
      options.idempotencyKey,
    );
    return { platform: 'sandbox', chatId, messageId: message.id, sentAt: message.at };
  }

  async listMembers(chatId: string): Promise<Member[]> {
    await this.requireChat(chatId);
    return this.repo.members(chatId);
  }

  async chatName(chatId: string): Promise<string | undefined> {
    return (await this.repo.chat(chatId))?.name;
  }

  mention(member: Pick<Member, 'id' | 'name'>): string {
    return `@${member.name}`;
  }

  private async requireChat(chatId: string): Promise<void> {
    if (!(await this.repo.chat(chatId))) {
      throw new PlatformError(true, `sandbox chat ${chatId} does not exist`, 'chat-not-found');
    }
  }
}
