/**
 * Load generation for bench:callback.
 *
 * - `openLoop`: requests at a fixed rate, evenly spaced, sent whether or not earlier ones have been answered
 *   (open loop), over keep-alive connections; each latency is taken from the moment the request was *due*, so a
 *   stalled generator or a queue in the server shows up in the figure (no coordinated omission).
 * - `peak`: autocannon, closed loop (each connection sends its next request when the previous one is answered),
 *   for the highest throughput the server sustains.
 *
 * autocannon's own rate limit (`overallRate`) sends each connection's share of a second back to back at the start
 * of that second and then pauses, so it measures bursts, not a steady rate: `autocannonAtRate` runs it anyway as a
 * cross-check, with its coordinated-omission "correction" off (with a rate it records extra samples spaced 1 ms apart
 * below every slow answer, which distorts the percentiles).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { percentile } from './common';

export interface PreparedRequest {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/** Hands out pre-built requests in order (wrapping around), one counter per target. */
export class RequestFeed {
  private next = 0;
  constructor(private readonly requests: readonly PreparedRequest[]) {}
  take(): PreparedRequest {
    const r = this.requests[this.next % this.requests.length];
    this.next += 1;
    if (!r) throw new Error('empty request feed');
    return r;
  }
  get taken(): number {
    return this.next;
  }
}

export interface LatencyFigures {
  /** Requests sent and answered. */
  sent: number;
  ok: number;
  errors: number;
  non2xx: number;
  /** 2xx answers that did not carry what was expected (e.g. a success toast). */
  mismatches: number;
  /** Achieved rate of answers, per second. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** `rate` requests a second for `seconds`, open loop. */
export async function openLoop(
  url: string,
  rate: number,
  seconds: number,
  feed: RequestFeed,
  verify: (body: string) => boolean,
  /** How long to wait for answers after the last request went out (unanswered ones count as errors). */
  drainMs = 15000,
): Promise<LatencyFigures> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let mismatches = 0;
  let answered = 0;
  let sent = 0;
  const start = performance.now() + 20;
  let resolveAll: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (resolveAll = resolve));
  const settle = (): void => {
    answered += 1;
    if (answered === total) resolveAll();
  };
  const fire = (due: number): void => {
    const { body, headers } = feed.take();
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
        timeout: 10000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          latencies.push(performance.now() - due);
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) non2xx += 1;
          else if (!verify(Buffer.concat(chunks).toString('utf8'))) mismatches += 1;
          settle();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      errors += 1;
      settle();
    });
    req.end(body);
  };
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        fire(start + sent * interval);
        sent += 1;
      }
      if (sent >= total) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
  // Wait for the stragglers, at most drainMs.
  await Promise.race([allDone, new Promise((r) => setTimeout(r, drainMs))]);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  errors += total - answered;
  // Unanswered requests are slower than anything measured: they weigh on the percentiles as +Infinity.
  for (let i = answered; i < total; i++) latencies.push(Number.POSITIVE_INFINITY);
  return {
    sent: total,
    ok: answered - non2xx - (errors - (total - answered)),
    errors,
    non2xx,
    mismatches,
    rps: answered / elapsed,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    p999: percentile(latencies, 99.9),
    max: percentile(latencies, 100),
  };
}

export interface PeakFigures {
  /** 2xx answers per second over the run. */
  rps: number;
  total: number;
  errors: number;
  non2xx: number;
  mismatches: number;
  p50: number;
  p99: number;
}

function autocannonRun(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)));
  });
}

function autocannonOptions(url: string, connections: number, seconds: number, feed: RequestFeed, verify: (body: string) => boolean): autocannon.Options {
  return {
    url,
    method: 'POST',
    connections,
    duration: seconds,
    timeout: 10,
    verifyBody: (body) => verify(String(body)),
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const { body, headers } = feed.take();
          return { ...req, method: 'POST', body, headers: { ...headers } };
        },
      },
    ],
  };
}

/** Highest throughput, closed loop, `connections` at once. */
export async function peak(url: string, connections: number, seconds: number, feed: RequestFeed, verify: (body: string) => boolean): Promise<PeakFigures> {
  return peakFigures(await autocannonRun(autocannonOptions(url, connections, seconds, feed, verify)));
}

/** autocannon's own rate limit (bursty, see above), as a cross-check of the open-loop figure. */
export async function autocannonAtRate(
  url: string,
  rate: number,
  connections: number,
  seconds: number,
  feed: RequestFeed,
  verify: (body: string) => boolean,
): Promise<PeakFigures> {
  return peakFigures(await autocannonRun({ ...autocannonOptions(url, connections, seconds, feed, verify), overallRate: rate, ignoreCoordinatedOmission: true }));
}

function peakFigures(r: Awaited<ReturnType<typeof autocannonRun>>): PeakFigures {
  return {
    rps: r['2xx'] / r.duration,
    total: r.requests.total,
    errors: r.errors,
    non2xx: r.non2xx,
    mismatches: r.mismatches,
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
}
