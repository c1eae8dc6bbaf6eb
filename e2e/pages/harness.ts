/**
 * The page the end-to-end tests drive with page.evaluate(): the built `keel` package, bundled by
 * Vite as a front-end app would, exposed as `window.keel`. Every session opened here is recorded
 * with what it received, so a test can read it back without its own listeners.
 */
import * as keel from 'keel';

interface Recorded {
  readonly session: ReturnType<typeof keel.connect>;
  readonly received: (string | number[])[];
  readonly events: string[];
}

const sessions: Recorded[] = [];

/** connect() plus a record of every message (binary as an array of byte values) and event. */
function open(url: string, options: Parameters<typeof keel.connect>[1]): number {
  const session = keel.connect(url, options);
  const record: Recorded = { session, received: [], events: [] };
  session.on('message', (data) => record.received.push(typeof data === 'string' ? data : Array.from(data)));
  session.on('open', (info) => record.events.push(`open ${info.transport} ${info.protocol}`));
  session.on('state', (state) => record.events.push(`state ${state}`));
  session.on('close', (info) => record.events.push(`close ${info.code}${info.error ? ` ${info.error.code}` : ''}`));
  sessions.push(record);
  return sessions.length - 1;
}

Object.assign(globalThis, { keel, harness: { open, sessions } });
(document.getElementById('status') as HTMLElement).textContent = 'ready';
