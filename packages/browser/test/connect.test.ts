// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../src/connect.js';
import { FakeSockJS, FakeWebSocket, loadFakeSockJS, settle } from './fakes.js';

const sockjs = { load: loadFakeSockJS };

afterEach(() => {
  FakeWebSocket.instances = [];
  FakeSockJS.instances = [];
});

describe('connect (browser)', () => {
  it('refuses handshake headers, which no browser transport can send (issue 11 #5), with a typed error', () => {
    // What a plain-JavaScript caller can still pass; TypeScript rejects it (headers?: never).
    const options = { headers: { Authorization: 'Bearer t' }, fallback: false } as unknown as Parameters<typeof connect>[1];
    expect(() => connect('ws://127.0.0.1:1/', options)).toThrow(
      expect.objectContaining({ name: 'SessionError', code: 'ERR_INVALID_OPTION' }),
    );
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  // Every bad option is refused before anything starts, as the session's own are: a negative
  // openTimeoutMs used to fail every native attempt at once (and so fall back to SockJS), a
  // fallback of 5 was spread into the defaults and ignored.
  it.each([
    [{ fallback: 5 }, 'fallback must be an object or false; got 5'],
    [{ fallback: true }, 'fallback must be an object or false; got true'],
    [{ liveness: 'yes' }, 'liveness must be a boolean or an environment object; got "yes"'],
    [{ fallback: { openTimeoutMs: -5 } }, 'fallback.openTimeoutMs must be a number > 0 (ms); got -5'],
    [{ fallback: { openTimeoutMs: Number.NaN } }, 'fallback.openTimeoutMs must be a number > 0 (ms); got NaN'],
    [{ fallback: { failuresBeforeFallback: 0 } }, 'fallback.failuresBeforeFallback must be an integer ≥ 1; got 0'],
    [{ fallback: { failuresBeforeFallback: 1.5 } }, 'fallback.failuresBeforeFallback must be an integer ≥ 1; got 1.5'],
    [{ fallback: { reprobeIntervalMs: '300000' } }, 'fallback.reprobeIntervalMs must be a number ≥ 0 (ms); got "300000"'],
  ])('refuses %j: %s', (options, message) => {
    expect(() => connect('ws://127.0.0.1:1/', options as unknown as Parameters<typeof connect>[1])).toThrow(
      expect.objectContaining({ name: 'SessionError', code: 'ERR_INVALID_OPTION', message }),
    );
    expect([FakeWebSocket.instances.length, FakeSockJS.instances.length]).toEqual([0, 0]);
  });

  it('opens a session over native WebSocket and exchanges messages', async () => {
    const session = connect('ws://connect.test/a', { fallback: { native: { WebSocket: FakeWebSocket }, sockjs }, heartbeat: false });
    const opened = new Promise((resolve) => session.once('open', resolve));
    expect(session.send('queued first')).toBe('queued');
    await settle();
    const ws = FakeWebSocket.instances[0]!;
    ws.serverOpen();
    expect(await opened).toMatchObject({ transport: 'websocket' });
    expect(ws.sent).toEqual(['queued first']);
    const received = new Promise((resolve) => session.once('message', resolve));
    ws.serverMessage('hello');
    expect(await received).toBe('hello');
    const closed = session.close();
    ws.serverClose(1000);
    expect((await closed).code).toBe(1000);
  });

  it('holds reconnect attempts while offline and reconnects when online', async () => {
    const session = connect('ws://connect.test/b', {
      fallback: { native: { WebSocket: FakeWebSocket }, sockjs },
      heartbeat: false,
      reconnect: { initialDelay: 0, maxDelay: 0 },
    });
    await settle();
    FakeWebSocket.instances[0]!.serverOpen();
    window.dispatchEvent(new Event('offline'));
    // The retry (delay 0) starts an attempt that the online gate holds: wait for that attempt's
    // state change, then for everything it queued, instead of a guessed number of turns.
    const retrying = new Promise<void>((resolve) => session.on('state', (state) => state === 'connecting' && resolve()));
    FakeWebSocket.instances[0]!.serverClose(1006, '', false);
    await retrying;
    await settle();
    expect(session.state).toBe('connecting');
    expect(FakeWebSocket.instances).toHaveLength(1);
    window.dispatchEvent(new Event('online'));
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.instances[1]!.serverOpen();
    expect(session.state).toBe('open');
    const closed = session.close();
    FakeWebSocket.instances[1]!.serverClose(1000);
    await closed;
  });

  it('probes the link on visibilitychange to visible (an application-level ping goes out)', async () => {
    const session = connect('ws://connect.test/c', { fallback: { native: { WebSocket: FakeWebSocket }, sockjs } });
    await settle();
    const ws = FakeWebSocket.instances[0]!;
    ws.serverOpen();
    // The server opts in to the application-level heartbeat (docs/heartbeat-opt-in.md): by default a
    // browser session sends nothing the app did not send.
    ws.serverMessage('{"type":"keel:hello","features":["heartbeat"]}');
    const before = ws.sent.length;
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(ws.sent.slice(before)).toEqual(['{"type":"ping"}']);
    const closed = session.close();
    ws.serverClose(1000);
    await closed;
  });

  it('stops listening to the page once the session is closed', async () => {
    const listening = new Set<string>();
    const window = {
      addEventListener: (type: string) => listening.add(type),
      removeEventListener: (type: string) => listening.delete(type),
    };
    const session = connect('ws://connect.test/d', {
      fallback: { native: { WebSocket: FakeWebSocket }, sockjs },
      heartbeat: false,
      liveness: { window },
    });
    expect([...listening].sort()).toEqual(['offline', 'online', 'pageshow']);
    await settle();
    await session.close();
    expect(listening.size).toBe(0);
  });
});
