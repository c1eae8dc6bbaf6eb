// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportOpenRequest } from '@keel/session';
import { FallbackPolicy } from '../src/fallback-policy.js';
import { fallbackTransport, type FallbackEvent, type FallbackTransportOptions } from '../src/fallback-transport.js';
import { FakeSockJS, FakeWebSocket, infoFetch, loadFakeSockJS, ManualClock, RecordingHandlers, settle } from './fakes.js';

const request = { url: 'ws://app.test/chat', protocols: [], headers: {} };

afterEach(() => {
  FakeWebSocket.instances = [];
  FakeSockJS.instances = [];
});

function setup(extra: Partial<FallbackTransportOptions> = {}) {
  const clock = new ManualClock();
  const changes: string[] = [];
  const events: FallbackEvent[] = [];
  const policy = new FallbackPolicy({ reprobeIntervalMs: 60_000 });
  const transport = fallbackTransport({
    clock,
    policy,
    openTimeoutMs: 5000,
    native: { WebSocket: FakeWebSocket },
    // By default a SockJS endpoint answers while upgrades fail: a proxy blocks WebSocket.
    sockjs: { load: loadFakeSockJS, fetch: infoFetch('answered') },
    onTransportChange: (name) => changes.push(name),
    onFallback: (event) => events.push(event),
    ...extra,
  });
  return { clock, changes, events, policy, transport };
}

/** Two native attempts refused the way a blocking proxy (or a server that is down) refuses them; then the look at the SockJS endpoint ends. */
async function failTwice(transport: ReturnType<typeof setup>['transport'], attempt: TransportOpenRequest = request): Promise<void> {
  for (let i = 0; i < 2; i++) {
    transport.open(attempt, new RecordingHandlers());
    FakeWebSocket.instances.at(-1)!.fail();
  }
  await settle();
}

describe('fallbackTransport', () => {
  it('refuses numbers it cannot use, naming the option (SessionError ERR_INVALID_OPTION)', () => {
    expect(() => fallbackTransport({ openTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: 'openTimeoutMs must be a number > 0 (ms); got 0' }),
    );
    expect(() => fallbackTransport({ reprobeIntervalMs: -1, native: { WebSocket: FakeWebSocket } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: 'reprobeIntervalMs must be a number ≥ 0 (ms); got -1' }),
    );
  });

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

  it('switches to SockJS after two failed native opens while the SockJS endpoint answers, reports the change, and passes failures through', async () => {
    const fetch = infoFetch('answered');
    const { transport, changes, events } = setup({ sockjs: { load: loadFakeSockJS, fetch } });
    const first = new RecordingHandlers();
    transport.open(request, first);
    FakeWebSocket.instances[0]!.fail();
    expect(first.closes[0]).toMatchObject({
      code: 1006,
      beforeOpen: true,
      error: expect.objectContaining({ code: 'ERR_CONNECTION_LOST' }),
    });
    expect(transport.name).toBe('websocket');
    transport.open(request, new RecordingHandlers());
    FakeWebSocket.instances[1]!.fail();
    await settle();
    expect(fetch.requests).toEqual(['cors http://app.test/chat/info']);
    expect(events).toEqual([]);
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
    expect(handlers.closes[0]).toMatchObject({
      code: 1006,
      beforeOpen: true,
      error: expect.objectContaining({ code: 'ERR_OPEN_TIMEOUT' }),
    });
    transport.open(request, new RecordingHandlers());
    clock.advance(5000);
    await settle();
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

  it('does not fall back for failures after native once opened (an outage, not a proxy)', async () => {
    const fetch = infoFetch('answered');
    const { transport } = setup({ sockjs: { load: loadFakeSockJS, fetch } });
    transport.open(request, new RecordingHandlers());
    FakeWebSocket.instances[0]!.serverOpen();
    FakeWebSocket.instances[0]!.serverClose(1006, '', false);
    await failTwice(transport);
    await failTwice(transport);
    expect(transport.name).toBe('websocket');
    expect(fetch.requests).toEqual([]);
  });

  it('a server that is down (no HTTP answer either) is an outage: native attempts go on, no SockJS, no event', async () => {
    const fetch = infoFetch('unreachable');
    const { transport, events, changes } = setup({ sockjs: { load: loadFakeSockJS, fetch } });
    await failTwice(transport);
    expect(fetch.requests).toEqual(['cors http://app.test/chat/info', 'no-cors http://app.test/chat/info']);
    expect(transport.name).toBe('websocket');
    transport.open(request, new RecordingHandlers());
    expect(FakeWebSocket.instances).toHaveLength(3);
    // The server is back: the very next attempt opens natively.
    FakeWebSocket.instances[2]!.serverOpen();
    await settle();
    expect(FakeSockJS.instances).toHaveLength(0);
    expect(events).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('a server without a SockJS endpoint: SockJS is skipped with reason no-sockjs-endpoint, native attempts go on', async () => {
    const fetch = infoFetch('missing');
    const { transport, events } = setup({ sockjs: { load: loadFakeSockJS, fetch } });
    await failTwice(transport);
    expect(events).toEqual([{ skipped: true, reason: 'no-sockjs-endpoint' }]);
    expect(transport.name).toBe('websocket');
    // The count starts again: two more failures, another look.
    await failTwice(transport);
    expect(events).toHaveLength(2);
    expect(fetch.requests).toHaveLength(2);
    expect(FakeSockJS.instances).toHaveLength(0);
  });

  it('with SockJS refused (subprotocols under refuse) keeps to native, with native capabilities, and says why once', async () => {
    const { transport, events, changes } = setup({ policy: undefined });
    const withProtocols = { ...request, url: 'ws://protocols.test/chat', protocols: ['chat.v1'] };
    await failTwice(transport, withProtocols);
    expect(transport.name).toBe('websocket');
    expect(transport.capabilities).toMatchObject({ binary: true, subprotocolNegotiation: true });
    transport.open(withProtocols, new RecordingHandlers());
    FakeWebSocket.instances[2]!.fail();
    transport.open(withProtocols, new RecordingHandlers());
    expect(FakeWebSocket.instances).toHaveLength(4);
    expect(FakeSockJS.instances).toHaveLength(0);
    expect(changes).toEqual([]);
    expect(events).toEqual([{ skipped: true, reason: 'subprotocols-refused' }]);
  });

  it('with subprotocolFallback in-band, an attempt with protocols may fall back', async () => {
    const { transport } = setup({ policy: undefined, subprotocolFallback: 'in-band' });
    const withProtocols = { ...request, url: 'ws://in-band.test/chat', protocols: ['chat.v1'] };
    await failTwice(transport, withProtocols);
    expect(transport.name).toBe('sockjs');
  });

  it('an attempt refusing SockJS does not take up a fallback another session learnt on the page', async () => {
    const options = {
      clock: new ManualClock(),
      native: { WebSocket: FakeWebSocket },
      sockjs: { load: loadFakeSockJS, fetch: infoFetch('answered') },
    };
    const url = { ...request, url: 'ws://refusing.test/a' };
    const plain = fallbackTransport(options);
    for (let i = 0; i < 2; i++) {
      plain.open(url, new RecordingHandlers());
      FakeWebSocket.instances.at(-1)!.fail();
    }
    await settle();
    const refusing = fallbackTransport(options);
    refusing.open({ ...url, protocols: ['chat.v1'] }, new RecordingHandlers());
    expect(plain.name).toBe('sockjs');
    expect(refusing.name).toBe('websocket');
    expect(FakeWebSocket.instances).toHaveLength(3);
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

  it('remembers the fallback across transports on the page (same host)', async () => {
    const clock = new ManualClock();
    const options = { clock, native: { WebSocket: FakeWebSocket }, sockjs: { load: loadFakeSockJS, fetch: infoFetch('answered') } };
    const first = fallbackTransport(options);
    const url = { ...request, url: 'ws://remembered.test/a' };
    for (let i = 0; i < 2; i++) {
      first.open(url, new RecordingHandlers());
      FakeWebSocket.instances.at(-1)!.fail();
    }
    await settle();
    const second = fallbackTransport(options);
    second.open({ ...url, url: 'ws://remembered.test/b' }, new RecordingHandlers());
    expect(second.name).toBe('sockjs');
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('re-probes native in the background while on SockJS; a probe that opens ends SockJS with 1001 and the next attempt is native', async () => {
    const { transport, clock, changes } = setup();
    await failTwice(transport);
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
    await failTwice(transport);
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
    await failTwice(transport);
    transport.open(request, new RecordingHandlers());
    await settle();
    FakeSockJS.instances[0]!.serverClose(2000, 'All transports failed', false);
    clock.advance(60_000);
    expect(transport.name).toBe('websocket');
    transport.open(request, new RecordingHandlers());
    expect(FakeWebSocket.instances).toHaveLength(3);
  });
});
