import { describe, expect, it } from 'vitest';
import { resumable, type NotResumedInfo } from '../src/resume.js';
import { lost, settle } from './helpers/fake-transport.js';
import { harness } from './helpers/session-harness.js';

const HELLO = '{"type":"keel:hello","features":["heartbeat","resume"]}';
const resumed = (session: string, received: number) => JSON.stringify({ type: 'keel:resumed', session, resumed: true, received });
const fresh = (session: string) =>
  JSON.stringify({ type: 'keel:resumed', session, resumed: false, reason: 'unknown-session', received: null, sent: null });
const request = (session: string | null, received: number, from: number) =>
  JSON.stringify({ type: 'keel:resume', session, received, from });

/** A resume session whose first connection completed the handshake as session "s1". */
async function opened(options = {}) {
  const h = await harness({ resume: resumable({ helloTimeout: 500, ackEvery: 3, ackDelay: 50 }), ...options });
  const notResumed: NotResumedInfo[] = [];
  h.session.on('notResumed', (info) => notResumed.push(info));
  h.transport.last.open();
  h.transport.last.receive(HELLO);
  h.transport.last.receive(fresh('s1'));
  return { ...h, notResumed };
}

async function reconnect(h: Awaited<ReturnType<typeof harness>>) {
  h.transport.last.end(lost);
  h.clock.advance(1000);
  await settle();
  h.transport.last.open();
  h.transport.last.receive(HELLO);
}

describe('resumable sessions (docs/resume-protocol.md), client side', () => {
  it('without the option: a hello offering resume is consumed, nothing of the protocol is sent, delivery at-most-once-in-flight', async () => {
    const { transport, of, session } = await harness();
    transport.last.open();
    transport.last.receive(HELLO);
    session.send('a');
    expect(transport.last.sent).toEqual(['a']);
    expect(of('open')[0]?.[0]).toMatchObject({ resumed: false, delivery: 'at-most-once-in-flight' });
  });

  it('sends nothing until the hello, then its request; opens exactly-once after the answer and flushes what was queued', async () => {
    const { transport, of, session } = await harness({ resume: resumable() });
    transport.last.open();
    expect(session.send('queued')).toBe('queued');
    expect(session.state).toBe('connecting');
    transport.last.receive(HELLO);
    expect(transport.last.sent).toEqual([request(null, 0, 1)]);
    transport.last.receive(fresh('s1'));
    expect(of('open')).toEqual([
      [{ protocol: '', extensions: '', transport: 'fake', attempt: 0, resumed: false, delivery: 'exactly-once' }],
    ]);
    expect(transport.last.sent.slice(1)).toEqual(['queued']);
    expect(of('message')).toEqual([]);
  });

  it("keeps sent messages until acknowledged and replays from the server's last received after a reconnect", async () => {
    const h = await opened();
    const { transport, session, of } = h;
    for (const m of ['m1', 'm2', 'm3']) expect(session.send(m)).toBe('sent');
    transport.last.receive('{"type":"keel:ack","received":1}');
    expect(session.queued).toBe(2);
    await reconnect(h);
    expect(transport.last.sent).toEqual([request('s1', 0, 2)]);
    session.send('m4');
    transport.last.receive(resumed('s1', 2));
    // m2 reached the server before the cut (it said received 2): only m3 is replayed, then m4.
    expect(transport.last.sent.slice(1)).toEqual(['m3', 'm4']);
    expect(of('open').at(-1)?.[0]).toMatchObject({ resumed: true, delivery: 'exactly-once' });
    expect(h.notResumed).toEqual([]);
  });

  it("counts the server's messages, acknowledges every ackEvery or after ackDelay, and names the last one in its request", async () => {
    const h = await opened();
    const { transport, clock, of } = h;
    for (const m of ['a', 'b', 'c', 'd']) transport.last.receive(m);
    expect(transport.last.sent.slice(1)).toEqual(['{"type":"keel:ack","received":3}']);
    clock.advance(50);
    expect(transport.last.sent.slice(2)).toEqual(['{"type":"keel:ack","received":4}']);
    await reconnect(h);
    expect(transport.last.sent).toEqual([request('s1', 4, 1)]);
    transport.last.receive(resumed('s1', 0));
    transport.last.receive('e');
    expect(of('message').map(([m]) => m)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('escapes application texts that look like control messages, and unescapes them on receipt', async () => {
    const { transport, session, of } = await opened();
    const tricky = '{"type":"keel:ack","received":99}';
    session.send(tricky);
    expect(transport.last.sent.at(-1)).toBe(JSON.stringify({ type: 'keel:app', data: tricky }));
    transport.last.receive(JSON.stringify({ type: 'keel:app', data: tricky }));
    expect(of('message')).toEqual([[tricky]]);
  });

  it('an expired window: notResumed hands back what the server did not get and counts what it sent that never came', async () => {
    const h = await opened();
    const { transport, session, of } = h;
    for (const m of ['m1', 'm2', 'm3']) session.send(m);
    transport.last.receive('x');
    await reconnect(h);
    session.send('m4');
    transport.last.receive(
      JSON.stringify({ type: 'keel:resumed', session: 's2', resumed: false, reason: 'expired', received: 1, sent: 5 }),
    );
    expect(h.notResumed).toEqual([{ reason: 'expired', lostSent: ['m2', 'm3'], unconfirmedSent: [], lostReceived: 4 }]);
    // The never-sent m4 starts the new session.
    expect(transport.last.sent.slice(1)).toEqual(['m4']);
    expect(of('open').at(-1)?.[0]).toMatchObject({ resumed: false, delivery: 'exactly-once' });
  });

  it('a server without the state: what was not acknowledged is handed back as unconfirmed, the loss from the server unknown', async () => {
    const h = await opened();
    h.session.send('m1');
    await reconnect(h);
    h.transport.last.receive(fresh('s9'));
    expect(h.notResumed).toEqual([{ reason: 'unknown-session', lostSent: [], unconfirmedSent: ['m1'], lostReceived: undefined }]);
  });

  it("a server that does not offer resume (no hello within helloTimeout): today's semantics; the first message is delivered", async () => {
    const { transport, clock, session, of } = await harness({ resume: resumable({ helloTimeout: 500 }) });
    transport.last.open();
    session.send('early');
    clock.advance(499);
    expect(transport.last.sent).toEqual([]);
    clock.advance(1);
    expect(transport.last.sent).toEqual(['early']);
    expect(of('open')[0]?.[0]).toMatchObject({ resumed: false, delivery: 'at-most-once-in-flight' });
    transport.last.receive('hi');
    expect(of('message')).toEqual([['hi']]);
  });

  it('a plain first message ends the wait at once and is delivered; a later server without resume reports what is unconfirmed', async () => {
    const h = await opened();
    h.session.send('m1');
    h.transport.last.end(lost);
    h.clock.advance(1000);
    await settle();
    h.transport.last.open();
    h.transport.last.receive('plain');
    expect(h.of('message').map(([m]) => m)).toEqual(['plain']);
    expect(h.notResumed).toEqual([{ reason: 'unsupported', lostSent: [], unconfirmedSent: ['m1'], lostReceived: undefined }]);
  });

  it('no answer to the request within helloTimeout drops the connection (ERR_RESUME_TIMEOUT) and reconnects', async () => {
    const { transport, clock, session, of } = await harness({ resume: resumable({ helloTimeout: 500 }) });
    transport.last.open();
    transport.last.receive(HELLO);
    clock.advance(500);
    expect(transport.last.terminated).toBe(true);
    expect(session.state).toBe('reconnecting');
    expect(of('error').map(([e]) => (e as { code: string }).code)).toEqual(['ERR_RESUME_TIMEOUT']);
  });

  it('resumable() refuses impossible values with ERR_INVALID_OPTION; the option takes only what resumable() makes', async () => {
    for (const bad of [{ helloTimeout: 0 }, { ackEvery: 0 }, { ackDelay: -1 }, { ackEvery: Number.NaN }]) {
      expect(() => resumable(bad)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    }
    await expect(harness({ resume: true as never })).rejects.toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    await expect(harness({ resume: resumable(), heartbeat: { pingMessage: 'p' } })).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('a queued binary message that meets a text-only connection (SockJS after a fallback) is dropped and reported; the rest flows', async () => {
    const h = await opened();
    h.transport.last.end(lost);
    h.session.send(new Uint8Array([1, 2]));
    h.session.send('after');
    h.clock.advance(1000);
    await settle();
    h.transport.last.textOnly = true;
    h.transport.last.open();
    h.transport.last.receive(HELLO);
    h.transport.last.receive(resumed('s1', 0));
    expect(h.transport.last.sent.slice(1)).toEqual(['after']);
    expect(h.of('drop').map(([d]) => d.reason)).toEqual(['binary-unsupported']);
    h.transport.last.receive('{"type":"keel:ack","received":1}');
    expect(h.session.queued).toBe(0);
  });

  it('the queue bounds cover unacknowledged messages: reject throws ERR_QUEUE_FULL, drop-oldest drops the oldest unacknowledged', async () => {
    const rejecting = await opened({ queue: { maxMessages: 2 } });
    rejecting.session.send('a');
    rejecting.session.send('b');
    expect(() => rejecting.session.send('c')).toThrow(expect.objectContaining({ code: 'ERR_QUEUE_FULL' }));
    const dropping = await opened({ queue: { maxMessages: 2, overflow: 'drop-oldest' } });
    for (const m of ['a', 'b', 'c']) dropping.session.send(m);
    expect(dropping.of('drop').map(([d]) => d.message)).toEqual(['a']);
    await reconnect(dropping);
    // a was given up: the oldest held is b (seq 2).
    expect(dropping.transport.last.sent).toEqual([request('s1', 0, 2)]);
  });
});
