import { describe, expect, it } from 'vitest';
import { WebSocketEvent, WebSocketEventTarget, WebSocketMessageEvent } from '../../src/node/websocket-events.js';

/**
 * The DOM Standard's EventTarget rules (§2.7 add/remove an event listener, §2.9 dispatch) and the
 * HTML Standard's event handler rules, on the Node WebSocket's event target (issue 13 item 4).
 */

type Target = WebSocketEventTarget & { onmessage: unknown; onopen: unknown };

function target(): Target {
  return new WebSocketEventTarget() as Target;
}

function message(data = 'x'): WebSocketMessageEvent<string> {
  return new WebSocketMessageEvent(data, 'ws://127.0.0.1');
}

describe('WebSocketEventTarget', () => {
  it('calls function listeners and on* handlers with this === currentTarget === target', () => {
    const socket = target();
    const seen: Array<[unknown, unknown, unknown]> = [];
    socket.addEventListener('message', function (this: unknown, event: WebSocketMessageEvent) {
      seen.push([this, event.currentTarget, event.target]);
    });
    socket.onmessage = function (this: unknown, event: WebSocketMessageEvent): void {
      seen.push([this, event.currentTarget, event.target]);
    };
    socket.dispatchEvent(message());
    expect(seen).toEqual([
      [socket, socket, socket],
      [socket, socket, socket],
    ]);
  });

  it('calls an on* handler set alone with this === the target', () => {
    const socket = target();
    let self: unknown = null;
    socket.onopen = function (this: unknown): void {
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- what the handler was called with is the subject
      self = this;
    };
    socket.dispatchEvent(new WebSocketEvent('open'));
    expect(self).toBe(socket);
  });

  it('runs listeners and the on* handler in registration order: the handler takes its place when first set', () => {
    const socket = target();
    const order: string[] = [];
    socket.addEventListener('message', () => order.push('a'));
    socket.onmessage = () => order.push('handler');
    socket.addEventListener('message', () => order.push('b'));
    socket.dispatchEvent(message());
    expect(order).toEqual(['a', 'handler', 'b']);
  });

  it('keeps the handler in place when it is replaced, and moves it to the end when set again after null', () => {
    const socket = target();
    const order: string[] = [];
    socket.onmessage = () => order.push('first handler');
    socket.addEventListener('message', () => order.push('listener'));
    socket.onmessage = () => order.push('replaced handler');
    socket.dispatchEvent(message());
    expect(order).toEqual(['replaced handler', 'listener']);

    order.length = 0;
    socket.onmessage = null;
    socket.onmessage = () => order.push('handler set again');
    socket.dispatchEvent(message());
    expect(order).toEqual(['listener', 'handler set again']);
  });

  it('stores a non-object on* value as null, and a non-callable object without calling it', () => {
    const socket = target();
    socket.onmessage = 'not a function';
    expect(socket.onmessage).toBeNull();
    const object = { handleEvent: (): void => undefined };
    socket.onmessage = object;
    expect(socket.onmessage).toBe(object);
    let called = false;
    object.handleEvent = () => {
      called = true;
    };
    socket.dispatchEvent(message());
    expect(called).toBe(false);
  });

  it('calls handleEvent of a listener object with the object as this, looked up at each dispatch', () => {
    const socket = target();
    const calls: Array<[string, unknown]> = [];
    const listener = {
      handleEvent(this: unknown, event: WebSocketMessageEvent<string>): void {
        calls.push([event.data, this]);
      },
    };
    socket.addEventListener('message', listener);
    socket.dispatchEvent(message('one'));
    listener.handleEvent = function (this: unknown, event: WebSocketMessageEvent<string>): void {
      calls.push([`new ${event.data}`, this]);
    };
    socket.dispatchEvent(message('two'));
    expect(calls).toEqual([
      ['one', listener],
      ['new two', listener],
    ]);
  });

  it('adds a listener once per (type, callback, capture), and removes it by the same key', () => {
    const socket = target();
    let count = 0;
    const listener = (): void => {
      count += 1;
    };
    socket.addEventListener('message', listener);
    socket.addEventListener('message', listener);
    socket.addEventListener('message', listener, { once: true });
    socket.addEventListener('message', listener, true);
    socket.dispatchEvent(message());
    expect(count).toBe(2);

    socket.removeEventListener('message', listener);
    socket.dispatchEvent(message());
    expect(count).toBe(3);
    socket.removeEventListener('message', listener, { capture: true });
    socket.dispatchEvent(message());
    expect(count).toBe(3);
  });

  it('removes a once listener before it runs, so a nested dispatch does not run it again', () => {
    const socket = target();
    let count = 0;
    socket.addEventListener(
      'message',
      () => {
        count += 1;
        if (count === 1) socket.dispatchEvent(message());
      },
      { once: true },
    );
    socket.dispatchEvent(message());
    socket.dispatchEvent(message());
    expect(count).toBe(1);
  });

  it('removes a listener when its signal aborts, and never adds one whose signal has aborted', () => {
    const socket = target();
    const calls: string[] = [];
    const controller = new AbortController();
    socket.addEventListener('message', () => calls.push('signalled'), { signal: controller.signal });
    socket.dispatchEvent(message());
    controller.abort();
    socket.dispatchEvent(message());
    socket.addEventListener('message', () => calls.push('already aborted'), { signal: controller.signal });
    socket.dispatchEvent(message());
    expect(calls).toEqual(['signalled']);
  });

  it('skips a listener removed during the dispatch, and does not run one added during it', () => {
    const socket = target();
    const calls: string[] = [];
    const second = (): void => {
      calls.push('second');
    };
    socket.addEventListener('message', () => {
      calls.push('first');
      socket.removeEventListener('message', second);
      socket.addEventListener('message', () => calls.push('added'));
    });
    socket.addEventListener('message', second);
    socket.dispatchEvent(message());
    expect(calls).toEqual(['first']);
    socket.dispatchEvent(message());
    expect(calls).toEqual(['first', 'first', 'added']);
  });

  it('skips the on* handler set to null during the dispatch', () => {
    const socket = target();
    const calls: string[] = [];
    socket.addEventListener('message', () => {
      calls.push('listener');
      socket.onmessage = null;
    });
    socket.onmessage = () => calls.push('handler');
    socket.dispatchEvent(message());
    expect(calls).toEqual(['listener']);
  });

  it('stops calling the later listeners of an event after stopImmediatePropagation(), and only for that event', () => {
    const socket = target();
    const calls: string[] = [];
    socket.addEventListener('message', (event: WebSocketMessageEvent<string>) => {
      calls.push(`first ${event.data}`);
      if (event.data === 'stop') event.stopImmediatePropagation();
    });
    socket.onmessage = (event: WebSocketMessageEvent<string>) => calls.push(`handler ${event.data}`);
    socket.dispatchEvent(message('stop'));
    socket.dispatchEvent(message('go'));
    expect(calls).toEqual(['first stop', 'first go', 'handler go']);
  });

  it('reports a throwing listener as an uncaught exception and still runs the others', async () => {
    const socket = target();
    const calls: string[] = [];
    const failure = new Error('listener failed');
    const reported = new Promise<unknown>((resolve) => {
      process.once('uncaughtException', resolve);
    });
    socket.addEventListener('message', () => {
      throw failure;
    });
    socket.onmessage = () => calls.push('handler');
    socket.dispatchEvent(message());
    expect(calls).toEqual(['handler']);
    expect(await reported).toBe(failure);
  });
});

describe('WebSocketEventTarget with events made elsewhere and bad arguments', () => {
  it("dispatches a platform Event (Node's global Event): target and currentTarget are the target, this too", () => {
    const socket = target();
    const seen: unknown[] = [];
    socket.addEventListener('custom', function (this: unknown, event: Event) {
      seen.push(this === socket, event.target === socket, event.currentTarget === socket, event.type);
    });
    const event = new Event('custom');
    expect(socket.dispatchEvent(event)).toBe(true);
    expect(seen).toEqual([true, true, true, 'custom']);
    // DOM §2.9, the last steps: currentTarget is null once the dispatch is over; target stays.
    expect([event.currentTarget, event.target === socket]).toEqual([null, true]);
  });

  it("honours a platform Event's stopImmediatePropagation() and preventDefault() (dispatchEvent returns false)", () => {
    const socket = target();
    const calls: string[] = [];
    socket.addEventListener('custom', (event: Event) => {
      calls.push('first');
      event.preventDefault();
      event.stopImmediatePropagation();
    });
    socket.addEventListener('custom', () => calls.push('second'));
    expect(socket.dispatchEvent(new Event('custom', { cancelable: true }))).toBe(false);
    expect(calls).toEqual(['first']);
    // The next event reaches both listeners: the stop belonged to that event only.
    socket.dispatchEvent(new Event('custom'));
    expect(calls).toEqual(['first', 'first']);
  });

  it('sets currentTarget back to null after dispatching its own events too', () => {
    const socket = target();
    let during: unknown = null;
    socket.addEventListener('message', (event: WebSocketMessageEvent) => (during = event.currentTarget));
    const event = message();
    socket.dispatchEvent(event);
    expect([during === socket, event.currentTarget, event.target === socket]).toEqual([true, null, true]);
  });

  it.each([['custom'], [42], [null], [{}]])('refuses dispatchEvent(%j): not an event (ERR_INVALID_ARGUMENT)', (value) => {
    expect(() => target().dispatchEvent(value as unknown as Event)).toThrow(
      expect.objectContaining({
        name: 'UsageError',
        code: 'ERR_INVALID_ARGUMENT',
        message: expect.stringMatching(/^dispatchEvent\(\) takes an event/),
      }),
    );
  });

  it.each([['handler'], [42], [true]])(
    'refuses addEventListener(type, %j): a listener is a function or an object (ERR_INVALID_ARGUMENT)',
    (value) => {
      expect(() => target().addEventListener('message', value as unknown as () => void)).toThrow(
        expect.objectContaining({
          name: 'UsageError',
          code: 'ERR_INVALID_ARGUMENT',
          message: expect.stringMatching(/^addEventListener\(\) takes a function/),
        }),
      );
    },
  );

  it('ignores a null or undefined listener, as the DOM does', () => {
    const socket = target();
    socket.addEventListener('message', null);
    socket.addEventListener('message', undefined as unknown as null);
    expect(socket.dispatchEvent(message())).toBe(true);
  });
});

describe('WebSocket events over a real connection', () => {
  it('dispatches a server message to listeners and onmessage in registration order, with this === the WebSocket', async () => {
    const { startWsPeer } = await import('../interop/ws-server.js');
    const { WebSocket } = await import('../../src/node/websocket.js');
    const peer = await startWsPeer();
    const ws = new WebSocket(peer.url, undefined, { env: {} });
    try {
      const calls: Array<[string, boolean]> = [];
      const done = new Promise<void>((resolve) => {
        ws.addEventListener('message', function (this: unknown) {
          calls.push(['first listener', this === ws]);
        });
        ws.onmessage = function (this: unknown): void {
          calls.push(['onmessage', this === ws]);
        };
        ws.addEventListener('message', {
          handleEvent(this: unknown, event: WebSocketMessageEvent) {
            calls.push([`handleEvent ${String(event.data)}`, event.currentTarget === ws]);
            resolve();
          },
        });
      });
      const server = await peer.connection();
      server.send('hello');
      await done;
      expect(calls).toEqual([
        ['first listener', true],
        ['onmessage', true],
        ['handleEvent hello', true],
      ]);
    } finally {
      ws.terminate();
      await peer.close();
    }
  });
});
