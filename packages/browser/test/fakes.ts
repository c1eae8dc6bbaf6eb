import type { Clock, TimerHandle, TransportCloseInfo, TransportEventHandlers, TransportMessage } from '@keel/session';
import type { SockJSClientOptions, SockJSLike } from '../src/sockjs-like.js';
import type { WebSocketLike } from '../src/web-socket-like.js';
import { openSockJSConnection } from '../src/sockjs-connection.js';
import type { SockJSModule } from '../src/sockjs-loader.js';
import { checkSockJSEndpoint, type FetchLike } from '../src/sockjs-evidence.js';

/** A WebSocket the test drives by hand: every instance is recorded in `FakeWebSocket.instances`. */
export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];
  binaryType = 'blob';
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  readonly sent: Array<string | ArrayBufferView | ArrayBuffer> = [];
  readonly closeCalls: Array<[number | undefined, string | undefined]> = [];

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    if (url.startsWith('bad')) throw new SyntaxError('bad url');
    FakeWebSocket.instances.push(this);
  }
  send(data: string | ArrayBufferView | ArrayBuffer): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    // The browser's own rules (WHATWG close()), so a test fails if the transport breaks them.
    if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) throw new DOMException('bad code', 'InvalidAccessError');
    if (reason !== undefined && new TextEncoder().encode(reason).length > 123) throw new DOMException('reason too long', 'SyntaxError');
    this.closeCalls.push([code, reason]);
  }
  serverOpen(protocol = ''): void {
    this.protocol = protocol;
    this.onopen?.(new Event('open'));
  }
  serverMessage(data: string | ArrayBuffer): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
  serverClose(code: number, reason = '', wasClean = true): void {
    this.onclose?.(new CloseEvent('close', { code, reason, wasClean }));
  }
  /** How a browser reports a refused or failed connection: error, then close 1006. */
  fail(): void {
    this.onerror?.(new Event('error'));
    this.serverClose(1006, '', false);
  }
}

/** A SockJS the test drives by hand: every instance is recorded in `FakeSockJS.instances`. */
export class FakeSockJS implements SockJSLike {
  static instances: FakeSockJS[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  onclose: ((event: { readonly code: number; readonly reason: string; readonly wasClean: boolean }) => void) | null = null;
  readonly sent: string[] = [];
  readonly closeCalls: Array<[number | undefined, string | undefined]> = [];

  constructor(
    readonly url: string,
    readonly reserved: undefined,
    readonly options: SockJSClientOptions,
  ) {
    FakeSockJS.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) throw new Error('InvalidAccessError: Invalid code');
    this.closeCalls.push([code, reason]);
  }
  serverOpen(): void {
    this.onopen?.({});
  }
  serverMessage(data: string): void {
    this.onmessage?.({ data });
  }
  serverClose(code: number, reason = '', wasClean = true): void {
    this.onclose?.({ code, reason, wasClean });
  }
}

/** Records what a transport reports to the session. */
export class RecordingHandlers implements TransportEventHandlers {
  readonly opens: Array<{ protocol: string; extensions: string }> = [];
  readonly messages: TransportMessage[] = [];
  readonly closes: TransportCloseInfo[] = [];
  onOpen(info: { readonly protocol: string; readonly extensions: string }): void {
    this.opens.push({ ...info });
  }
  onMessage(data: TransportMessage): void {
    this.messages.push(data);
  }
  onClose(info: TransportCloseInfo): void {
    this.closes.push(info);
  }
}

/** A clock whose time moves only when the test says so. */
export class ManualClock implements Clock {
  private time = 1_000_000;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + delayMs, callback });
    return id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}

/**
 * An explicit flush hook, not a sleep: resolves after one macrotask, by which time every microtask
 * queued before it has run, chains of promise continuations included (the microtask queue drains
 * completely before the next task). The fakes here deliver synchronously or through promises and
 * their timers are on FakeClock, so nothing else is pending; the 0 ms is one turn, not a wait.
 */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The SockJS transport's `load` option for tests: FakeSockJS with Keel's real connection code. */
export const loadFakeSockJS = (): Promise<SockJSModule> =>
  Promise.resolve({ SockJS: FakeSockJS, openSockJSConnection, checkSockJSEndpoint });

/**
 * A fetch for the fallback's look at `<endpoint>/info` (sockjs-evidence.ts): 'answered' answers as a
 * SockJS endpoint does, 'missing' as a plain server does (404), 'unreachable' as a server that is
 * down (every request rejects). Each requested URL and mode is recorded in `requests`.
 */
export function infoFetch(server: 'answered' | 'missing' | 'unreachable'): FetchLike & { requests: string[] } {
  const requests: string[] = [];
  const fetchLike = async (url: string, init: { readonly mode: string }) => {
    requests.push(`${init.mode} ${url}`);
    if (server === 'unreachable') throw new TypeError('Failed to fetch');
    const ok = server === 'answered';
    return {
      ok,
      json: async (): Promise<unknown> =>
        ok ? { websocket: true, origins: ['*:*'], cookie_needed: false, entropy: 1 } : JSON.parse('<html>'),
    };
  };
  return Object.assign(fetchLike, { requests });
}
