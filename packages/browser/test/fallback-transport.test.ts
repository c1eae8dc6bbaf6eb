// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { FallbackPolicy } from '../src/fallback-policy.js';
import { fallbackTransport, type FallbackTransportOptions } from '../src/fallback-transport.js';
import { FakeSockJS, FakeWebSocket, loadFakeSockJS, ManualClock, RecordingHandlers, settle } from './fakes.js';

const request = { url: 'ws://app.test/chat', protocols: [], headers: {} };

afterEach(() => {
  FakeWebSocket.instances = [];
  FakeSockJS.instances = [];
});

function setup(extra: Partial<FallbackTransportOptions> = {}) {
  const clock = new ManualClock();
  const changes: string[] = [];
  const policy = new FallbackPolicy({ reprobeIntervalMs: 60_000 });
  const transport = fallbackTransport({
    clock,
    policy,
    openTimeoutMs: 5000,
    native: { WebSocket: FakeWebSocket },
    sockjs: { load: loadFakeSockJS },
    onTransportChange: (name) => changes.push(name),
    ...extra,
  });
  return { clock, changes, policy, transport };
}

/** Two native attempts refused the way a blocking proxy refuses them. */
function failTwice(transport: ReturnType<typeof setup>['transport']): void {
  for (let i = 0; i < 2; i++) {
    transport.open(request, new RecordingHandlers());
    FakeWebSocket.instances.at(-1)!.fail();
  }
}

describe('fallbackTransport', () => {
  it('uses native WebSocket first, with its capabilities', () => {
    const { transport, changes } = setup();
    expect(transport.name).toBe('websocket');
    expect(transport.capabilities.binary).toBe(true);
    const handlers = new RecordingHandlers();
    transport.open(request, handlers);
    FakeWebSocket.instances[0]!.serverOpen();
    expect(handlers.opens).toHaveLength(1);
    expect(FakeSockJS.instances).toHaveLength(0);
    expect(changes).toEqual([]);
  });

  it('switches to SockJS after two failed native opens, reports the change, and passes failures through', async () => {
    const { transport, changes } = setup();
    const first = new RecordingHandlers();
    transport.open(request, first);
    FakeWebSocket.instances[0]!.fail();
    expect(first.closes[0]).toMatchObject({ code: 1006, beforeOpen: true, error: expect.objectContaining({ code: 'ERR_CONNECTION_LOST' }) });
    expect(transport.name).toBe('websocket');
    transport.open(request, new RecordingHandlers());
    FakeWebSocket.instances[1]!.fail();
    // Between attempts, name and capabilities already describe the next attempt (the session reads them before open()).
    expect(transport.name).toBe('sockjs');
    expect(transport.capabilities).toMatchObject({ binary: false, subprotocolNegotiation: false });
    const third = new RecordingHandlers();
    transport.open(request, third);
    expect(changes).toEqual(['sockjs']);
    await settle();
    expect(FakeSockJS.instances.map((s) => s.url)).toEqual(['http://app.test/chat']);
    FakeSockJS.instances[0]!.serverOpen();
    FakeSockJS.instances[0]!.serverMessage('over sockjs');
    expect(third.messages).toEqual(['over sockjs']);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('counts a native attempt that does not open within openTimeoutMs as failed (ERR_OPEN_TIMEOUT)', async () => {
    const { transport, clock } = setup();
    const handlers = new RecordingHandlers();
    transport.open(request, handlers);
    clock.advance(5000);
    await settle();
    expect(FakeWebSocket.instances[0]!.closeCalls).toHaveLength(1);
    expect(handlers.closes[0]).toMatchObject({ code: 1006, beforeOpen: true, error: expect.objectContaining({ code: 'ERR_OPEN_TIMEOUT' }) });
    transport.open(request, new RecordingHandlers());
    clock.advance(5000);
    await settle();
    expect(transport.name).toBe('sockjs');
    expect(clock.pending).toBe(0);
  });

  it('does not count attempts the session itself ended', async () => {
    const { transport } = setup();
    for (let i = 0; i < 3; i++) transport.open(request, new RecordingHandlers()).terminate();
    await settle();
    expect(transport.name).toBe('websocket');
  });

  it('does not fall back for failures after native once opened (an outage, not a proxy)', () => {
    const { transport } = setup();
    transport.open(request, new RecordingHandlers());
    FakeWebSocket.instances[0]!.serverOpen();
    FakeWebSocket.instances[0]!.serverClose(1006, '', false);
    failTwice(transport);
    failTwice(transport);
    expect(transport.name).toBe('websocket');
  });

  it('uses SockJS from the start when the page has no WebSocket, and never probes', async () => {
    const saved = globalThis.WebSocket;
    // @ts-expect-error: an old browser
    delete globalThis.WebSocket;
    try {
      const clock = new ManualClock();
      const transport = fallbackTransport({ clock, policy: new FallbackPolicy(), sockjs: { load: loadFakeSockJS } });
      expect(transport.name).toBe('sockjs');
      transport.open(request, new RecordingHandlers());
      await settle();
      FakeSockJS.instances[0]!.serverOpen();
      expect(clock.pending).toBe(0);
    } finally {
      globalThis.WebSocket = saved;
    }
  });

  it('remembers the fallback across transports on the page (same host)', () => {
    const clock = new ManualClock();
    const options = { clock, native: { WebSocket: FakeWebSocket }, sockjs: { load: loadFakeSockJS } };
    const first = fallbackTransport(options);
    const url = { ...request, url: 'ws://remembered.test/a' };
    for (let i = 0; i < 2; i++) {
      first.open(url, new RecordingHandlers());
      FakeWebSocket.instances.at(-1)!.fail();
    }
    const second = fallbackTransport(options);
    second.open({ ...url, url: 'ws://remembered.test/b' }, new RecordingHandlers());
    expect(second.name).toBe('sockjs');
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('re-probes native in the background while on SockJS; a probe that opens ends SockJS with 1001 and the next attempt is native', async () => {
    const { transport, clock, changes } = setup();
    failTwice(transport);
    const onSockJS = new RecordingHandlers();
    const conn = transport.open({ ...request, protocols: [] }, onSockJS);
    await settle();
    const sock = FakeSockJS.instances[0]!;
    sock.serverOpen();
    expect(FakeWebSocket.instances).toHaveLength(2);

    // First probe fails: SockJS stays, the next probe is an interval later.
    clock.advance(60_000);
    expect(FakeWebSocket.instances).toHaveLength(3);
    FakeWebSocket.instances[2]!.fail();
    expect(onSockJS.closes).toEqual([]);
    clock.advance(59_999);
    expect(FakeWebSocket.instances).toHaveLength(3);
    clock.advance(1);
    expect(FakeWebSocket.instances).toHaveLength(4);

    // Second probe opens: it is closed, SockJS is closed, the session is told to reconnect.
    const probe = FakeWebSocket.instances[3]!;
    probe.serverOpen();
    expect(probe.closeCalls).toEqual([[1000, 'keel: probe']]);
    expect(sock.closeCalls).toEqual([[1000, 'keel: switching to WebSocket']]);
    sock.serverClose(1000, 'keel: switching to WebSocket');
    expect(onSockJS.closes).toEqual([{ code: 1001, reason: 'keel: switching to WebSocket', wasClean: true, beforeOpen: false }]);
    expect(transport.name).toBe('websocket');
    transport.open(request, new RecordingHandlers());
    expect(FakeWebSocket.instances).toHaveLength(5);
    expect(changes).toEqual(['sockjs', 'websocket']);
    expect(() => conn.send('x')).toThrow();
  });

  it('a hanging probe is abandoned after openTimeoutMs and rescheduled; closing the SockJS connection stops probing', async () => {
    const { transport, clock } = setup();
    failTwice(transport);
    const conn = transport.open(request, new RecordingHandlers());
    await settle();
    FakeSockJS.instances[0]!.serverOpen();
    clock.advance(60_000);
    const probe = FakeWebSocket.instances[2]!;
    clock.advance(5000);
    expect(probe.closeCalls).toHaveLength(1);
    await settle();
    conn.close(1000, 'bye');
    FakeSockJS.instances[0]!.serverClose(1000, 'bye');
    expect(clock.pending).toBe(0);
  });

  it('once the probe interval has passed, the next attempt tries native again', async () => {
    const { transport, clock } = setup();
    failTwice(transport);
    transport.open(request, new RecordingHandlers());
    await settle();
    FakeSockJS.instances[0]!.serverClose(2000, 'All transports failed', false);
    clock.advance(60_000);
    expect(transport.name).toBe('websocket');
    transport.open(request, new RecordingHandlers());
    expect(FakeWebSocket.instances).toHaveLength(3);
  });
});
