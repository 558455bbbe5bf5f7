import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError, ErrorCode, toAppError } from '../../errors';
import type { Logger } from '../../logger';

/**
 * Problem details for the admin API (RFC 9457, https://www.rfc-editor.org/rfc/rfc9457).
 * Every error leaves as `application/problem+json` with type, title, status, detail and instance;
 * `detail` is Chinese where it comes from an AppError's userMessage.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are tag URIs (RFC 4151): stable identifiers, not meant to be dereferenced. */
export const problemType = (slug: ProblemSlug): string => `tag:luoshi,2026:problem/${slug}`;

export const PROBLEMS = {
  'invalid-request': { status: 400, title: '请求参数不合法' },
  'malformed-json': { status: 400, title: '请求体不是合法的 JSON' },
  unauthorized: { status: 401, title: '未授权' },
  forbidden: { status: 403, title: '无权操作' },
  'not-found': { status: 404, title: '找不到资源' },
  'api-disabled': { status: 404, title: '管理接口未启用' },
  'method-not-allowed': { status: 405, title: '不支持此请求方法' },
  conflict: { status: 409, title: '与事项当前状态冲突' },
  'payload-too-large': { status: 413, title: '请求体太大' },
  'unsupported-media-type': { status: 415, title: '请求体类型不支持' },
  unprocessable: { status: 422, title: '请求无法处理' },
  internal: { status: 500, title: '服务出错' },
  unavailable: { status: 503, title: '服务暂时不可用' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemSlug = keyof typeof PROBLEMS;

export interface ProblemIssue {
  readonly path: string;
  readonly message: string;
}

export class ProblemError extends Error {
  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extra: { readonly errors?: readonly ProblemIssue[]; readonly code?: string; readonly headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export function sendProblem(req: Request, res: Response, problem: ProblemError): void {
  const { status, title } = PROBLEMS[problem.slug];
  for (const [name, value] of Object.entries(problem.extra.headers ?? {})) res.set(name, value);
  res
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        type: problemType(problem.slug),
        title,
        status,
        detail: problem.detail,
        instance: req.originalUrl.split('?')[0] ?? req.originalUrl,
        ...(problem.extra.code ? { code: problem.extra.code } : {}),
        ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
      }),
    );
}

/** A zod failure as a 400 problem listing every issue, e.g. `organizer.name：无效输入`. */
export function validationProblem(error: z.ZodError, where: string): ProblemError {
  const errors = error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(根)', message: issue.message }));
  const summary = errors
    .slice(0, 5)
    .map((e) => `${e.path}：${e.message}`)
    .join('；');
  return new ProblemError('invalid-request', `${where}不符合要求：${summary}`, { errors });
}

const APP_ERROR_SLUG: Readonly<Record<ErrorCode, ProblemSlug>> = {
  [ErrorCode.BadCommand]: 'unprocessable',
  [ErrorCode.BadTime]: 'unprocessable',
  [ErrorCode.BadInput]: 'unprocessable',
  [ErrorCode.NotInAudience]: 'unprocessable',
  [ErrorCode.NotFound]: 'not-found',
  [ErrorCode.Forbidden]: 'forbidden',
  [ErrorCode.Conflict]: 'conflict',
  [ErrorCode.DutyClosed]: 'conflict',
  [ErrorCode.PlatformTransient]: 'unavailable',
  [ErrorCode.StoreUnavailable]: 'unavailable',
  [ErrorCode.DamagedRecord]: 'internal',
  [ErrorCode.PlatformPermanent]: 'internal',
  [ErrorCode.Internal]: 'internal',
};

/** What body-parser throws (https://github.com/expressjs/body-parser#errors), by its `type`. */
function bodyParserProblem(err: unknown): ProblemError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err) || typeof err.type !== 'string') return undefined;
  switch (err.type) {
    case 'entity.parse.failed':
      return new ProblemError('malformed-json', '请求体不是合法的 JSON，请检查引号、逗号和括号。');
    case 'entity.too.large':
      return new ProblemError('payload-too-large', '请求体超过 64 KB 上限。');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ProblemError('unsupported-media-type', '请求体须为 UTF-8 编码的 JSON。');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ProblemError('invalid-request', '请求体不完整。');
    default:
      return undefined;
  }
}

/**
 * The router decodes each path parameter with decodeURIComponent and passes on the URIError of a broken
 * percent-encoding (`%E0%A4%A`, a lone `%`) with status 400: https://github.com/pillarjs/router/blob/master/lib/layer.js
 * (decodeParam). It is the caller's mistake, not a fault.
 */
function pathParamProblem(err: unknown): ProblemError | undefined {
  if (!(err instanceof URIError)) return undefined;
  return new ProblemError('invalid-request', '路径参数不是合法的 URL 编码（% 后须为两位十六进制，且为 UTF-8）：请用 encodeURIComponent 编码后再试。');
}

export function toProblem(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  const parsed = bodyParserProblem(err) ?? pathParamProblem(err);
  if (parsed) return parsed;
  const app = err instanceof AppError ? err : toAppError(err);
  return new ProblemError(APP_ERROR_SLUG[app.code], app.userMessage, { code: app.code });
}

/** The last handler of the API: every error becomes a problem; server faults are logged once. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const problem = toProblem(err);
    const status = PROBLEMS[problem.slug].status;
    if (status >= 500) log.error({ err, method: req.method, path: req.path }, 'admin api request failed');
    else log.debug({ status, method: req.method, path: req.path, detail: problem.detail }, 'admin api request refused');
    if (res.headersSent) return;
    sendProblem(req, res, problem);
  };
}

/** Throws a problem from a plain handler (Express 5 passes it on to `problemHandler`). */
export const fail = (slug: ProblemSlug, detail: string): RequestHandler => () => {
  throw new ProblemError(slug, detail);
};
