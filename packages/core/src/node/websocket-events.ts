import { UsageError, type KeelError } from '../protocol/errors.js';
import { shownValue } from './shown-value.js';

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
  /** No parents, so nothing to stop propagating to (DOM: sets the stop propagation flag). */
  stopPropagation(): void {}
  /** DOM: the listeners after the current one are not called for this event. */
  stopImmediatePropagation(): void {
    stopImmediately(this);
  }
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
  /** No parents, so nothing to stop propagating to (DOM: sets the stop propagation flag). */
  stopPropagation(): void {}
  /** DOM: the listeners after the current one are not called for this event. */
  stopImmediatePropagation(): void {
    stopImmediately(this);
  }
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

/** A listener as the DOM takes it: a function, or an object with `handleEvent` (a callback interface). */
export type EventListenerLike<E> = ((event: E) => void) | { handleEvent(event: E): void };

/** addEventListener's options (DOM §2.6): `capture` only matters as part of a listener's identity here (no tree, no phases). */
export interface AddEventListenerOptionsLike {
  readonly capture?: boolean;
  readonly once?: boolean;
  readonly signal?: AbortSignal;
}

const handlerTypes = ['open', 'message', 'error', 'close', 'ping', 'pong', 'drain'] as const;
type HandlerType = (typeof handlerTypes)[number];
/** What an on<type> property holds: a function, or (WebIDL [LegacyTreatNonObjectAsNull]) any object. */
type HandlerValue = object;
/** One fixed shape, so reading a slot stays a fast property load. */
type HandlerSlots = Record<HandlerType, HandlerValue | null>;

/**
 * One entry of an event listener list (DOM §2.7 "event listener"). A null `listener` marks the
 * entry of the on<type> event handler (HTML "event handlers"): it calls whatever the handler
 * property holds at dispatch time, so replacing a handler keeps its place.
 */
interface Registration {
  readonly listener: EventListenerLike<never> | null;
  readonly capture: boolean;
  readonly once: boolean;
}

type AnyEvent = WebSocketEvent | WebSocketMessageEvent;

/**
 * The event whose "stop immediate propagation flag" (DOM §2.2) is set, or null. One variable
 * instead of a field on every event: message events are made millions of times per second, and
 * only the event being dispatched can have it set (dispatch is synchronous).
 */
let immediatelyStopped: object | null = null;

function stopImmediately(event: object): void {
  immediatelyStopped = event;
}

/** The list entry of an on<type> event handler. */
function handlerEntry(): Registration {
  return { listener: null, capture: false, once: false };
}

/**
 * addEventListener / removeEventListener / dispatchEvent following the DOM Standard's steps for a
 * target with no parent: listeners run in registration order with `this` set to the target (or
 * the listener object, for `handleEvent`), on<type> handlers take their place in that order when
 * first set (HTML "event handlers"), `once` and `signal` remove a listener, a listener registered
 * twice runs once, and a throwing listener does not stop the others.
 */
export class WebSocketEventTarget {
  /** The on<type> handlers, created when the first is set (accessors defined below). */
  private handlerSlots: HandlerSlots | null = null;
  /**
   * Event listener lists, created on the first addEventListener: most sockets only set on*
   * handlers, which then live in handlerSlots alone. Invariant: when a type has a list and its
   * handler is set, the list holds exactly one handler entry, where the handler was first set.
   */
  private listenerMap: Map<string, Registration[]> | null = null;

  /** DOM §2.7 "add an event listener". */
  addEventListener(type: string, listener: EventListenerLike<never> | null, options?: boolean | AddEventListenerOptionsLike): void {
    // Step 2 (flatten more): a boolean is `capture`.
    const capture = typeof options === 'boolean' ? options : options?.capture === true;
    const once = typeof options === 'object' && options.once === true;
    const signal = typeof options === 'object' ? options.signal : undefined;
    // "If listener's signal is not null and is aborted, then return."
    if (signal?.aborted === true) return;
    // "If listener's callback is null, then return."
    if (listener === null || listener === undefined) return;
    // WebIDL: the callback is an object (a function, or one with handleEvent); a primitive is refused.
    if (typeof listener !== 'function' && typeof listener !== 'object') {
      throw new UsageError(
        'ERR_INVALID_ARGUMENT',
        `addEventListener() takes a function or an object with handleEvent(), got ${shownValue(listener)}`,
      );
    }
    const list = this.listFor(type);
    // "If eventTarget's event listener list does not contain an event listener whose type is
    // listener's type, callback is listener's callback, and capture is listener's capture, then append."
    if (list.some((entry) => entry.listener === listener && entry.capture === capture)) return;
    this.replaceList(type, [...list, { listener, capture, once }]);
    // "If listener's signal is not null, then add the following abort steps to it: remove an event listener."
    signal?.addEventListener('abort', () => this.removeEventListener(type, listener, { capture }), { once: true });
  }

  /** DOM §2.7 "remove an event listener" (matched by type, callback and capture). */
  removeEventListener(type: string, listener: EventListenerLike<never> | null, options?: boolean | { readonly capture?: boolean }): void {
    const capture = typeof options === 'boolean' ? options : options?.capture === true;
    const list = this.listenerMap?.get(type);
    if (list === undefined) return;
    this.removeEntry(
      type,
      list.find((entry) => entry.listener === listener && entry.capture === capture),
    );
  }

  /**
   * DOM §2.9 "dispatch" for a target with no parent. Keel's own events go straight to the
   * listeners; an event made elsewhere (Node's Event or CustomEvent) is adapted first (see
   * dispatchForeign). Returns false when a listener cancelled a cancelable event.
   */
  dispatchEvent(event: AnyEvent | Event): boolean {
    if (event instanceof WebSocketMessageEvent || event instanceof WebSocketEvent) return this.dispatch(event);
    return this.dispatchForeign(event);
  }

  /**
   * The dispatch of Keel's own events (none is cancelable, so it returns true): target and
   * currentTarget are this target while the listeners run; currentTarget is null afterwards.
   */
  protected dispatch(event: AnyEvent): boolean {
    event.target = this;
    event.currentTarget = this;
    this.invokeListeners(event);
    event.currentTarget = null;
    return true;
  }

  /**
   * "inner invoke" runs a clone of the list, skipping entries removed meanwhile; `once` entries
   * are removed before they run.
   */
  private invokeListeners(event: AnyEvent): void {
    const list = this.listenerMap?.get(event.type);
    if (list === undefined) {
      // No listener list: the on<type> handler, if any, is the only listener (the common case).
      const handler = this.handlerFor(event.type);
      if (handler !== null) invokeHandler(handler, this, event);
      if (immediatelyStopped === event) immediatelyStopped = null;
      return;
    }
    // The list is never mutated in place (copy on write): iterating it is iterating a clone. An
    // entry removed meanwhile is no longer in the current list, and is skipped (DOM "removed").
    for (const entry of list) {
      // Any change replaces the list, so while it is still the current one nothing was removed
      // and the membership scan (once per listener per message) is skipped.
      const current = this.listenerMap?.get(event.type);
      if (current !== list && current?.includes(entry) !== true) continue;
      if (entry.listener === null) {
        const handler = this.handlerFor(event.type);
        if (handler !== null) invokeHandler(handler, this, event);
        if (immediatelyStopped === event) break;
        continue;
      }
      if (entry.once) this.removeEntry(event.type, entry);
      invokeListener(entry.listener, this, event);
      // DOM "inner invoke": "If event's stop immediate propagation flag is set, then break."
      if (immediatelyStopped === event) break;
    }
    if (immediatelyStopped === event) immediatelyStopped = null;
  }

  /**
   * An event made elsewhere: its target and currentTarget getters read slots that only the
   * platform's own EventTarget writes, so they are shadowed by own properties for the dispatch, and
   * its stopImmediatePropagation() also sets Keel's flag. currentTarget is null afterwards (DOM
   * §2.9), the target stays; the return value is the DOM's: false if a listener cancelled it.
   */
  private dispatchForeign(event: unknown): boolean {
    if (!isEventLike(event)) {
      throw new UsageError(
        'ERR_INVALID_ARGUMENT',
        `dispatchEvent() takes an event (an Event or a WebSocket event), got ${shownValue(event)}`,
      );
    }
    const stop = event.stopImmediatePropagation;
    Object.defineProperties(event, {
      target: { value: this, configurable: true },
      currentTarget: { value: this, configurable: true },
      stopImmediatePropagation: {
        value: () => {
          stop.call(event);
          stopImmediately(event);
        },
        configurable: true,
      },
    });
    try {
      this.invokeListeners(event as unknown as AnyEvent);
    } finally {
      Object.defineProperty(event, 'currentTarget', { value: null, configurable: true });
      delete (event as { stopImmediatePropagation?: unknown }).stopImmediatePropagation;
    }
    return event.defaultPrevented !== true;
  }

  /** Whether anything listens to `type` (so the dispatcher can skip building the event). */
  protected hasListeners(type: string): boolean {
    return this.handlerFor(type) !== null || (this.listenerMap?.has(type) ?? false);
  }

  /** The `on<type>` property handler, if set. */
  protected handlerFor(type: string): HandlerValue | null {
    const slots = this.handlerSlots;
    return slots === null ? null : (slots[type as HandlerType] ?? null);
  }

  /**
   * HTML "event handler" activation: the first non-null value appends the handler's entry to the
   * list (when the type has one; without a list the handler runs alone, so its place is first),
   * null removes it; a later value replaces the callback in place.
   */
  private setHandler(type: HandlerType, value: HandlerValue | null): void {
    const slots = (this.handlerSlots ??= { open: null, message: null, error: null, close: null, ping: null, pong: null, drain: null });
    const wasActive = slots[type] !== null;
    slots[type] = value;
    const list = this.listenerMap?.get(type);
    if (list === undefined || wasActive === (value !== null)) return;
    if (value === null)
      this.removeEntry(
        type,
        list.find((entry) => entry.listener === null),
      );
    else this.replaceList(type, [...list, handlerEntry()]);
  }

  /** The list for `type`, made on first use with the handler's entry first when one is set. */
  private listFor(type: string): readonly Registration[] {
    const map = (this.listenerMap ??= new Map());
    const list = map.get(type);
    if (list !== undefined) return list;
    return this.handlerFor(type) === null ? [] : [handlerEntry()];
  }

  // onopen, onmessage, onerror, onclose, onping, onpong and ondrain: accessors on the prototype.
  static {
    for (const type of handlerTypes) {
      Object.defineProperty(WebSocketEventTarget.prototype, `on${type}`, {
        enumerable: true,
        get(this: WebSocketEventTarget): unknown {
          return this.handlerSlots?.[type] ?? null;
        },
        set(this: WebSocketEventTarget, value: unknown): void {
          // WebIDL [LegacyTreatNonObjectAsNull]: any non-object (a string, a number) sets null.
          this.setHandler(type, typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null);
        },
      });
    }
  }

  private removeEntry(type: string, entry: Registration | undefined): void {
    const list = this.listenerMap?.get(type);
    if (entry === undefined || list === undefined) return;
    this.replaceList(
      type,
      list.filter((other) => other !== entry),
    );
  }

  private replaceList(type: string, list: Registration[]): void {
    const map = (this.listenerMap ??= new Map());
    // An empty list, or one holding only the handler, is dropped: the handler then runs alone.
    if (list.length === 0 || (list.length === 1 && (list[0] as Registration).listener === null)) map.delete(type);
    else map.set(type, list);
  }
}

/**
 * HTML "the event handler processing algorithm": the callback is called with `this` set to the
 * event's currentTarget. A non-callable object is kept as the value but invoking it does nothing
 * (WebIDL [LegacyTreatNonObjectAsNull]).
 */
function invokeHandler(handler: HandlerValue, target: WebSocketEventTarget, event: AnyEvent): void {
  if (typeof handler !== 'function') return;
  try {
    (handler as (this: WebSocketEventTarget, event: AnyEvent) => void).call(target, event);
  } catch (error) {
    reportException(error);
  }
}

/**
 * DOM "inner invoke", step "call a user object's operation": a function is called with `this`
 * set to currentTarget; an object's `handleEvent` is looked up at each call and called with the
 * object as `this` (WebIDL "call a user object's operation").
 */
function invokeListener(listener: EventListenerLike<never>, target: WebSocketEventTarget, event: AnyEvent): void {
  try {
    if (typeof listener === 'function') {
      (listener as (this: WebSocketEventTarget, event: AnyEvent) => void).call(target, event);
      return;
    }
    const handleEvent: unknown = (listener as { handleEvent?: unknown }).handleEvent;
    if (typeof handleEvent !== 'function') throw new TypeError('The event listener has no handleEvent() method');
    (handleEvent as (event: AnyEvent) => void).call(listener, event);
  } catch (error) {
    reportException(error);
  }
}

/** An object that can be dispatched: a string `type` and the Event methods the listeners may call. */
function isEventLike(value: unknown): value is Event {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { type?: unknown; stopImmediatePropagation?: unknown };
  return typeof candidate.type === 'string' && typeof candidate.stopImmediatePropagation === 'function';
}

/** HTML "report the exception": the other listeners still run, the process sees the error. */
function reportException(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
