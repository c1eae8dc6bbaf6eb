import { describe, expect, it } from 'vitest';
import type { Transport, TransportEventHandlers, TransportOpenRequest } from '@keel/session';
import { onlineGate } from '../src/online-gate.js';
import { RecordingHandlers, settle } from './fakes.js';

const request: TransportOpenRequest = { url: 'ws://gate.test/', protocols: [], headers: {} };

function countingTransport(): Transport & { opened: TransportEventHandlers[] } {
  const opened: TransportEventHandlers[] = [];
  return {
    opened,
    name: 'inner',
    capabilities: { binary: true, protocolPing: false, subprotocolNegotiation: true, customHeaders: false },
    open(_request, handlers) {
      opened.push(handlers);
      return { send: () => {}, close: () => {}, terminate: () => {}, bufferedAmount: 7 };
    },
  };
}

describe('onlineGate', () => {
  it('passes attempts straight through while online, with the inner name and capabilities', () => {
    const inner = countingTransport();
    const gate = onlineGate(inner);
    expect(gate.name).toBe('inner');
    expect(gate.capabilities).toBe(inner.capabilities);
    expect(gate.open(request, new RecordingHandlers()).bufferedAmount).toBe(7);
    expect(inner.opened).toHaveLength(1);
  });

  it('holds an attempt made while paused and starts it on resume', () => {
    const inner = countingTransport();
    const gate = onlineGate(inner);
    gate.pause();
    const conn = gate.open(request, new RecordingHandlers());
    expect(inner.opened).toHaveLength(0);
    expect(conn.bufferedAmount).toBe(0);
    expect(() => conn.send('x')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_STATE' }));
    gate.resume();
    expect(inner.opened).toHaveLength(1);
    expect(conn.bufferedAmount).toBe(7);
  });

  it('a held attempt ended by the session reports its end once and never starts', async () => {
    const inner = countingTransport();
    const gate = onlineGate(inner);
    gate.pause();
    const handlers = new RecordingHandlers();
    const conn = gate.open(request, handlers);
    conn.terminate();
    conn.close();
    await settle();
    gate.resume();
    expect(inner.opened).toHaveLength(0);
    expect(handlers.closes).toEqual([{ code: 1006, reason: '', wasClean: false, beforeOpen: true }]);
  });
});
