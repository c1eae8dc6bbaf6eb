import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { KeelServer, type KeelServerOptions, type ServerSession } from '@keel/server';

/** A KeelServer on a real `ws` server (127.0.0.1, ephemeral port), recording every session and what it received. */
export class KeelRig {
  readonly sessions: ServerSession[] = [];
  /** Client messages per session id, in arrival order. */
  readonly received = new Map<string, string[]>();

  private constructor(
    readonly keel: KeelServer,
    readonly http: Server,
    readonly wss: WebSocketServer,
  ) {
    keel.on('session', (session) => {
      this.sessions.push(session);
      const list = this.received.get(session.id) ?? [];
      this.received.set(session.id, list);
      session.on('message', (data) => list.push(typeof data === 'string' ? data : `<${data.byteLength} bytes>`));
    });
  }

  static async start(options: KeelServerOptions = {}, port = 0): Promise<KeelRig> {
    const keel = new KeelServer(options);
    const http = createServer();
    const wss = new WebSocketServer({ server: http, handleProtocols: keel.handleProtocols });
    keel.attach(wss);
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    return new KeelRig(keel, http, wss);
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  /** The latest session. */
  get session(): ServerSession {
    const session = this.sessions.at(-1);
    if (session === undefined) throw new Error('no session yet');
    return session;
  }

  async stop(): Promise<void> {
    await this.keel.close();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
