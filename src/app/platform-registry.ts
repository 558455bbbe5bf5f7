import type { PlatformName } from '../domain/types';
import type { PlatformPort } from '../platforms/port';

/** The platforms this process runs. Workers look the port up by a duty's platform. */
export class PlatformRegistry {
  private readonly ports = new Map<PlatformName, PlatformPort>();

  register(port: PlatformPort): void {
    this.ports.set(port.name, port);
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
