import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hexId } from '../shared/ids';
import { apiError, apiOk, isRecord, type Reply, type RouteInput } from './types';

/**
 * Files users sent to the robot, as DingTalk keeps them (issue 14): a test registers the bytes and gets the
 * `downloadCode` its message carries. `POST /v1.0/robot/messageFiles/download {downloadCode, robotCode}` answers
 * `{downloadUrl}`, a temporary link (https://open.dingtalk.com/document/development/download-the-file-content-of-the-robot-receiving-message)
 * to another host — a storage host, like DingTalk's — served here by a small server of its own, with Content-Type and
 * Content-Length. Unknown code: the page documents no error code, so one of the API's style is chosen (below).
 */
export interface FakeFile {
  readonly bytes: Uint8Array;
  /** Content-Type of the link (default application/octet-stream). */
  readonly contentType?: string;
  /** Leave Content-Length out (chunked): the size is then unknown until read. */
  readonly noLength?: boolean;
}

/** How a link fails: an error status, or the connection cut after the first bytes. */
export type DownloadFault = 'status' | 'reset';

/** Chosen: an unknown or expired downloadCode (the API page lists no code for it). */
export const UNKNOWN_CODE = { status: 400, code: 'invalidParameter.downloadCode.invalid', message: 'downloadCode无效或已过期' } as const;
/** Links live this long (not documented: files-and-p2p.md "What could not be confirmed"). */
export const LINK_TTL_MS = 10 * 60_000;

export class FakeFiles {
  private readonly byCode = new Map<string, FakeFile>();
  private readonly links = new Map<string, { code: string; expiresAt: number }>();
  private readonly faults = new Map<string, { kind: DownloadFault; count: number }>();
  private server: Server | null = null;
  private url = '';
  /** Every GET of a link: its code and what it answered. */
  readonly gets: { code?: string; status: number; at: number }[] = [];
  /** Every link answered by the download API, by code. */
  readonly issued: { code: string; link: string }[] = [];

  constructor(private readonly now: () => number) {}

  /** A file a user sent: the downloadCode its message carries. */
  register(file: FakeFile): string {
    const code = `dc${hexId(24)}`;
    this.byCode.set(code, file);
    return code;
  }

  /** The next `count` GETs of this code's links fail. */
  failDownloads(code: string, kind: DownloadFault, count: number): void {
    this.faults.set(code, { kind, count });
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** POST /v1.0/robot/messageFiles/download (token checked by the server before). */
  download(robotCode: string, input: RouteInput): Reply {
    const b = input.body;
    if (!isRecord(b) || typeof b.downloadCode !== 'string' || b.downloadCode === '') return apiError(400, 'MissingdownloadCode', 'downloadCode is mandatory for this action.');
    if (typeof b.robotCode !== 'string' || b.robotCode === '') return apiError(400, 'MissingrobotCode', 'robotCode is mandatory for this action.');
    if (b.robotCode !== robotCode) return apiError(400, 'invalidParameter.robotCode.notExsit', '机器人不存在');
    if (!this.byCode.has(b.downloadCode)) return apiError(UNKNOWN_CODE.status, UNKNOWN_CODE.code, UNKNOWN_CODE.message);
    const id = hexId(20);
    const expiresAt = this.now() + LINK_TTL_MS;
    this.links.set(id, { code: b.downloadCode, expiresAt });
    const link = `${this.url}/file/${id}?Expires=${Math.floor(expiresAt / 1000)}&Signature=${hexId(12)}`;
    this.issued.push({ code: b.downloadCode, link });
    return apiOk({ downloadUrl: link });
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const id = /^\/file\/([0-9a-f]+)$/.exec(url.pathname)?.[1];
    const link = id ? this.links.get(id) : undefined;
    const file = link ? this.byCode.get(link.code) : undefined;
    const record = (status: number): void => void this.gets.push({ ...(link ? { code: link.code } : {}), status, at: this.now() });
    if (req.method !== 'GET' || !link || !file || link.expiresAt <= this.now()) {
      record(403);
      res.writeHead(403, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code></Error>');
      return;
    }
    const fault = this.faults.get(link.code);
    if (fault && fault.count > 0) {
      fault.count -= 1;
      if (fault.kind === 'status') {
        record(503);
        res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        return;
      }
      record(200);
      res.writeHead(200, { 'content-type': file.contentType ?? 'application/octet-stream', 'content-length': String(file.bytes.length) });
      res.write(Buffer.from(file.bytes.slice(0, Math.min(600, Math.floor(file.bytes.length / 2)))), () => res.destroy());
      return;
    }
    record(200);
    res.writeHead(200, {
      'content-type': file.contentType ?? 'application/octet-stream',
      ...(file.noLength ? {} : { 'content-length': String(file.bytes.length) }),
    });
    res.end(Buffer.from(file.bytes));
  }
}
