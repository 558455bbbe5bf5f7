import type { AttachValue, ButtonValue, CardAction, PreviewValue, RatingValue, SigninValue, UnitParentValue } from '../domain/card-model';
import type { ManageAction } from '../domain/permissions';
import type { Logger } from '../logger';
import type { ActionResult, InboundAction, InboundMessage, RichText } from '../platforms/port';
import type { HandlerServices } from './handler-services';
import type { DutyReading } from './understand/read-duty';

/** What a command handler gets: the decoded message, its words, and a way to answer. Never a platform payload. */
export interface CommandContext {
  readonly message: InboundMessage;
  /** The command word that matched (会议, 取消, …). */
  readonly verb: string;
  /** The text after the verb, trimmed. */
  readonly args: string;
  readonly now: number;
  /** The use cases a handler may run: no repository, queue or platform (src/app/handler-services.ts). */
  readonly services: HandlerServices;
  readonly log: Logger;
  reply(text: string | RichText): Promise<void>;
  /** Throws a polite refusal unless the sender runs this chat's party affairs. */
  requireSecretary(action: ManageAction): Promise<void>;
  /**
   * Set when a duty was read from free writing (src/app/understand): what was read and inferred, and whether
   * it is previewed (anything inferred, or no command word) rather than created at once.
   */
  readonly reading?: { readonly duty: DutyReading; readonly preview: boolean };
}

export interface CommandHandler {
  readonly name: string;
  /** The words that start this command; the longest match wins. */
  readonly words: readonly string[];
  /** One help line with an example, shown by 帮助. */
  readonly help: string;
  handle(ctx: CommandContext): Promise<void>;
}

export interface ActionContext {
  readonly action: InboundAction;
  readonly value: ButtonValue;
  readonly now: number;
  readonly services: HandlerServices;
  readonly log: Logger;
}

export interface ActionHandler {
  readonly name: string;
  readonly acts: readonly (CardAction | PreviewValue['act'] | AttachValue['act'] | SigninValue['act'] | UnitParentValue['act'] | RatingValue['act'])[];
  /** Answer fast: store, then return the toast and the updated card; anything slow is enqueued. */
  handle(ctx: ActionContext): Promise<ActionResult>;
}
