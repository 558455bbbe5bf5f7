import type { PlatformName } from '../domain/types';
import { PlatformError } from '../errors';
import type { Metrics } from '../metrics';
import type { PlatformPort } from '../platforms/port';

type Op = 'sendCard' | 'updateCard' | 'sendText' | 'listMembers';
const OPS: readonly Op[] = ['sendCard', 'updateCard', 'sendText', 'listMembers'];

/** The platforms this process runs. Workers look the port up by a duty's platform. Every call is measured. */
export class PlatformRegistry {
  private readonly ports = new Map<PlatformName, PlatformPort>();

  constructor(private readonly metrics?: Metrics) {}

  register(port: PlatformPort): void {
    this.ports.set(port.name, this.metrics ? instrument(port, this.metrics) : port);
  }

  get(name: PlatformName): PlatformPort {
    const port = this.ports.get(name);
    if (!port) throw new Error(`platform ${name} is not enabled in this process`);
    return port;
  }

  has(name: PlatformName): boolean {
    return this.ports.has(name);
  }

  names(): PlatformName[] {
    return [...this.ports.keys()];
  }
}

/** The same port, with the duration of each call and the code of each failure recorded. */
function instrument(port: PlatformPort, metrics: Metrics): PlatformPort {
  const timed =
    <A extends unknown[], R>(op: Op, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const end = metrics.platformCalls.startTimer({ platform: port.name, op });
      try {
        const result = await fn(...args);
        end({ outcome: 'ok' });
        return result;
      } catch (err) {
        end({ outcome: 'error' });
        metrics.platformErrors.inc({ platform: port.name, code: err instanceof PlatformError ? String(err.platformCode ?? err.code) : 'unknown' });
        throw err;
      }
    };
  const wrapped: PlatformPort = Object.create(port) as PlatformPort;
  for (const op of OPS) {
    const original = port[op].bind(port) as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(wrapped, op, { value: timed(op, original) });
  }
  return wrapped;
}
