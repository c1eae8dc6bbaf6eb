import diagnosticsChannel from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { diagnosticChannelNames, type ConnectDiagnosticEvent } from '@keel/core';
import { roundTrip } from '../websocket-connectivity/helpers/client.js';
import { useFixture } from '../websocket-connectivity/helpers/fixture.js';
import { startRoutingServer } from '../websocket-connectivity/helpers/servers.js';

/**
 * Issue 12: credentials in a WebSocket URL (`ws://user:pass@host`) never show in diagnostics
 * (redacted like proxy credentials), and Keel sends nothing for them (as browsers, which ignore
 * them for WebSocket): an Authorization header is the caller's to set.
 */

const { own, connect } = useFixture();

describe('credentials in the WebSocket URL', () => {
  it('are redacted in handshake:request and handshake:response events (hook and channels), and not sent', async () => {
    const server = await own(startRoutingServer());
    server.routes.set('/start', { redirect: 302, location: '/final' });
    server.routes.set('/final', 'websocket');
    const published: unknown[] = [];
    const onChannel = (message: unknown): void => {
      published.push(message);
    };
    const names = [diagnosticChannelNames['handshake:request'], diagnosticChannelNames['handshake:response']];
    for (const name of names) diagnosticsChannel.subscribe(name, onChannel);
    const hooked: ConnectDiagnosticEvent[] = [];
    try {
      const ws = connect(`ws://alice:s3cr%40t@127.0.0.1:${server.port}/start`, {
        followRedirects: true,
        onDiagnostic: (event) => hooked.push(event),
      });
      expect((await roundTrip(ws, 'hello')).echoed).toBe('hello');
    } finally {
      for (const name of names) diagnosticsChannel.unsubscribe(name, onChannel);
    }
    const handshakeEvents = hooked.filter((event) => event.type === 'handshake:request' || event.type === 'handshake:response');
    // Request and response for /start (the 302) and for /final.
    expect(handshakeEvents.map((event) => event.type)).toEqual([
      'handshake:request',
      'handshake:response',
      'handshake:request',
      'handshake:response',
    ]);
    expect(published).toHaveLength(4);
    for (const event of [...hooked, ...(published as ConnectDiagnosticEvent[])]) {
      const text = JSON.stringify(event);
      expect(text).not.toContain('s3cr');
      expect(text).not.toContain('alice');
    }
    expect((handshakeEvents[0] as { url: string }).url).toBe(`ws://***@127.0.0.1:${server.port}/start`);
    expect((handshakeEvents[2] as { url: string }).url).toBe(`ws://***@127.0.0.1:${server.port}/final`);
    // Nothing is made of them: no Authorization header reaches the server.
    expect(server.upgrades).toHaveLength(2);
    for (const upgrade of server.upgrades) expect(upgrade.headers.authorization).toBeUndefined();
  });
});
