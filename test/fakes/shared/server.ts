import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flatHeaders, parseJsonBody, queryOf, readBody, writeReply, type ParsedBody, type ReplyStyle } from './http-util';
import type { Answer, RecordedCall, Reply } from './types';

/**
 * The HTTP side of a fake platform on 127.0.0.1 (an ephemeral port): records every call, counts calls per path,
 * answers through the platform's `answer`, and carries out 'timeout' answers (hold the request `timeoutMs`, then
 * destroy the socket). Routes, auth and payload shapes stay in the platform's folder.
 */
export abstract class FakeHttpServer<C extends RecordedCall> {
  // C may only add optional fields to RecordedCall (Feishu's `fault`), so a bare RecordedCall is a C.
  readonly calls: C[] = [];
  /** Calls per URL path, for the platform's stats(). */
  protected readonly pathCounts: Record<string, number> = {};
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | null = null;
  private url = '';

  protected constructor(private readonly name: string) {}

  /** How the platform's gateway dresses its answers. */
  protected abstract readonly replyStyle: ReplyStyle;
  /** How long a 'timeout' answer holds the request. */
  protected abstract timeoutMs(): number;
  /** The answer for a recorded call; `json`: the body was empty or parsed as JSON. */
  protected abstract answer(call: C, json: boolean): Answer | Promise<Answer>;
  /** The answer when `answer` throws. */
  protected abstract internalError(message: string): Reply;

  get baseUrl(): string {
    if (!this.url) throw new Error(`${this.name} is not started`);
    return this.url;
  }

  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((req, res) => void this.handle(req, res));
    this.configure(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.listening(this.url);
    return this.url;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.closing();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Before listening: e.g. attach an 'upgrade' listener. */
  protected configure(_server: Server): void {}
  /** Once listening on `url`. */
  protected listening(_url: string): void {}
  /** On stop, before the server closes. */
  protected async closing(): Promise<void> {}
  /** The clock of RecordedCall.at. */
  protected now(): number {
    return Date.now();
  }
  protected parse(raw: string, _contentType: string | undefined): ParsedBody {
    return parseJsonBody(raw);
  }

  /** Resolves after `ms`; cancelled (never resolves) when the server stops. */
  protected delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const parsed = this.parse(await readBody(req), req.headers['content-type']);
    const call = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryOf(url),
      headers: flatHeaders(req),
      body: parsed.body,
      status: 0,
      response: undefined,
      at: this.now(),
    } as C;
    this.calls.push(call);
    this.pathCounts[call.path] = (this.pathCounts[call.path] ?? 0) + 1;
    let reply: Answer;
    try {
      reply = await this.answer(call, parsed.json);
    } catch (e) {
      reply = this.internalError(`fake internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (reply === 'timeout') {
      this.after(this.timeoutMs(), () => req.socket.destroy());
      return;
    }
    call.status = reply.status;
    call.response = writeReply(res, reply, this.replyStyle);
  }
}
