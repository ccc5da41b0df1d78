import net from 'node:net';

/** A port the operating system says is free right now (listened on, then closed). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A TCP relay on `port` to a real server on 127.0.0.1:`target`: the server "is down" until the
 * test opens the relay, and "goes down" when it cuts it (connections in use break, new ones are
 * refused). For tests of what a service does while PostgreSQL, Kafka or Redis is away.
 */
export class TcpRelay {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  static async onFreePort(target: number): Promise<TcpRelay> {
    return new TcpRelay(await freePort(), target);
  }

  async open(): Promise<void> {
    const server = net.createServer((socket) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [socket, upstream]) {
        this.sockets.add(s);
        s.once('close', () => this.sockets.delete(s));
      }
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
