/**
 * Coded errors, one funnel. `toAppError` turns anything thrown into an AppError;
 * the dispatcher and the workers log each error once, through it.
 */
export enum ErrorCode {
  BadCommand = 'BAD_COMMAND',
  BadTime = 'BAD_TIME',
  BadInput = 'BAD_INPUT',
  NotFound = 'NOT_FOUND',
  Forbidden = 'FORBIDDEN',
  Conflict = 'CONFLICT',
  DutyClosed = 'DUTY_CLOSED',
  NotInAudience = 'NOT_IN_AUDIENCE',
  PlatformTransient = 'PLATFORM_TRANSIENT',
  PlatformPermanent = 'PLATFORM_PERMANENT',
  StoreUnavailable = 'STORE_UNAVAILABLE',
  DamagedRecord = 'DAMAGED_RECORD',
  Internal = 'INTERNAL',
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Safe to show to a chat user (Chinese). */
    readonly userMessage: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(options?.detail ?? userMessage, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
  }

  /** Errors a user caused: answered in chat, not logged as failures. */
  get isUserError(): boolean {
    return [
      ErrorCode.BadCommand,
      ErrorCode.BadTime,
      ErrorCode.BadInput,
      ErrorCode.NotFound,
      ErrorCode.Forbidden,
      ErrorCode.Conflict,
      ErrorCode.DutyClosed,
      ErrorCode.NotInAudience,
    ].includes(this.code);
  }
}

export class PlatformError extends AppError {
  constructor(
    readonly permanent: boolean,
    detail: string,
    readonly platformCode?: string | number,
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(permanent ? ErrorCode.PlatformPermanent : ErrorCode.PlatformTransient, '平台暂时无法发送消息，稍后会重试。', {
      detail,
      cause,
    });
    this.name = 'PlatformError';
  }
}

/**
 * A record read back from Redis that does not parse: written by an older version, or damaged by hand. It is never
 * used in part; `key` is its Redis key and `field` the hash field or list index inside it, when there is one.
 */
export class DamagedRecord extends AppError {
  constructor(
    readonly key: string,
    readonly field: string | undefined,
    reason: string,
    cause?: unknown,
  ) {
    super(ErrorCode.DamagedRecord, '有一条记录已损坏，无法读取，已记录。', {
      detail: `damaged record ${key}${field === undefined ? '' : ` [${field}]`}: ${reason}`,
      cause,
    });
    this.name = 'DamagedRecord';
  }
}

/**
 * A chat whose members the platform cannot list (its port's listMembers answered undefined) and for which no
 * roster was kept with 名单: RosterService.members throws it; a new duty's audience is open instead.
 */
export class NoMemberListError extends PlatformError {
  constructor(platform: string, chatId: string) {
    super(true, `${platform}: chat ${chatId} has no member list; keep a roster with 名单`);
    this.name = 'NoMemberListError';
  }
}

/**
 * Redis could not be reached: the connection was refused, closed or not writeable, or a command ran out of
 * retries. The store's connections throw it in place of the client's error (src/store/redis.ts), whose message it
 * keeps; above the store it is recognised by its type. Webhooks answer it with 503 and the platform retries.
 */
export class StoreUnavailableError extends AppError {
  constructor(cause: Error) {
    super(ErrorCode.StoreUnavailable, '服务暂时不可用，请稍后再试。', { cause, detail: cause.message });
    this.name = 'StoreUnavailableError';
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(ErrorCode.Internal, '出了点问题，已记录，请稍后再试。', { cause: err, detail: message });
}
