import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { isRecord } from './types';

export const GATEWAY_PATH = '/v1.0/gateway/connections/open';
export const CONNECT_PATH = '/connect';
export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const TOPIC_CARD = '/v1.0/card/instances/callback';
export const TICKET_TTL_MS = 90_000;
export const FAKE_APP_ID = 'fake0000-unified-app-0000-000000000001';

export interface Subscription {
  type: string;
  topic: string;
}
/** A well-formed upstream frame (ACK): `data` is a JSON string. */
export interface StreamAck {
  code: number;
  headers: Record<string, unknown>;
  message?: unknown;
  data: string;
}
export interface PushResult {
  acked: boolean;
  ack?: StreamAck;
  ms: number;
}
export interface Frame {
  type: string;
  topic: string;
  acked: boolean;
}
export interface Waiter {
  resolve: (ack: StreamAck | undefined) => void;
  timer: NodeJS.Timeout;
}

export function parseSubscriptions(v: unknown): Subscription[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: Subscription[] = [];
  for (const s of v) {
    if (!isRecord(s) || typeof s.topic !== 'string' || (s.type !== 'EVENT' && s.type !== 'CALLBACK')) return undefined;
    if (s.type === 'EVENT' && s.topic !== '*') return undefined; // only "*" is supported for events
    out.push({ type: s.type, topic: s.topic });
  }
  return out;
}

export function refuse(socket: Duplex, status: number, text: string): void {
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: text/plain',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`);
}

/** A downstream (server → client) frame; `data` is a JSON string. */
export function downstream(type: string, headers: Record<string, string>, data: unknown): string {
  return JSON.stringify({ specVersion: '1.0', type, headers, data: JSON.stringify(data) });
}
