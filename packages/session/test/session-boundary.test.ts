import { describe, expect, it } from 'vitest';
import { FakeTransport } from './helpers/fake-transport.js';
import { harness } from './helpers/session-harness.js';

// Issue 12 crash 1: in the closing window (a server's Close arrived, TCP still open) the transport
// refuses ping()/close(); a heartbeat ping then threw from a timer and killed the process, and
// close()/probe() threw synchronously.
describe('the session never throws because of a transport state', () => {
  it('a heartbeat ping that falls due while the transport refuses is swallowed; the close event then ends the connection', async () => {
    const { transport, clock, session } = await harness({ heartbeat: { interval: 1000, timeout: 500 } });
    transport.last.open();
    transport.last.refusing = true;
    expect(() => clock.advance(1000)).not.toThrow();
    expect(() => session.probe()).not.toThrow();
    transport.last.end({ code: 1000, reason: '', wasClean: true, beforeOpen: false });
    expect(session.state).toBe('closed');
  });

  it('an application-level ping or pong the transport refuses is swallowed too', async () => {
    const { transport, clock } = await harness(
      { heartbeat: { interval: 1000, timeout: 500, mode: 'message' } },
      new FakeTransport({ protocolPing: false }),
    );
    transport.last.open();
    transport.last.refusing = true;
    expect(() => clock.advance(1000)).not.toThrow();
    expect(() => transport.last.receive('{"type":"ping"}')).not.toThrow();
  });

  it('close() while the transport refuses: does not throw, tears the connection down, and the session closes', async () => {
    const { transport, session } = await harness();
    transport.last.open();
    transport.last.refusing = true;
    let closing: Promise<unknown> | undefined;
    expect(() => (closing = session.close(1000, 'bye'))).not.toThrow();
    expect(transport.last.terminated).toBe(true);
    expect(session.state).toBe('closed');
    await closing;
  });
});
