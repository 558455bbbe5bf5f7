import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../logger';
import type { SandboxEvent } from './history';

const eventTypeSchema = z.object({
  type: z.enum(['message', 'update']),
  message: z.object({ to: z.object({ id: z.string() }).optional() }).optional(),
});

/**
 * The console's server-sent event streams (https://html.spec.whatwg.org/multipage/server-sent-events.html): each open
 * page with the member it speaks as; events from Redis pub/sub (src/platforms/sandbox/receiver.ts) written to every
 * stream that may see them, a message meant for one member only to that member's.
 */
export class ConsoleEventStreams {
  /** Open event streams, each with the member its console speaks as. */
  private readonly streams = new Map<Response, string | undefined>();
  /** Set once the bot is stopping: open streams have been ended and new ones are refused. */
  private closing = false;

  constructor(
    private readonly maxStreams: number,
    private readonly log: Logger,
  ) {}

  open(req: Request, res: Response, member: string | undefined): void {
    if (this.closing) {
      res.status(503).set('Retry-After', '5').json({ error: '落实服务正在停止，请稍后刷新。' });
      return;
    }
    // Each open stream holds a socket and a timer: a page (or a script) opening them without end must hit a wall.
    if (this.streams.size >= this.maxStreams) {
      this.log.warn({ open: this.streams.size }, 'sandbox: event stream refused, too many open');
      res
        .status(503)
        .set('Retry-After', '30')
        .json({ error: `打开的控制台太多（最多 ${this.maxStreams} 个）：请关闭不用的控制台页面，稍后刷新。` });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    this.streams.set(res, member);
    const ping = setInterval(() => res.write(': ping\n\n'), 25000);
    req.on('close', () => {
      clearInterval(ping);
      this.streams.delete(res);
    });
  }

  broadcast(payload: string): void {
    // Only the event's type and recipient are read here (the page parses the rest); a payload that is not an event is dropped.
    let event: z.infer<typeof eventTypeSchema>;
    try {
      event = eventTypeSchema.parse(JSON.parse(payload));
    } catch {
      return;
    }
    const frame = `event: ${event.type satisfies SandboxEvent['type']}\ndata: ${payload}\n\n`;
    const to = event.message?.to?.id;
    for (const [res, member] of this.streams) if (to === undefined || to === member) res.write(frame);
  }

  /**
   * End every open event stream, telling each page first (`event: shutdown`), and refuse new ones. An event stream
   * never ends by itself, so without this the HTTP server's close would wait for every open console to go away.
   */
  close(): void {
    this.closing = true;
    for (const res of this.streams.keys()) res.end('event: shutdown\ndata: {}\n\n');
    this.streams.clear();
  }
}
