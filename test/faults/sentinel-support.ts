import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, signalGroup, waitFor } from './support';

/**
 * A Redis Sentinel deployment of our own on free localhost ports: one master, one replica and three sentinels
 * (quorum 2), each a `redis-server` child in its own process group and temp folder. The sentinels are tuned to fail
 * over within seconds: `down-after-milliseconds` 1000, `failover-timeout` 3000
 * (https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/#configuring-sentinel).
 */
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
export const MASTER_NAME = 'luoshi-faults';

class Server {
  readonly dir: string;
  private child?: ChildProcess;

  constructor(
    readonly role: string,
    readonly port: number,
  ) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), `luoshi-faults-${role}-`));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Start with `args` (a config file first for a sentinel) and wait until it answers PING. */
  async start(args: string[]): Promise<void> {
    this.child = spawn(REDIS_SERVER, args, { stdio: 'ignore', detached: true });
    await waitFor(
      async () => {
        if (!this.running()) throw new Error(`${this.role} exited (see ${this.dir})`);
        const probe = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          probe.disconnect();
        }
      },
      10000,
      `${this.role} on ${this.port}`,
      50,
    );
  }

  /** SIGKILL (no chance to flush or hand anything over); resolves once it is gone, with the time of the kill. */
  async kill(): Promise<number> {
    const child = this.child;
    const at = Date.now();
    if (!child || !this.running()) return at;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await signalGroup(child, 'SIGKILL');
    await exited;
    return at;
  }

  client(): Redis {
    const r = new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    return r;
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const dataArgs = (s: Server): string[] => ['--port', String(s.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', s.dir, '--daemonize', 'no', '--logfile', path.join(s.dir, 'redis.log')];

export class SentinelWorld {
  private constructor(
    readonly master: Server,
    readonly replica: Server,
    readonly sentinels: readonly Server[],
  ) {}

  static async start(): Promise<SentinelWorld> {
    const master = new Server('master', await freePort());
    const replica = new Server('replica', await freePort());
    const sentinels: Server[] = [];
    for (let i = 0; i < 3; i++) sentinels.push(new Server(`sentinel${i}`, await freePort()));
    const world = new SentinelWorld(master, replica, sentinels);
    try {
      await master.start(dataArgs(master));
      await replica.start([...dataArgs(replica), '--replicaof', '127.0.0.1', String(master.port)]);
      for (const s of sentinels) {
        // Sentinel rewrites its config file (what it learns), so each has its own, in its folder.
        const conf = path.join(s.dir, 'sentinel.conf');
        writeFileSync(
          conf,
          [
            `port ${s.port}`,
            'bind 127.0.0.1',
            'daemonize no',
            `dir ${s.dir}`,
            `logfile ${path.join(s.dir, 'sentinel.log')}`,
            `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 2`,
            `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
            `sentinel failover-timeout ${MASTER_NAME} 3000`,
            `sentinel parallel-syncs ${MASTER_NAME} 1`,
            '',
          ].join('\n'),
        );
        await s.start([conf, '--sentinel']);
      }
      await world.settled();
      return world;
    } catch (err) {
      await world.destroy();
      throw err;
    }
  }

  /** `REDIS_SENTINELS` for the bot. */
  get sentinelList(): string {
    return this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
  }

  /**
   * Wait until every sentinel knows the replica (in sync) and the two other sentinels (they find each other through
   * the master's hello channel, every 2 s): only then can they agree on a failover.
   */
  async settled(timeoutMs = 20000): Promise<void> {
    await waitFor(
      async () => {
        for (const s of this.sentinels) {
          const r = s.client();
          try {
            const replicas = (await r.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
            const peers = (await r.call('SENTINEL', 'SENTINELS', MASTER_NAME)) as string[][];
            const linked = replicas.some((fields) => fields.includes(String(this.replica.port)) && fields[fields.indexOf('master-link-status') + 1] === 'ok');
            if (!linked || peers.length < this.sentinels.length - 1) return false;
          } catch {
            return false;
          } finally {
            r.disconnect();
          }
        }
        return true;
      },
      timeoutMs,
      'the sentinels to know the replica and each other',
      200,
    );
  }

  /** The master's port as sentinel `i` names it now. */
  async masterPort(i = 0): Promise<number | undefined> {
    const r = this.sentinels[i]?.client();
    if (!r) return undefined;
    try {
      const addr = (await r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[] | null;
      return addr?.[1] === undefined ? undefined : Number(addr[1]);
    } finally {
      r.disconnect();
    }
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.sentinels, this.replica, this.master].map((s) => s.destroy()));
  }
}
