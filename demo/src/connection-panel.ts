import { clockTime } from './clock-time.js';

/**
 * The connection panel: state, transport, subprotocol, the delivery guarantee, the reconnect
 * countdown with its attempt number, the heartbeat's round-trip time and the number of queued
 * messages (with resumable sessions: also those sent and not yet acknowledged). It only displays
 * what Keel's session events report.
 */
export class ConnectionPanel {
  readonly #root: Document;
  #countdown: ReturnType<typeof setInterval> | undefined;

  constructor(root: Document) {
    this.#root = root;
  }

  #field(id: string): HTMLElement {
    return this.#root.getElementById(id) as HTMLElement;
  }

  state(state: string): void {
    const element = this.#field('state');
    element.textContent = state;
    element.dataset.state = state;
    if (state !== 'reconnecting') this.#stopCountdown(state === 'open' ? '—' : undefined);
    // A round trip measured on a connection that is gone says nothing about the next one.
    if (state !== 'open') this.#field('rtt').textContent = '—';
  }

  transport(name: string): void {
    this.#field('transport').textContent = name === 'sockjs' ? 'SockJS' : name === 'websocket' ? 'WebSocket' : name;
  }

  protocol(protocol: string): void {
    this.#field('protocol').textContent = protocol === '' ? 'none' : protocol;
  }

  /** The guarantee in force on this connection (README, "Delivery semantics"), and whether it resumed the last one. */
  delivery(delivery: 'exactly-once' | 'at-most-once-in-flight', resumed: boolean): void {
    const field = this.#field('delivery');
    field.textContent = `${delivery === 'exactly-once' ? 'exactly once' : 'at most once in flight'}${resumed ? ' · resumed' : ''}`;
    field.dataset.delivery = delivery;
    field.dataset.resumed = String(resumed);
  }

  /** Counts down to the next attempt, updating every 100 ms. */
  reconnecting(attempt: number, delayMs: number): void {
    this.#stopCountdown(undefined);
    const due = Date.now() + delayMs;
    const field = this.#field('reconnect');
    field.dataset.attempt = String(attempt);
    const tick = (): void => {
      const left = Math.max(0, due - Date.now());
      field.textContent = left > 0 ? `attempt ${attempt} in ${(left / 1000).toFixed(1)} s` : `attempt ${attempt} now`;
      if (left === 0) this.#stopCountdown(undefined);
    };
    tick();
    this.#countdown = setInterval(tick, 100);
  }

  rtt(ms: number): void {
    this.#field('rtt').textContent = `${Math.round(ms)} ms`;
  }

  queued(count: number): void {
    this.#field('queued').textContent = String(count);
  }

  server(text: string): void {
    this.#field('server').textContent = text;
  }

  /** One line in the panel's event log, newest first, at most 30 lines. */
  log(text: string): void {
    const list = this.#field('log');
    const item = this.#root.createElement('li');
    item.textContent = `${clockTime(Date.now())} ${text}`;
    list.prepend(item);
    while (list.children.length > 30) list.lastElementChild?.remove();
  }

  #stopCountdown(text: string | undefined): void {
    if (this.#countdown !== undefined) clearInterval(this.#countdown);
    this.#countdown = undefined;
    if (text !== undefined) this.#field('reconnect').textContent = text;
  }
}
