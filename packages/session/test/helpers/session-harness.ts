import { createSession, type Session } from '../../src/session.js';
import type { SessionOptions } from '../../src/options.js';
import type { SessionEvents } from '../../src/session-events.js';
import { FakeClock } from './fake-clock.js';
import { FakeTransport, settle } from './fake-transport.js';

type Recorded = { [K in keyof SessionEvents]: { event: K; args: SessionEvents[K] } }[keyof SessionEvents];

/** A session over a fake transport and clock, with every event recorded in order. */
export async function harness(options: Partial<SessionOptions> = {}, transport = new FakeTransport()) {
  const clock = new FakeClock();
  const session: Session = createSession({
    url: 'ws://example.test/',
    random: () => 0.5,
    reconnect: { initialDelay: 100, maxDelay: 1000, minUptime: 1000 },
    heartbeat: false,
    ...options,
    transport,
    clock,
  });
  const events: Recorded[] = [];
  const names: Array<keyof SessionEvents> = ['state', 'open', 'message', 'close', 'reconnecting', 'error', 'ping', 'rtt', 'drop'];
  for (const name of names) {
    session.on(name, (...args: unknown[]) => events.push({ event: name, args } as Recorded));
  }
  await settle();
  const of = <K extends keyof SessionEvents>(name: K): Array<SessionEvents[K]> =>
    events.filter((e) => e.event === name).map((e) => e.args as SessionEvents[K]);
  const states = () => of('state').map(([state]) => state);
  return { clock, session, transport, events, of, states };
}
