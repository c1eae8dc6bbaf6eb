import type { KeelError } from '../protocol/errors.js';

/**
 * Events shaped like the WHATWG ones (Event, MessageEvent, CloseEvent), so browser code that
 * reads `event.data`, `event.code`, `event.reason`, `event.wasClean` or `event.target` runs
 * unchanged. They are plain classes: Node's own Event/EventTarget cost microseconds per
 * dispatch, which a message path of millions of events per second cannot pay.
 */
export class WebSocketEvent {
  readonly type: string;

  target: unknown = null;
  currentTarget: unknown = null;
  readonly bubbles = false;
  readonly cancelable = false;
  readonly defaultPrevented = false;
  readonly isTrusted = false;

  constructor(type: string) {
    this.type = type;
  }

  /** performance.now() when read, not at creation: taking it for every event costs more than delivering one. */
  get timeStamp(): number {
    return performance.now();
  }

  preventDefault(): void {}
  stopPropagation(): void {}
  stopImmediatePropagation(): void {}
}

/**
 * `message` (WHATWG MessageEvent): data is a string, an ArrayBuffer, a Blob or (Node) a Buffer.
 * A class of its own, not a WebSocketEvent subclass: one constructor shared by five event
 * classes goes megamorphic in V8 and made every message event ~10× slower to build.
 */
export class WebSocketMessageEvent<Data = unknown> {
  readonly type = 'message';
  readonly data: Data;
  readonly origin: string;
  target: unknown = null;
  currentTarget: unknown = null;

  constructor(data: Data, origin: string) {
    this.data = data;
    this.origin = origin;
  }

  get lastEventId(): string {
    return '';
  }

  get source(): null {
    return null;
  }

  get ports(): readonly never[] {
    return [];
  }

  get timeStamp(): number {
    return performance.now();
  }

  get bubbles(): boolean {
    return false;
  }

  get cancelable(): boolean {
    return false;
  }

  get defaultPrevented(): boolean {
    return false;
  }

  preventDefault(): void {}
  stopPropagation(): void {}
  stopImmediatePropagation(): void {}
}

/** `close` (WHATWG CloseEvent) plus `error`: why the connection failed, null for a normal closure. */
export class WebSocketCloseEvent extends WebSocketEvent {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  readonly error: KeelError | null;

  constructor(code: number, reason: string, wasClean: boolean, error: KeelError | null) {
    super('close');
    this.code = code;
    this.reason = reason;
    this.wasClean = wasClean;
    this.error = error;
  }
}

/** `error`: the typed KeelError (stable `code`, `closeCode`) and its message. */
export class WebSocketErrorEvent extends WebSocketEvent {
  readonly error: KeelError;
  readonly message: string;

  constructor(error: KeelError) {
    super('error');
    this.error = error;
    this.message = error.message;
  }
}

/** Node extras `ping` and `pong`: the control frame's payload. */
export class WebSocketControlEvent extends WebSocketEvent {
  readonly data: Buffer;

  constructor(type: 'ping' | 'pong', data: Buffer) {
    super(type);
    this.data = data;
  }
}

export type EventListenerLike<E> = ((event: E) => void) | { handleEvent(event: E): void };

interface Registration {
  readonly listener: EventListenerLike<never>;
  readonly once: boolean;
}

/**
 * addEventListener / removeEventListener / dispatchEvent with the WHATWG rules that matter to
 * callers (a listener registered twice runs once; `once`; removal during dispatch takes effect;
 * a throwing listener does not stop the others — it is reported as an uncaught exception).
 */
export class WebSocketEventTarget {
  /** The on<type> handlers, created when the first is set (see defineHandlerProperties). */
  handlerSlots: HandlerSlots | null = null;
  /** Created on the first addEventListener: most sockets only use on* handlers. */
  private listenerMap: Map<string, Registration[]> | null = null;

  private get listeners(): Map<string, Registration[]> {
    return (this.listenerMap ??= new Map());
  }

  addEventListener(type: string, listener: EventListenerLike<never> | null, options?: boolean | { once?: boolean }): void {
    if (listener === null || listener === undefined) return;
    const list = this.listeners.get(type) ?? [];
    if (list.some((entry) => entry.listener === listener)) return;
    list.push({ listener, once: typeof options === 'object' && options.once === true });
    this.listeners.set(type, list);
  }

  removeEventListener(type: string, listener: EventListenerLike<never> | null): void {
    const list = this.listeners.get(type);
    if (list === undefined) return;
    const index = list.findIndex((entry) => entry.listener === listener);
    if (index === -1) return;
    // Copy on write, so a dispatch in progress keeps iterating its own snapshot.
    const next = list.slice();
    next.splice(index, 1);
    if (next.length === 0) this.listeners.delete(type);
    else this.listeners.set(type, next);
  }

  dispatchEvent(event: WebSocketEvent | WebSocketMessageEvent): boolean {
    event.target = this;
    event.currentTarget = this;
    const handler = this.handlerFor(event.type);
    if (handler !== null) invoke(handler, event);
    const list = this.listenerMap?.get(event.type);
    if (list !== undefined) {
      for (const entry of list) {
        if (entry.once) this.removeEventListener(event.type, entry.listener);
        else if (!this.listeners.get(event.type)?.includes(entry)) continue;
        invoke(entry.listener, event);
      }
    }
    return true;
  }

  /** Whether anything listens to `type` (so the dispatcher can skip building the event). */
  protected hasListeners(type: string): boolean {
    return this.handlerFor(type) !== null || (this.listenerMap?.has(type) ?? false);
  }

  /** The `on<type>` property handler, if set. */
  protected handlerFor(type: string): EventListenerLike<never> | null {
    const slots = this.handlerSlots;
    return slots === null ? null : ((slots[type as HandlerType] as EventListenerLike<never> | null | undefined) ?? null);
  }
}

const handlerTypes = ['open', 'message', 'error', 'close', 'ping', 'pong', 'drain'] as const;
type HandlerType = (typeof handlerTypes)[number];
/** One fixed shape, so reading a slot stays a fast property load. */
type HandlerSlots = Record<HandlerType, unknown>;

/** Defines onopen, onmessage, onerror, onclose, onping, onpong and ondrain on `prototype`. */
export function defineHandlerProperties(prototype: WebSocketEventTarget): void {
  for (const type of handlerTypes) {
    Object.defineProperty(prototype, `on${type}`, {
      enumerable: true,
      get(this: WebSocketEventTarget): unknown {
        return this.handlerSlots?.[type] ?? null;
      },
      set(this: WebSocketEventTarget, handler: unknown): void {
        const slots = (this.handlerSlots ??= { open: null, message: null, error: null, close: null, ping: null, pong: null, drain: null });
        // WHATWG: a non-callable value (other than an object) sets the handler to null.
        slots[type] = typeof handler === 'function' || (typeof handler === 'object' && handler !== null) ? handler : null;
      },
    });
  }
}

function invoke(listener: EventListenerLike<never>, event: WebSocketEvent | WebSocketMessageEvent): void {
  try {
    if (typeof listener === 'function') (listener as (event: unknown) => void)(event);
    else (listener as { handleEvent(event: unknown): void }).handleEvent(event);
  } catch (error) {
    // WHATWG "report the exception": the other listeners still run, the process sees it.
    queueMicrotask(() => {
      throw error;
    });
  }
}
