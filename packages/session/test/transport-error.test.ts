import { describe, expect, it } from 'vitest';
import { SessionError } from '../src/session-error.js';
import { FakeTransport } from './helpers/fake-transport.js';
import { harness } from './helpers/session-harness.js';

// TransportCloseInfo.error is typed as one of Keel's errors (a stable string `code`), so that
// `reason.error?.code` compiles (issue 11 #5). Whatever a transport's open() throws must then
// arrive in that shape.
describe('the error a reconnecting event carries', () => {
  it('wraps a plain Error thrown by open() in ERR_TRANSPORT, keeping it as cause', async () => {
    const transport = new FakeTransport();
    const thrown = new Error('socket exploded');
    transport.throwOnOpen = thrown;
    const { of, session } = await harness({}, transport);
    const [[info]] = of('reconnecting');
    expect(info.reason.error).toBeInstanceOf(SessionError);
    expect(info.reason.error?.code).toBe('ERR_TRANSPORT');
    expect(info.reason.error?.message).toContain('socket exploded');
    expect(info.reason.error?.cause).toBe(thrown);
    await session.close();
  });

  it('wraps a thrown non-Error value too', async () => {
    const transport = new FakeTransport();
    transport.throwOnOpen = 'nope';
    const { of, session } = await harness({}, transport);
    const [[info]] = of('reconnecting');
    expect(info.reason.error?.code).toBe('ERR_TRANSPORT');
    expect(info.reason.error?.cause).toBe('nope');
    await session.close();
  });

  it('passes one of Keel’s errors (a string code) through as it is', async () => {
    const transport = new FakeTransport();
    const thrown = Object.assign(new Error('refused'), { code: 'ERR_HANDSHAKE_STATUS' });
    transport.throwOnOpen = thrown;
    const { of, session } = await harness({}, transport);
    const [[info]] = of('reconnecting');
    expect(info.reason.error).toBe(thrown);
    await session.close();
  });
});
