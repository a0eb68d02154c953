import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can lose a statement's answer on purpose: the fault where the server
 * committed and the client never heard (a connection killed between the append and the response).
 */
export interface PostgresProxy {
  /** The target's URL with the proxy's port. */
  readonly url: string;
  /**
   * The next statement whose message contains `marker` (SQL text or a prepared statement's name) runs on the
   * server as usual, and its connection is cut once the server has ended its transaction (ReadyForQuery): the
   * client gets no answer. Every other connection is cut with it, and the proxy refuses new ones until `accept()`:
   * the database has become unreachable. Resolves once cut.
   */
  cutAfterCompletion(marker: string): Promise<void>;
  /** Refuse (close at once) every new connection, and cut the open ones, until `accept()`. */
  refuse(): void;
  accept(): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free port of 127.0.0.1 in front of `targetUrl`'s host and port. */
export async function startPostgresProxy(targetUrl: string): Promise<PostgresProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const pairs = new Set<Pair>();
  let refusing = false;
  let armed: { marker: Buffer; cut: () => void } | null = null;

  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: target.hostname, port: targetPort });
    const pair = new Pair(client, upstream);
    pairs.add(pair);
    const end = () => {
      pair.destroy();
      pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (armed && pair.watching === null && pair.sees(chunk, armed.marker)) {
        const { cut } = armed;
        armed = null;
        pair.watching = () => {
          // The database is unreachable from here on: every connection (the pool's idle ones too) is cut.
          refuse();
          cut();
        };
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => pair.fromServer(chunk));
  });
  const refuse = () => {
    refusing = true;
    for (const pair of pairs) pair.destroy();
    pairs.clear();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy: no address');
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);

  return {
    url: url.toString(),
    cutAfterCompletion: (marker) =>
      new Promise<void>((resolve) => {
        armed = { marker: Buffer.from(marker), cut: resolve };
      }),
    refuse,
    accept: () => {
      refusing = false;
    },
    close: async () => {
      for (const pair of pairs) pair.destroy();
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One client connection and its upstream. The server's bytes are parsed into protocol messages (a type byte and a
 * length) only to find the end of a watched statement's transaction; until then they pass through untouched.
 */
class Pair {
  /** Set once the marked statement went through: called at its ReadyForQuery, instead of forwarding the answer. */
  watching: (() => void) | null = null;
  private tail = Buffer.alloc(0);
  /** The watched statement's answer, held back. It starts at a message boundary: a `pg` client sends a statement only after the previous one's ReadyForQuery. */
  private pending = Buffer.alloc(0);

  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
  ) {}

  /** Whether `marker` is in what the client sent, across chunk boundaries. */
  sees(chunk: Buffer, marker: Buffer): boolean {
    const window = Buffer.concat([this.tail, chunk]);
    this.tail = window.subarray(Math.max(0, window.length - marker.length));
    return window.includes(marker);
  }

  fromServer(chunk: Buffer): void {
    if (this.watching === null) {
      this.client.write(chunk);
      return;
    }
    // Hold the answer back, and cut when the server says the statement's transaction is over.
    this.pending = Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (this.pending.length - offset >= 5) {
      const type = String.fromCharCode(this.pending[offset]);
      const length = this.pending.readInt32BE(offset + 1);
      if (this.pending.length - offset < 1 + length) break;
      offset += 1 + length;
      if (type === 'Z') {
        const cut = this.watching;
        this.watching = null;
        cut();
        return;
      }
    }
  }

  destroy(): void {
    this.client.destroy();
    this.upstream.destroy();
  }
}
