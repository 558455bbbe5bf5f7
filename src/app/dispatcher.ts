import { buttonValueSchema } from '../domain/card-model';
import { AppError, ErrorCode, toAppError } from '../errors';
import type { ActionResult, InboundAction, InboundMessage, RichText } from '../platforms/port';
import type { ActionHandler, CommandContext, CommandHandler } from './handler';
import { closestExample } from './understand/closest-example';
import { understand } from './understand/understand';
import { toAsciiWidth } from './understand/normalise';
import type { HandlerServices } from './handler-services';
import type { Services } from './services';
import { quote } from '../domain/quote';
import { replyKey } from '../queue/inbound-queue';

/** A button's value: a duty's answer, a preview's decision, a file's duty or a sign-in. Built once (a zod schema per click costs more than the parse). */
const BUTTON_VALUE = buttonValueSchema;

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
    /** What handlers get: the use cases, not the whole bag (src/app/handler-services.ts). */
    private readonly handlerServices: HandlerServices,
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

  /** A strict command: one of the words, then a space, `#`, a digit or nothing (README's forms). */
  private strictMatch(text: string): { word: string; handler: CommandHandler } | undefined {
    return this.commandsByWord.find(({ word }) => text === word || (text.startsWith(word) && /^[\s#＃\d]/.test(text.slice(word.length))));
  }

  /** The free reading of a message as a handler to run, unless it is the strict command already tried. */
  private understood(
    text: string,
    now: number,
    tried?: { word: string; handler: CommandHandler },
  ): { handler: CommandHandler; word: string; args: string; reading?: CommandContext['reading'] } | undefined {
    const found = understand(text, { now, timeZone: this.services.config.BOT_TIMEZONE, calendar: this.services.calendar });
    if (found.kind === 'unclear') return undefined;
    if (found.line === text) return undefined;
    const match = this.strictMatch(found.line);
    if (!match) return undefined;
    const args = found.line.slice(match.word.length).trim();
    // After a strict command word, only that command is read again (发起 … is never read as 述职 …).
    if (tried !== undefined && (match.handler !== tried.handler || args === text.slice(tried.word.length).trim())) return undefined;
    // Previewed: a duty with anything inferred, or read without a command word in front (tried undefined).
    const reading = found.kind === 'duty' ? { duty: found.reading, preview: tried === undefined || found.reading.inferred.length > 0 } : undefined;
    return { handler: match.handler, word: match.word, args, ...(reading ? { reading } : {}) };
  }

  private notUnderstood(text: string, now: number): string {
    if (!text) return '你好！发送「帮助」查看我能做什么。';
    const found = understand(text, { now, timeZone: this.services.config.BOT_TIMEZONE, calendar: this.services.calendar });
    if (found.kind === 'unclear' && found.error) return found.error;
    const readWords = found.kind === 'unclear' ? found.read : [];
    const read = readWords.length > 0 ? `我读到了${readWords.join('、')}，但` : '';
    return `${read}没看懂${quote(text, 20)}。发送「帮助」查看全部命令，例如：${closestExample(text, readWords.length > 0)}`;
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
      await this.services.outbox.text(message.chat, rich, replyKey(message.chat, message.messageId, replies), message.messageId);
    };
    // Full-width digits, letters, ＃ and ＠ as ASCII: what Chinese input methods type (issue 12).
    const text = toAsciiWidth(message.text).trim();
    const now = this.services.clock();
    const run = async (handler: CommandHandler, verb: string, args: string, reading?: CommandContext['reading']): Promise<void> => {
      await handler.handle({
        message,
        verb,
        args,
        now,
        services: this.handlerServices,
        log: log.child({ command: handler.name }),
        reply,
        requireSecretary: (action) => this.services.dutyService.requireSecretary(message.chat, message.sender, action),
        ...(reading ? { reading } : {}),
      });
    };
    try {
      const strict = this.strictMatch(text);
      if (strict) {
        try {
          await run(strict.handler, strict.word, text.slice(strict.word.length).trim());
        } catch (err) {
          // A strict command word with words it cannot read (no spaces, Chinese punctuation, glued options):
          // the free reading gets its chance; when it has none, the strict answer stands.
          const again = isReadingError(err) ? this.understood(text, now, strict) : undefined;
          if (!again) throw err;
          await run(again.handler, again.word, again.args, again.reading);
        }
        return 'handled';
      }
      const free = this.understood(text, now);
      if (!free) {
        await reply(this.notUnderstood(text, now));
        return 'handled';
      }
      await run(free.handler, free.word, free.args, free.reading);
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
    const parsed = BUTTON_VALUE.safeParse(action.value);
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
        services: this.handlerServices,
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

/** An answer about the words of a command (not about permissions, numbers or the store). */
function isReadingError(err: unknown): boolean {
  return err instanceof AppError && (err.code === ErrorCode.BadCommand || err.code === ErrorCode.BadTime);
}

