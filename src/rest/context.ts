/** A call in progress, as the transport hands it to a method's parameter codecs and its handler. */
import type { Portal } from '../portal.ts';
import type { Caller } from '../auth/credentials.ts';
import type { RateLimits } from './rate-limits.ts';
import type { Logger } from '../log.ts';

/** A call in progress: who is calling (resolved from a token or an incoming webhook) on which portal. */
export interface CallContext extends Caller {
  portal: Portal;
  /** `start` from the request: offset of the first list item (-1: Bitrix24's no-count mode, see `paginate`). */
  start: number;
  /** The request's log (its lines carry the request id); the portal's when absent. */
  log?: Logger;
  /** The cloud limits this caller is held to (`--rate-limit`); absent when none apply. */
  limits?: RateLimits;
}
