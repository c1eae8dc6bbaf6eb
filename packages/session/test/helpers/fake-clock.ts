import type { Clock, TimerHandle } from '../../src/clock.js';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** A hand-driven clock: time moves only through advance(); timers fire in due order. */
export class FakeClock implements Clock {
  #now = 1_000_000;
  #nextId = 1;
  #timers: Timer[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, delayMs), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** Pending timers (a leak check after close). */
  get pending(): number {
    return this.#timers.length;
  }

  /** Delays of the pending timers, relative to now. */
  get pendingDelays(): number[] {
    return this.#timers.map((t) => t.at - this.#now);
  }

  /** Moves time forward by `ms`, firing due timers in order (each at its own time). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
    }
    this.#now = end;
  }

  /** Jumps wall-clock time without firing timers (a frozen tab or a suspended laptop). */
  jump(ms: number): void {
    this.#now += ms;
  }
}
