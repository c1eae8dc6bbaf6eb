import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectDeadline } from '../../src/node/connectivity/connect-deadline.js';
import {
  ConnectDiagnostics,
  diagnosticChannelNames,
  redactHeaders,
  type ConnectDiagnosticEvent,
} from '../../src/node/connectivity/connect-diagnostics.js';
import { openConnection } from '../../src/node/connectivity/open-connection.js';
import { startConnectProxy } from './helpers/connect-proxy.js';
import { openTcpSockets, settleCount } from './helpers/open-handles.js';
import { startTlsEchoOrigin } from './helpers/origins.js';
import { tlsFixtures } from './helpers/tls-fixtures.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await settleCount(openTcpSockets, 0);
});

/** Subscribes to every keel:* channel; returns what arrives, as [channel, event]. */
function subscribeAll(): Array<[string, ConnectDiagnosticEvent]> {
  const seen: Array<[string, ConnectDiagnosticEvent]> = [];
  for (const name of Object.values(diagnosticChannelNames)) {
    const listener = (message: unknown): void => {
      seen.push([name, message as ConnectDiagnosticEvent]);
    };
    diagnosticsChannel.subscribe(name, listener);
    cleanups.push(() => {
      diagnosticsChannel.unsubscribe(name, listener);
    });
  }
  return seen;
}

async function tlsOrigin() {
  const origin = await startTlsEchoOrigin({ key: tlsFixtures.serverKey, cert: tlsFixtures.serverCert });
  cleanups.push(() => origin.close());
  return origin;
}

describe('connect diagnostics', () => {
  it('publishes each stage of a wss: connection through a proxy, in order, on the keel:* channels', async () => {
    const origin = await tlsOrigin();
    const proxy = await startConnectProxy({ credentials: { username: 'u', password: 'secret' } });
    cleanups.push(() => proxy.close());
    const seen = subscribeAll();
    const diagnostics = new ConnectDiagnostics();
    const deadline = new ConnectDeadline({ timeout: 10_000 });
    const { socket } = await openConnection(
      new URL(`wss://localhost:${origin.port}/chat`),
      { env: {}, proxy: `http://u:secret@localhost:${proxy.url.port}`, ca: tlsFixtures.ca, family: 4 },
      deadline,
      diagnostics,
    );
    cleanups.push(() => {
      socket.destroy();
    });
    // The Node layer publishes the handshake events itself, through the same object.
    diagnostics.publish('handshake:request', () => ({
      type: 'handshake:request',
      url: `wss://localhost:${origin.port}/chat`,
      headers: redactHeaders([
        ['authorization', 'Bearer t'],
        ['sec-websocket-version', '13'],
      ]),
    }));
    diagnostics.publish('handshake:response', () => ({
      type: 'handshake:response',
      url: `wss://localhost:${origin.port}/chat`,
      status: 101,
    }));
    deadline.finish();

    expect(seen.map(([channel, event]) => [channel, event.type])).toEqual([
      ['keel:connect:lookup', 'lookup'],
      ['keel:connect:tcp', 'tcp'],
      ['keel:connect:proxy', 'proxy'],
      ['keel:connect:tls', 'tls'],
      ['keel:handshake:request', 'handshake:request'],
      ['keel:handshake:response', 'handshake:response'],
    ]);
    const events = seen.map(([, event]) => event);
    expect(events[0]).toMatchObject({ type: 'lookup', host: 'localhost', address: '127.0.0.1', family: 4 });
    expect(events[1]).toMatchObject({ type: 'tcp', host: 'localhost', port: Number(proxy.url.port), remoteAddress: '127.0.0.1' });
    expect(events[2]).toMatchObject({
      type: 'proxy',
      proxy: `http://***@localhost:${proxy.url.port}/`,
      target: `localhost:${origin.port}`,
      status: 200,
    });
    expect(events[3]).toMatchObject({ type: 'tls', peer: 'origin', servername: 'localhost', protocol: 'TLSv1.3' });
    expect(events[4]).toMatchObject({
      headers: [
        ['authorization', '[redacted]'],
        ['sec-websocket-version', '13'],
      ],
    });
    expect(events[5]).toMatchObject({ status: 101 });
    expect(new Set(events.map((event) => event.connectId))).toEqual(new Set([diagnostics.connectId]));
    const elapsed = events.map((event) => event.elapsedMs);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it('reports where a refused attempt failed, to the hook and the channels alike', async () => {
    const proxy = await startConnectProxy({ mode: 'refuse' });
    cleanups.push(() => proxy.close());
    const seen = subscribeAll();
    const hooked: ConnectDiagnosticEvent[] = [];
    const diagnostics = new ConnectDiagnostics({ onDiagnostic: (event) => hooked.push(event) });
    const deadline = new ConnectDeadline();
    await expect(openConnection(new URL('wss://localhost:9/'), { env: {}, proxy: proxy.url }, deadline, diagnostics)).rejects.toMatchObject(
      {
        code: 'ERR_PROXY_STATUS',
        status: 403,
      },
    );
    deadline.finish();
    expect(hooked.map((event) => event.type)).toEqual(['tcp', 'proxy', 'error']);
    expect(hooked[1]).toMatchObject({ type: 'proxy', status: 403 });
    expect(hooked[2]).toMatchObject({ type: 'error', stage: 'proxy', code: 'ERR_PROXY_STATUS' });
    expect(seen.map(([, event]) => event)).toEqual(hooked);
  });

  it('reports a TLS failure with its stage and code', async () => {
    const origin = await tlsOrigin();
    const hooked: ConnectDiagnosticEvent[] = [];
    const deadline = new ConnectDeadline();
    await expect(
      openConnection(
        new URL(`wss://127.0.0.1:${origin.port}/`),
        { env: {} },
        deadline,
        new ConnectDiagnostics({ onDiagnostic: (event) => hooked.push(event) }),
      ),
    ).rejects.toMatchObject({ code: 'ERR_TLS' });
    deadline.finish();
    expect(hooked.map((event) => event.type)).toEqual(['tcp', 'error']);
    expect(hooked[1]).toMatchObject({ stage: 'tls', code: 'ERR_TLS' });
  });

  it('builds nothing when no one listens', () => {
    const build = vi.fn(() => ({ type: 'handshake:response' as const, url: 'ws://x/', status: 101 }));
    const quiet = new ConnectDiagnostics();
    expect(quiet.wants('handshake:response')).toBe(false);
    quiet.publish('handshake:response', build);
    expect(build).not.toHaveBeenCalled();

    const listener = vi.fn();
    diagnosticsChannel.subscribe('keel:handshake:response', listener);
    try {
      expect(quiet.wants('handshake:response')).toBe(true);
      expect(quiet.wants('tcp')).toBe(false);
      quiet.publish('handshake:response', build);
    } finally {
      diagnosticsChannel.unsubscribe('keel:handshake:response', listener);
    }
    expect(build).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a throwing hook becomes a process warning and does not break publishing', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const diagnostics = new ConnectDiagnostics({
        onDiagnostic: () => {
          throw new Error('hook bug');
        },
      });
      expect(() =>
        diagnostics.publish('handshake:response', () => ({ type: 'handshake:response', url: 'ws://x/', status: 101 })),
      ).not.toThrow();
      expect(emitWarning).toHaveBeenCalledWith('onDiagnostic threw: hook bug', { code: 'KEEL_DIAGNOSTIC_HOOK' });
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('gives every attempt its own id', () => {
    expect(new ConnectDiagnostics().connectId).not.toBe(new ConnectDiagnostics().connectId);
  });
});
