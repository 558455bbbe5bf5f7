import { cardValueSchema } from '../domain/card-model';
import { AppError, ErrorCode, toAppError } from '../errors';
import type { ActionResult, InboundAction, InboundMessage, RichText } from '../platforms/port';
import type { ActionHandler, CommandContext, CommandHandler } from './handler';
import type { Services } from './services';
import { quote } from '../domain/quote';

export interface HandlerSet {
  readonly commands: readonly CommandHandler[];
  readonly actions: readonly ActionHandler[];
}

export type MessageOutcome = 'handled' | 'duplicate' | 'ignored';

/**
 * Routes decoded events to handlers: deduplicates by the platform's id in Redis, finds the handler, and funnels
 * every error through `toAppError` once: user errors become a Chinese reply, the rest are logged and answered
 * politely. Store outages propagate so the adapter can answer 503 and the platform retries.
 */
export class Dispatcher {
  private readonly commandsByWord: { word: string; handler: CommandHandler }[];

  constructor(
    private readonly services: Services,
    private readonly handlers: HandlerSet,
    /** Told how long each card click took to answer (metrics). */
    private readonly onActionAnswered?: (platform: string, seconds: number) => void,
  ) {
    this.commandsByWord = handlers.commands
      .flatMap((handler) => handler.words.map((word) => ({ word, handler })))
      .sort((a, b) => b.word.length - a.word.length);
  }

  get commandList(): readonly CommandHandler[] {
    return this.handlers.commands;
  }

  /** `attempt` names the queue job carrying the message: its retries are taken again, other deliveries are not. */
  async processMessage(message: InboundMessage, attempt?: string): Promise<MessageOutcome> {
    const log = this.services.log.child({ eventId: message.messageId, platform: message.chat.platform });
    const scope = `msg:${message.chat.platform}`;
    const first = attempt
      ? await this.services.dedupe.takeFor(scope, message.messageId, attempt)
      : await this.services.dedupe.firstTime(scope, message.messageId);
    if (!first) {
      log.debug('duplicate message ignored');
      return 'duplicate';
    }
    // The platform says on each message whether the chat is one-to-one: campaigns reach group chats only.
    await this.services.chats.touch(message.chat, undefined, message.sender, message.direct === true ? 'direct' : 'group');
    let replies = 0;
    const reply = async (text: string | RichText): Promise<void> => {
      const rich: RichText = typeof text === 'string' ? [{ text }] : text;
      replies += 1;
      await this.services.outbox.text(message.chat, rich, `reply-${message.chat.platform}-${message.messageId}-${replies}`, message.messageId);
    };
    const text = message.text.trim();
    try {
      const match = this.commandsByWord.find(({ word }) => text === word || (text.startsWith(word) && /^[\s#＃\d]/.test(text.slice(word.length))));
      if (!match) {
        await reply(text ? `没看懂${quote(text, 20)}。发送「帮助」查看全部命令，例如：会议 支部委员会 明天下午3点 地点 三楼会议室` : '你好！发送「帮助」查看我能做什么。');
        return 'handled';
      }
      const ctx: CommandContext = {
        message,
        verb: match.word,
        args: text.slice(match.word.length).trim(),
        now: this.services.clock(),
        services: this.services,
        log: log.child({ command: match.handler.name }),
        reply,
        requireSecretary: (action) => this.services.dutyService.requireSecretary(message.chat, message.sender, action),
      };
      await match.handler.handle(ctx);
      return 'handled';
    } catch (err) {
      const appError = toAppError(err);
      if (appError.code === ErrorCode.StoreUnavailable) {
        await this.services.dedupe.forget(`msg:${message.chat.platform}`, message.messageId).catch(() => undefined);
        throw appError;
      }
      if (appError.isUserError) log.info({ code: appError.code }, appError.userMessage);
      else log.error({ err, code: appError.code }, 'command failed');
      await reply(appError.userMessage);
      return 'handled';
    }
  }

  async processAction(action: InboundAction): Promise<ActionResult> {
    const started = process.hrtime.bigint();
    try {
      return await this.answerAction(action);
    } finally {
      this.onActionAnswered?.(action.chat.platform, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async answerAction(action: InboundAction): Promise<ActionResult> {
    await this.services.chats.touch(action.chat, undefined, action.actor);
    const log = this.services.log.child({ eventId: action.eventId, platform: action.chat.platform });
    const parsed = cardValueSchema.safeParse(action.value);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.length }, 'card value refused');
      return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    }
    const handler = this.handlers.actions.find((h) => h.acts.includes(parsed.data.act));
    if (!handler) return { toast: { kind: 'error', text: '这个按钮已失效，请使用最新的卡片。' } };
    try {
      return await handler.handle({
        action,
        value: parsed.data,
        now: this.services.clock(),
        services: this.services,
        log: log.child({ action: handler.name }),
      });
    } catch (err) {
      const appError = toAppError(err);
      if (appError.code === ErrorCode.StoreUnavailable) throw appError;
      if (appError.isUserError) return { toast: { kind: 'warning', text: appError.userMessage } };
      log.error({ err, code: appError.code }, 'card action failed');
      return { toast: { kind: 'error', text: appError.userMessage } };
    }
  }
}

export { AppError };
