import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { ErrorCode, toAppError } from '../../errors';
import type { Logger } from '../../logger';
import { SANDBOX_FIRST_PAGE, type ConsoleHistory, type SandboxMessage } from './history';
import type { Inbound, InboundAction, InboundMessage } from '../port';
import type { SandboxClient } from './client';
import { commandText, historyQuerySchema, postActionSchema, postMessageSchema } from './decode';
import type { PlatformContext } from '../module';
import { CONSOLE_HEADERS } from './console-headers';
import { hostCheck, type HostRules } from './host-check';
import type { FileInbound } from '../file-port';
import { receiveUpload } from './upload';
import { ConsoleEventStreams } from './event-streams';

export { CONSOLE_CSP } from './console-headers';

export interface SandboxReceiverDeps {
  readonly repo: ConsoleHistory;
  readonly client: SandboxClient;
  /** Messages go through the inbound queue like Feishu's and DingTalk's; clicks are answered at once. */
  readonly inbound: Pick<Inbound, 'message' | 'action'>;
  /** Files from the 📎 button go to the materials, streamed (issue 14). */
  readonly files: FileInbound;
  /** Listen to a pub/sub channel on a connection of its own; resolves once subscribed, with a way to stop. */
  readonly subscribe: PlatformContext['state']['subscribe'];
  readonly botName: string;
  /** BOT_TIMEZONE: the console shows every time in it, whatever the browser's own zone is. */
  readonly timeZone: string;
  /** Which `Host` headers name this console (DNS rebinding: host-check.ts). */
  readonly hosts: HostRules;
  /** Event streams served at once (SANDBOX_MAX_STREAMS); one more is answered 503. */
  readonly maxStreams: number;
  readonly clock: () => number;
  readonly log: Logger;
}

/** The member a console speaks as (`?member=`), who alone is shown the messages meant for them (SandboxMessage.to). */
const memberOf = (req: Request): string | undefined => (typeof req.query.member === 'string' && req.query.member !== '' ? req.query.member : undefined);

/** A message meant for one member only is left out for everyone else (and for a console that names no one). */
const visibleTo = (member: string | undefined) => (m: SandboxMessage): boolean => m.to === undefined || m.to.id === member;

const PUBLIC_DIR = path.join(__dirname, 'public');

/**
 * The sandbox console: a page at `/`, a JSON API under `/sandbox/api`, and server-sent events so every open
 * console sees new messages and card updates without reloading. Events travel over Redis pub/sub, so a card
 * updated by a worker in another process still reaches the page.
 */
export class SandboxReceiver {
  private readonly streams: ConsoleEventStreams;
  private unsubscribe?: () => Promise<void>;

  constructor(private readonly deps: SandboxReceiverDeps) {
    this.streams = new ConsoleEventStreams(deps.maxStreams, deps.log);
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.subscribe(this.deps.repo.channel, (payload) => this.streams.broadcast(payload));
  }

  /** End every open event stream and refuse new ones (src/platforms/sandbox/event-streams.ts). */
  closeStreams(): void {
    this.streams.close();
  }

  async stop(): Promise<void> {
    this.closeStreams();
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  router(): Router {
    const r = express.Router();
    // Only the console's own paths are checked: the platforms' webhooks and /metrics share this app.
    const guard = hostCheck(this.deps.hosts, (host) => this.deps.log.warn({ host: host?.slice(0, 100) }, 'sandbox: request with a foreign Host refused'));
    const headers: express.RequestHandler = (_req, res, next) => {
      res.set(CONSOLE_HEADERS);
      next();
    };
    r.get('/', guard, headers, (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'index.html')));
    r.use('/sandbox', guard, headers);
    r.use('/sandbox/static', express.static(PUBLIC_DIR, { index: false, maxAge: 0 }));
    const api = express.Router();
    // Before the JSON parser: the body is the file, streamed (src/platforms/sandbox/upload.ts).
    api.post('/files', (req, res) => this.guard(res, () => receiveUpload({ repo: this.deps.repo, files: this.deps.files, clock: this.deps.clock }, req, res)));
    api.use(express.json({ limit: '64kb' }));
    api.get('/state', (req, res) => this.state(req, res));
    api.get('/events', (req, res) => this.streams.open(req, res, memberOf(req)));
    api.get('/messages', (req, res) => this.messages(req, res));
    api.post('/messages', (req, res) => this.postMessage(req, res));
    api.post('/actions', (req, res) => this.postAction(req, res));
    r.use('/sandbox/api', api);
    return r;
  }

  private async state(req: Request, res: Response): Promise<void> {
    await this.guard(res, async () => {
      const chats = await this.deps.repo.chats();
      const chatId = typeof req.query.chat === 'string' ? req.query.chat : chats[0]?.id;
      const chat = chats.find((c) => c.id === chatId);
      if (!chat) {
        res.status(404).json({ error: '没有这个群' });
        return;
      }
      const [members, page] = await Promise.all([this.deps.repo.members(chat.id), this.deps.repo.page(chat.id, { limit: SANDBOX_FIRST_PAGE })]);
      const messages = (page?.messages ?? []).filter(visibleTo(memberOf(req)));
      res.json({ botName: this.deps.botName, timeZone: this.deps.timeZone, chats, chat, members, messages, more: page?.more ?? false });
    });
  }

  /** Earlier messages of a chat, a page at a time, as the reader scrolls up: `{ messages (oldest first), more }`. */
  private async messages(req: Request, res: Response): Promise<void> {
    const query = historyQuerySchema.safeParse(req.query);
    if (!query.success) {
      res.status(400).json({ error: query.error.issues[0]?.message ?? '请求格式不对' });
      return;
    }
    await this.guard(res, async () => {
      const { chat, before, limit } = query.data;
      if (!(await this.deps.repo.chat(chat))) {
        res.status(404).json({ error: '没有这个群' });
        return;
      }
      const page = await this.deps.repo.page(chat, { limit, ...(before ? { before } : {}) });
      if (!page) {
        res.status(404).json({ error: `这个群里没有编号为 ${before ?? ''} 的消息` });
        return;
      }
      res.json({ ...page, messages: page.messages.filter(visibleTo(query.data.member)) });
    });
  }

  private async postMessage(req: Request, res: Response): Promise<void> {
    const body = postMessageSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: body.error.issues[0]?.message ?? '请求格式不对' });
      return;
    }
    await this.guard(res, async () => {
      const { chatId, senderId, text } = body.data;
      const sender = (await this.deps.repo.members(chatId)).find((m) => m.id === senderId);
      if (!sender) {
        res.status(404).json({ error: '这个群里没有这位成员' });
        return;
      }
      const { message } = await this.deps.repo.append({ chatId, from: { id: sender.id, name: sender.name }, kind: 'text', text: [{ text }], at: this.deps.clock() });
      const command = commandText(text, this.deps.botName);
      if (command !== undefined) {
        const members = await this.deps.repo.members(chatId);
        // `＠` is the at sign a Chinese input method types (issue 12).
        const mentions = members.filter((m) => command.includes(`@${m.name}`) || command.includes(`＠${m.name}`)).map((m) => ({ id: m.id, name: m.name }));
        const inbound: InboundMessage = {
          kind: 'message',
          chat: { platform: 'sandbox', chatId },
          messageId: message.id,
          sender,
          text: command,
          ...(mentions.length > 0 ? { mentions } : {}),
          receivedAt: this.deps.clock(),
        };
        await this.deps.inbound.message(inbound);
      }
      res.status(202).json({ message, command: command !== undefined });
    });
  }

  private async postAction(req: Request, res: Response): Promise<void> {
    const body = postActionSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: body.error.issues[0]?.message ?? '请求格式不对' });
      return;
    }
    await this.guard(res, async () => {
      const { chatId, messageId, actorId, value, form } = body.data;
      const [actor, message] = await Promise.all([
        this.deps.repo.members(chatId).then((ms) => ms.find((m) => m.id === actorId)),
        this.deps.repo.get(messageId),
      ]);
      if (!actor || !message || message.chatId !== chatId || message.kind !== 'card') {
        res.status(404).json({ error: '找不到这张卡片或这位成员' });
        return;
      }
      const action: InboundAction = {
        kind: 'action',
        chat: { platform: 'sandbox', chatId },
        eventId: `${messageId}-${actorId}-${this.deps.clock()}`,
        actor,
        value,
        ...(form ? { form } : {}),
        receivedAt: this.deps.clock(),
      };
      const result = await this.deps.inbound.action(action);
      // The clicked card shows the new state at once; the other cards follow through the card queue.
      if (result.card) await this.deps.client.updateCard({ platform: 'sandbox', chatId, messageId }, result.card);
      res.json(result);
    });
  }

  /** Redis down: 503 quickly, nothing half written (the console, like a platform, may retry). */
  private async guard(res: Response, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      const appError = toAppError(err);
      const status = appError.code === ErrorCode.StoreUnavailable ? 503 : 500;
      this.deps.log.error({ err, code: appError.code }, 'sandbox request failed');
      if (!res.headersSent) res.status(status).json({ error: appError.userMessage });
    }
  }
}
