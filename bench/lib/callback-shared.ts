/** What bench:callback's parent and its server process (callback-server.ts) share. */
export const ENCRYPT_KEY = 'luoshi-bench-encrypt-key';
export const VERIFICATION_TOKEN = 'vt_luoshi_bench_token_0001';
export const CHAT = 'oc_bench00000000000000000000001';
export const MEMBER_COUNT = 50;
export const memberId = (i: number): string => `ou_benchmember${String(i).padStart(18, '0')}`;

export interface ReadyMessage {
  type: 'ready';
  botUrl: string;
  baselineUrl: string;
  chatId: string;
  dutyId: string;
  messageId: string;
  members: string[];
  prefix: string;
  workers: boolean;
}

export interface WindowMessage {
  type: 'window';
  /** Event-loop utilisation of the server process over the window (0..1). */
  elu: number;
  /** CPU time (user + system) of the server process over the window. */
  cpuMs: number;
  wallMs: number;
}

export interface StoppedMessage {
  type: 'stopped';
  answers: number;
  history: number;
  fake429: number;
  fake230020: number;
  patches: number;
  refreshJobs: Record<string, number>;
}

