/**
 * Typed access to the `ws` package without `@types/ws`.
 *
 * `ws` is not a direct dependency of this repo: it is installed (hoisted) as a dependency of
 * `dingtalk-stream`, and no `@types/ws` is installed, so a plain `import 'ws'` fails under strict TS
 * (TS7016). We load it with `createRequire` and describe the small surface we use. Once `ws` and
 * `@types/ws` are direct devDependencies this file can become `export { WebSocket, WebSocketServer } from 'ws'`.
 */
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';

export type WsData = Buffer | ArrayBuffer | Buffer[];

export interface WsSocket {
  readonly readyState: number;
  send(data: string, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', fn: () => void): this;
  on(event: 'message', fn: (data: WsData, isBinary: boolean) => void): this;
  on(event: 'close', fn: (code: number, reason: Buffer) => void): this;
  on(event: 'error', fn: (err: Error) => void): this;
  on(event: 'unexpected-response', fn: (req: unknown, res: IncomingMessage) => void): this;
  once(event: 'open', fn: () => void): this;
  once(event: 'close', fn: (code: number, reason: Buffer) => void): this;
  once(event: 'error', fn: (err: Error) => void): this;
  once(event: 'unexpected-response', fn: (req: unknown, res: IncomingMessage) => void): this;
  removeAllListeners(event?: string): this;
}

export interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: WsSocket) => void): void;
  close(cb?: (err?: Error) => void): void;
}

interface WsModule {
  WebSocket: (new (url: string) => WsSocket) & { readonly OPEN: number; readonly CONNECTING: number };
  WebSocketServer: new (opts: { noServer: true }) => WsServer;
}

const ws = createRequire(__filename)('ws') as WsModule;

export const WebSocket = ws.WebSocket;
export const WebSocketServer = ws.WebSocketServer;
export const WS_OPEN = 1;

export function wsDataToString(data: WsData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
