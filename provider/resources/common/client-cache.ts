/**
 * One DpodClient per distinct connection settings per process, so a provider process asks the token URL
 * once per credential however many resources it handles. Keys are digests, so the map holds no secret as
 * a key (the clients themselves hold their settings, as they must).
 */
import { createHash } from "node:crypto";
import type { ConnectionSettings } from "../../client";

export class ClientCache<C> {
  private readonly clients = new Map<string, C>();

  constructor(private readonly factory: (settings: ConnectionSettings) => C) {}

  get(settings: ConnectionSettings): C {
    const key = ClientCache.keyOf(settings);
    let client = this.clients.get(key);
    if (client === undefined) {
      client = this.factory(settings);
      this.clients.set(key, client);
    }
    return client;
  }

  get size(): number {
    return this.clients.size;
  }

  values(): IterableIterator<C> {
    return this.clients.values();
  }

  clear(): void {
    this.clients.clear();
  }

  static keyOf(settings: ConnectionSettings): string {
    const entries = Object.entries(settings)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
  }
}
