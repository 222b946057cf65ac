/**
 * A portal clock a test moves forward: it runs with real time plus an offset, so everything that
 * just needs time to pass (timers, the dispatcher) behaves as usual, while `advance()` makes tokens,
 * codes, sessions and signed URLs expire at once instead of after a sleep.
 */
import type { Clock } from '../../src/clock.ts';

/** Real time plus an offset the test sets or advances. */
export class TestClock implements Clock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  /** Jump `ms` forward (what a sleep of `ms` would have done to expiry). */
  advance(ms: number): void {
    this.offset += ms;
  }

  /** Make now() read `ms` at this instant; it keeps running from there. */
  set(ms: number): void {
    this.offset = ms - Date.now();
  }
}
