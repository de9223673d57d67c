import net from 'node:net';

export interface PartitionProxyOptions {
  /** Where every connection is piped to, e.g. { host: '127.0.0.1', port: 5173 }. */
  target: { host: string; port: number };
  /** Port to listen on (0: a free one). */
  listenPort?: number;
  listenHost?: string;
}

export interface PartitionStats {
  online: boolean;
  /** Connections open right now. */
  open: number;
  /** Connections accepted and piped since start. */
  accepted: number;
  /** Connections refused (reset) while offline. */
  refused: number;
  /** Open connections cut by offline(). */
  severed: number;
}

/**
 * A TCP proxy that can partition the network, like Jepsen's nemesis does: one per browser
 * context, so each client reaches the stack through its own link and loses it on its own.
 *
 * - online: every connection is piped both ways to the target, byte for byte;
 * - `offline()`: every open connection is cut at once in both directions (TCP reset), including
 *   the long-lived sync stream, and new connections are reset as soon as they arrive;
 * - `online()`: connections are accepted again; the client reconnects by itself.
 *
 * Unlike Playwright's `context.setOffline(true)`, which only fails new requests and leaves an
 * open sync stream delivering, nothing gets through while offline.
 */
export class PartitionProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private up = true;
  private counts = { accepted: 0, refused: 0, severed: 0 };

  constructor(private readonly options: PartitionProxyOptions) {
    this.server = net.createServer({ noDelay: true }, (client) => this.accept(client));
  }

  /** Starts listening; resolves with the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.listenPort ?? 0, this.options.listenHost ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.port;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the partition proxy is not listening');
    return address.port;
  }

  /** The origin a browser uses to reach the target through this proxy. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isOnline(): boolean {
    return this.up;
  }

  /** Cuts every open connection and refuses new ones until {@link online}. */
  offline(): void {
    this.up = false;
    for (const socket of this.sockets) {
      this.counts.severed += 1;
      socket.resetAndDestroy();
    }
    this.sockets.clear();
  }

  /** Accepts connections again. */
  online(): void {
    this.up = true;
  }

  stats(): PartitionStats {
    return { online: this.up, open: this.sockets.size, ...this.counts };
  }

  async stop(): Promise<void> {
    this.offline();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (!this.up) {
      this.counts.refused += 1;
      client.resetAndDestroy();
      return;
    }
    this.counts.accepted += 1;
    const upstream = net.connect({ ...this.options.target, noDelay: true });
    // Each half is tracked so offline() cuts both directions; a reset of one closes the other.
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(socket);
      socket.on('error', () => peer.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        peer.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
