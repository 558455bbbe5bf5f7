import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** How long a stop waits for HTTP requests still running before closing their sockets. */
const STOP_GRACE_MS = 500;

/** The bot's one HTTP server: webhooks, the console, /metrics, the admin API and the report pages. */
export class HttpServer {
  private server?: Server;

  constructor(private readonly app: Express) {}

  /** Resolves with the bound port (0 picks a free one). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      // express 5 calls back on 'error' too (with the error): then the address is null.
      const server = this.app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve((server.address() as AddressInfo).port)));
      server.on('error', reject);
      this.server = server;
    });
  }

  /**
   * `close` waits for every connection to end, and a console's event stream never ends by itself: `endStreams` ends
   * them, then the idle keep-alive sockets are dropped, requests still running get STOP_GRACE_MS, and what is left
   * is closed.
   */
  async close(endStreams: () => void): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    endStreams();
    server.closeIdleConnections();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(grace);
    server.closeAllConnections();
    await closed;
  }
}
