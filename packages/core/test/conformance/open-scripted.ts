import type { ClientFactory, ClientOptions, ClientUnderTest } from './client-under-test.js';
import { startScriptedServer, type HandshakeScript, type ScriptedConnection, type ScriptedServer } from './scripted-server.js';

export interface ScriptedSession {
  readonly server: ScriptedServer;
  readonly client: ClientUnderTest;
  readonly connection: ScriptedConnection;
}

/**
 * A scripted server and a client connected to it (permessage-deflate off unless the options
 * turn it on), for cases that drive the client too; the server is closed when `run` ends.
 */
export async function withScripted(
  factory: ClientFactory,
  setup: { handshake?: HandshakeScript | undefined; client?: ClientOptions | undefined },
  run: (session: ScriptedSession) => Promise<void>,
): Promise<void> {
  const server = await startScriptedServer(setup.handshake);
  try {
    const client = factory(server.url, { perMessageDeflate: false, ...setup.client });
    const connection = await server.connection();
    await run({ server, client, connection });
  } finally {
    await server.close();
  }
}
