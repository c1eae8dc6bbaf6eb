/**
 * The demo chat: Keel's `connect()` from the built `keel` package, the bundled server's chat
 * protocol, and a panel that shows what the session is doing.
 *
 * URL parameters (all optional): name, room (both given: join at once), heartbeat (ping interval,
 * ms), heartbeatTimeout (ms), path (server path, default /chat).
 */
import { connect, resumable } from 'keel';
import { ChatClient } from './chat-client.js';
import { domChatView } from './chat-view.js';
import { ConnectionPanel } from './connection-panel.js';
import { faultSwitches } from './fault-switches.js';

const params = new URLSearchParams(location.search);
const numberParam = (name: string): number | undefined => {
  const value = params.get(name);
  return value === null || value === '' || Number.isNaN(Number(value)) ? undefined : Number(value);
};

const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${params.get('path') ?? '/chat'}`;
const panel = new ConnectionPanel(document);
panel.server(url);

const session = connect(url, {
  protocols: ['keel.chat.v1'],
  // SockJS cannot negotiate in its handshake; the bundled server answers Keel's in-band offer.
  subprotocolFallback: 'in-band',
  heartbeat: { interval: numberParam('heartbeat') ?? 5_000, timeout: numberParam('heartbeatTimeout') ?? 5_000 },
  reconnect: { initialDelay: 1_000, maxDelay: 10_000 },
  // Resumable sessions (docs/resume-protocol.md): the bundled server offers them, so nothing in
  // flight is lost across a reconnect, either way; the panel shows the guarantee in force.
  resume: resumable(),
});
// Sent messages stay queued until the server acknowledges them (in batches): keep the count fresh.
setInterval(() => panel.queued(session.queued), 250);

const chatView = domChatView(document);
const chat = new ChatClient((text) => {
  const outcome = session.send(text);
  panel.queued(session.queued);
  return outcome;
}, chatView);

session.on('state', (state) => {
  panel.state(state);
  panel.queued(session.queued);
  panel.log(state);
});
// The first open is a connection, whatever failed before it (a fallback to SockJS comes after
// failed native attempts); only later ones are reconnections.
let connectedBefore = false;
session.on('open', (info) => {
  panel.transport(info.transport);
  // SockJS reaches the same path over HTTP first (its /info request, then streaming or polling).
  panel.server(info.transport === 'sockjs' ? `${url.replace(/^ws/, 'http')} (SockJS)` : url);
  panel.protocol(info.protocol);
  panel.delivery(info.delivery, info.resumed);
  const after = info.attempt > 0 ? ` after ${info.attempt} failed attempt${info.attempt === 1 ? '' : 's'}` : '';
  panel.log(`${connectedBefore ? 'reconnected' : 'connected'} over ${info.transport}${after}${info.resumed ? ', resumed' : ''}`);
  connectedBefore = true;
  chat.rejoin();
  // The queue is flushed as the connection opens; show the count once it has drained. One
  // heartbeat probe right away gives the panel a round-trip time without waiting an interval.
  queueMicrotask(() => {
    panel.queued(session.queued);
    session.probe();
  });
});
session.on('reconnecting', (info) => {
  panel.reconnecting(info.attempt, info.delay);
  const why = info.reason.error === undefined ? '' : ` ${describe(info.reason.error)}`;
  panel.log(
    `closed ${info.reason.code}${info.reason.reason ? ` "${info.reason.reason}"` : ''}${why}; retry ${info.attempt} in ${info.delay} ms`,
  );
});
session.on('rtt', (rtt) => panel.rtt(rtt));
// Never silent: a session the server could not resume (a new server process without the state).
session.on('notResumed', (info) => {
  const lost = info.lostReceived === undefined ? 'unknown' : String(info.lostReceived);
  panel.log(`not resumed (${info.reason}): ${info.lostSent.length} sent lost, ${info.unconfirmedSent.length} unconfirmed, ${lost} missed`);
});
session.on('message', (data) => {
  if (typeof data === 'string') chat.receive(data);
});
session.on('close', (info) => {
  panel.log(`session closed: ${info.code}${info.error ? ` ${info.error.code}` : ''}`);
  // The session has given up for good (the server said stop): say so instead of a dead composer.
  chatView.notice(
    `Disconnected for good (close code ${info.code}${info.reason ? `, "${info.reason}"` : ''}). Reload the page to connect again.`,
  );
  for (const id of ['text', 'send']) (document.getElementById(id) as HTMLTextAreaElement | HTMLButtonElement).disabled = true;
});
session.on('error', (error) => panel.log(`error: ${describe(error)}`));

/** A Keel error's stable code first (what a program would switch on), then its message. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code} (${message})` : message;
}

faultSwitches(document, (line) => panel.log(line));

const nameInput = document.getElementById('name') as HTMLInputElement;
const roomInput = document.getElementById('room') as HTMLInputElement;
const text = document.getElementById('text') as HTMLTextAreaElement;

function join(): void {
  const name = nameInput.value.trim();
  const room = roomInput.value.trim();
  if (name === '' || room === '') return;
  chat.join(room, name);
}

function sendTyped(): void {
  const value = text.value;
  if (value.trim() === '') return;
  chat.say(value);
  text.value = '';
}

document.getElementById('join-form')?.addEventListener('submit', (event) => {
  event.preventDefault();
  join();
});
document.getElementById('change-room')?.addEventListener('click', () => {
  // Back to the form; joining another room leaves this one (the server moves the connection).
  (document.getElementById('chat') as HTMLElement).hidden = true;
  (document.getElementById('join') as HTMLElement).hidden = false;
  roomInput.select();
});
document.getElementById('composer')?.addEventListener('submit', (event) => {
  event.preventDefault();
  sendTyped();
});
text.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    sendTyped();
  }
});

nameInput.value = params.get('name') ?? '';
roomInput.value = params.get('room') ?? roomInput.value;
if (params.has('name') && params.has('room')) join();

// For the end-to-end tests and the curious: the live session in the console.
(globalThis as { keelDemo?: unknown }).keelDemo = { session, chat };
