/** The `time` block Bitrix24 adds to every successful answer. */

function iso(ms: number): string {
  // PHP date('c'): seconds precision with a numeric offset; the portal runs in UTC.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Build `time` from the request start, the handler's own duration and the end, all in ms. */
export function timeBlock(startMs: number, processingMs: number, finishMs = Date.now()): Record<string, number | string> {
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: processingMs / 1000,
    date_start: iso(startMs),
    date_finish: iso(finishMs),
    // No operating limit on a self-hosted portal: nothing accumulates and nothing resets.
    operating_reset_at: Math.floor(finishMs / 1000) + 600,
    operating: 0,
  };
}

/** ISO-8601 with offset, as PHP's date('c') prints it. */
export const isoDate = iso;
