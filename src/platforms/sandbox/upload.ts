import { PassThrough } from 'node:stream';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { FileInbound } from '../file-port';
import type { ConsoleHistory } from './history';

/** POST /sandbox/api/files?chat=&sender=&name=: who sends which file where; the body is the file itself. */
export const uploadQuerySchema = z.object({
  chat: z.string().min(1).max(64),
  sender: z.string().min(1).max(64),
  name: z.string().trim().min(1, '文件名不能为空').max(200, '文件名太长了（最多 200 字）'),
});

export interface UploadDeps {
  readonly repo: ConsoleHistory;
  readonly files: FileInbound;
  readonly clock: () => number;
}

/**
 * A file from the console's 📎 button, streamed to the materials (issue 14): the size is checked from
 * Content-Length before a byte is read, then the body flows through to storage, never whole in memory. Only
 * `application/octet-stream` is taken: a cross-site form cannot send it without a CORS preflight, which this
 * console never answers (https://fetch.spec.whatwg.org/#cors-safelisted-request-header).
 */
export async function receiveUpload(deps: UploadDeps, req: Request, res: Response): Promise<void> {
  const query = uploadQuerySchema.safeParse(req.query);
  if (!query.success) return refuse(req, res, 400, query.error.issues[0]?.message ?? '请求格式不对');
  if (!req.is('application/octet-stream')) return refuse(req, res, 415, '请用 application/octet-stream 上传文件');
  const length = Number(req.headers['content-length']);
  if (!Number.isInteger(length) || length < 0) return refuse(req, res, 411, '请写上文件大小（Content-Length）');
  const { chat: chatId, sender: senderId, name } = query.data;
  const sender = (await deps.repo.members(chatId)).find((m) => m.id === senderId);
  if (!sender) return refuse(req, res, 404, '这个群里没有这位成员');
  const { message } = await deps.repo.append({ chatId, from: { id: sender.id, name: sender.name }, kind: 'text', text: [{ text: `📎 ${name}` }], at: deps.clock() });
  if (length > deps.files.maxBytes) {
    // Refused before it is stored: the body is read and dropped (never kept), so the browser gets the answer.
    req.resume();
    const outcome = await deps.files.file(fileOf(chatId, message.id, sender, deps.clock(), name), emptyStream(), length);
    res.status(413).json({ message, ...outcome });
    return;
  }
  const body = new PassThrough();
  req.pipe(body);
  const outcome = await deps.files.file(fileOf(chatId, message.id, sender, deps.clock(), name), body, length);
  // A refused file leaves the rest of its body unread: read and drop it (at most Content-Length ≤ the limit).
  req.unpipe(body);
  req.resume();
  res.status(outcome.kept ? 201 : 422).json({ message, ...outcome });
}

function fileOf(chatId: string, messageId: string, sender: { id: string; name: string }, at: number, name: string) {
  return { chat: { platform: 'sandbox' as const, chatId }, messageId, sender, name, receivedAt: at };
}

function emptyStream(): PassThrough {
  const s = new PassThrough();
  s.end();
  return s;
}

function refuse(req: Request, res: Response, status: number, error: string): void {
  req.resume();
  res.status(status).json({ error });
}
