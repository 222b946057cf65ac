/** The `time` block Bitrix24 adds to every successful answer. */
import { isoDate } from '../wire/dates.ts';
import type { Operating } from './rate-limits.ts';

// Method handlers (api/) format their dates with the envelope's own function.
export { isoDate };

/**
 * Build `time` from the request start, the handler's own duration and the end, all in ms, and the
 * method's operating time when the cloud limits are on (src/rest/rate-limits.ts).
 */
export function timeBlock(startMs: number, processingMs: number, finishMs = Date.now(), operating?: Operating): Record<string, number | string> {
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: processingMs / 1000,
    date_start: isoDate(startMs),
    date_finish: isoDate(finishMs),
    // Without the cloud limits (a self-hosted portal's default) nothing accumulates and nothing resets.
    operating_reset_at: operating?.resetAt ?? Math.floor(finishMs / 1000) + 600,
    operating: operating?.seconds ?? 0,
  };
}
