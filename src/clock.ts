/**
 * The time every expiry decision reads: access and refresh tokens, OAuth codes, sessions, sign-in
 * locks, signed file and upload URLs. One clock per portal (Portal.clock), so a test can move a
 * portal's time forward instead of sleeping until something expires. Timers that only pace work
 * (the dispatcher's polls and backoff, the realtime hub) keep real time.
 */

/** A source of the current time. */
export interface Clock {
  /** Milliseconds since the Unix epoch, like Date.now(). */
  now(): number;
}

/** Real time: what a running portal uses. */
export const systemClock: Clock = { now: () => Date.now() };
