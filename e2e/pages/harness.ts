/**
 * The page the end-to-end tests drive with page.evaluate(): the built `keel` package, bundled by
 * Vite as a front-end app would, exposed as `window.keel`. Every session opened here is recorded
 * with what it received, so a test can read it back without its own listeners.
 */
import * as keel from 'keel';

interface Recorded {
  readonly session: ReturnType<typeof keel.connect>;
  readonly received: (string | number[])[];
  /** 'open <transport> <protocol>', 'state <state>', 'reconnecting <attempt>', 'transport <name>', 'fallback <reason>', 'close <code> [<error code>]'. */
  readonly events: string[];
  /** Date.now() of each entry of `events`. */
  readonly times: number[];
}

const sessions: Recorded[] = [];

/**
 * The server's heartbeat opt-in (`{"type":"keel:hello",...}`, README): sessions from before the
 * session layer consumed it deliver it as a message; it is not the app's, so it is not recorded.
 */
function isHello(data: string): boolean {
  return data.startsWith('{"type":"keel:hello"');
}

/** connect() plus a record of every message (binary as an array of byte values) and event. */
function open(url: string, options: Parameters<typeof keel.connect>[1] = {}): number {
  const events: string[] = [];
  const times: number[] = [];
  const note = (event: string): void => {
    events.push(event);
    times.push(Date.now());
  };
  const fallback =
    options.fallback === false
      ? false
      : {
          ...options.fallback,
          onTransportChange: (name: string) => note(`transport ${name}`),
          onFallback: (event: { readonly reason: string }) => note(`fallback ${event.reason}`),
        };
  const session = keel.connect(url, { ...options, fallback });
  const record: Recorded = { session, received: [], events, times };
  session.on('message', (data) => {
    if (typeof data !== 'string') record.received.push(Array.from(data));
    else if (!isHello(data)) record.received.push(data);
  });
  session.on('open', (info) => note(`open ${info.transport} ${info.protocol}`));
  session.on('state', (state) => note(`state ${state}`));
  session.on('reconnecting', (info) => note(`reconnecting ${info.attempt}`));
  session.on('close', (info) => note(`close ${info.code}${info.error ? ` ${info.error.code}` : ''}`));
  sessions.push(record);
  return sessions.length - 1;
}

Object.assign(globalThis, { keel, harness: { open, sessions } });
(document.getElementById('status') as HTMLElement).textContent = 'ready';
