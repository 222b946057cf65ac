/** The `time` block Bitrix24 adds to every successful answer. */
import { isoDate } from '../wire/dates.ts';

// Method handlers (api/) format their dates with the envelope's own function.
export { isoDate };

/** Build `time` from the request start, the handler's own duration and the end, all in ms. */
export function timeBlock(startMs: number, processingMs: number, finishMs = Date.now()): Record<string, number | string> {
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: processingMs / 1000,
    date_start: isoDate(startMs),
    date_finish: isoDate(finishMs),
    // No operating limit on a self-hosted portal: nothing accumulates and nothing resets.
    operating_reset_at: Math.floor(finishMs / 1000) + 600,
    operating: 0,
  };
}
