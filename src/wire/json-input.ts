/**
 * JSON from the network (a JSON request body, or an ATTACH/KEYBOARD/USERS parameter sent as a JSON
 * string): depth-limited as PHP's `json_decode` is, and turned into the same null-prototype,
 * list-normalised values the form parser produces, so no key of it reaches a prototype.
 */
import { JSON_MAX_DEPTH } from './limits.ts';
import { normalize } from './php-query.ts';

/**
 * Whether `text` nests no deeper than `max` arrays/objects. One linear pass that skips strings, run
 * before JSON.parse so that nothing later (normalising, logging) recurses over a hostile depth.
 */
export function jsonDepthWithin(text: string, max = JSON_MAX_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return false;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return true;
}

/**
 * Decode JSON as PHP's `json_decode($text, true)` would: undefined for invalid JSON and for JSON
 * nested deeper than JSON_MAX_DEPTH (json_decode answers null for both); otherwise the normalised
 * value.
 */
export function parseJsonInput(text: string): unknown {
  if (!jsonDepthWithin(text)) return undefined;
  try {
    return normalize(JSON.parse(text));
  } catch {
    return undefined;
  }
}
