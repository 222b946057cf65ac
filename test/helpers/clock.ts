/**
 * A portal clock a test moves forward: it runs with real time plus an offset, so everything that
 * just needs time to pass (timers, the dispatcher) behaves as usual, while `advance()` makes tokens,
 * codes, sessions and signed URLs expire at once instead of after a sleep.
 */
import type { Clock } from '../../src/clock.ts';

/** Real time plus an offset the test sets or advances (or, frozen, a time only the test moves). */
export class TestClock implements Clock {
  private offset = 0;
  /** Set by freeze(): the time now() reads until advanced. */
  private stopped: number | undefined;

  now(): number {
    return this.stopped ?? Date.now() + this.offset;
  }

  /** Jump `ms` forward (what a sleep of `ms` would have done to expiry). */
  advance(ms: number): void {
    this.offset += ms;
    if (this.stopped !== undefined) this.stopped += ms;
  }

  /**
   * Stop the clock where it reads now: only advance() moves it. For what counts time itself (a rate
   * that drains as time passes), so a slow machine cannot drain it between two requests.
   */
  freeze(): void {
    this.stopped = this.now();
  }

  /** Make now() read `ms` at this instant; it keeps running from there. */
  set(ms: number): void {
    this.offset = ms - Date.now();
    if (this.stopped !== undefined) this.stopped = ms;
  }
}
