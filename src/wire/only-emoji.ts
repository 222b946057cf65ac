/**
 * Whether a message's text is "only emoji", which Bitrix24 marks PARAMS.LARGE_FONT = 'Y' so that
 * clients draw it large (on posting and on every edit). Bitrix24's rule, kept exactly: one to three
 * characters outside the Basic Multilingual Plane (where emoji live) and nothing else but PHP's
 * trim() white space. So a heart of the first plane (❤) or a sequence joined by U+200D is not
 * "only emoji", and a flag counts as its two regional indicators.
 */

/** The characters PHP's trim() removes. */
const PHP_TRIM = /^[ \t\n\r\0\x0B]*$/;

export function isOnlyEmoji(text: string): boolean {
  // Four astral characters are eight UTF-16 units: anything much longer is not it, and is not scanned.
  if (text.length > 64) return false;
  let astral = 0;
  let rest = '';
  for (const ch of text) {
    if (ch.codePointAt(0)! > 0xffff) {
      if (++astral > 3) return false;
    } else rest += ch;
  }
  return astral > 0 && PHP_TRIM.test(rest);
}
