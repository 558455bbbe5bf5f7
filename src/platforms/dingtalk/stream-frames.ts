import { TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import WebSocket from 'ws';
import type { Logger } from '../../logger';
import type { CallbackAnswer } from './receiver';

/*
 * Stream frames (https://open.dingtalk.com/document/development/introduction-to-stream-mode; protocol:
 * open-dingtalk/developerpedia docs/learn/stream/protocol.md). An ACK names the frame's messageId and carries a JSON
 * string: `{response: null}` for a robot message, `{response: <card update>}` for a card callback.
 */

export interface StreamHandlers {
  /** Resolves once the message is durably handed off; the frame is acked after that. */
  onRobotMessage(payload: unknown): Promise<unknown>;
  onCardCallback(payload: unknown, eventId: string): Promise<CallbackAnswer>;
}

export const DEFAULT_BACKOFF = { baseMs: 1000, maxMs: 60_000 } as const;

/** Capped exponential backoff with equal jitter: attempt 0 waits 0.5–1 s, attempt 6 and later 30–60 s. */
export function backoffDelay(attempt: number, backoff: { baseMs: number; maxMs: number } = DEFAULT_BACKOFF, random = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const frameText = (data: WebSocket.RawData): string =>
  Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : data.toString('utf8');

/** Acknowledge on the socket the frame came on (after a rotation there are two). */
export function ack(ws: WebSocket, log: Logger, messageId: string, code: number, data: string): void {
  if (ws.readyState !== WebSocket.OPEN) {
    log.warn({ messageId }, 'dingtalk stream ack lost: the socket closed (a re-push is deduplicated)');
    return;
  }
  ws.send(JSON.stringify({ code, headers: { contentType: 'application/json', messageId }, message: code === 200 ? 'OK' : 'error', data }));
}

/** A CALLBACK frame: hand it over, then ack it (500 when a robot message could not be taken, so it may come again). */
export async function answerCallback(ws: WebSocket, id: string, frame: DWClientDownStream, handlers: StreamHandlers, log: Logger): Promise<void> {
  let payload: unknown;
  try {
    payload = JSON.parse(frame.data);
  } catch {
    ack(ws, log, id, 200, JSON.stringify({ response: null }));
    return;
  }
  if (frame.headers.topic === TOPIC_ROBOT) {
    try {
      await handlers.onRobotMessage(payload);
      ack(ws, log, id, 200, JSON.stringify({ response: null }));
    } catch (err) {
      log.error({ err, messageId: id }, 'dingtalk robot message not taken');
      ack(ws, log, id, 500, JSON.stringify({ response: null }));
    }
    return;
  }
  if (frame.headers.topic === TOPIC_CARD) {
    const answer = await handlers.onCardCallback(payload, `stream-${id}`).catch((err: unknown) => {
      log.error({ err, messageId: id }, 'dingtalk card callback failed');
      return null;
    });
    ack(ws, log, id, 200, JSON.stringify({ response: answer }));
    return;
  }
  ack(ws, log, id, 404, JSON.stringify({ response: null }));
}
