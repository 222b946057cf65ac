/**
 * The diff a failing expectation prints: expected lines marked `-`, what came marked `+`, common
 * lines kept for context. A plain longest-common-subsequence over lines, bounded: both sides are
 * cut to DIFF_MAX_LINES first, so a huge message costs at most that squared.
 */

const DIFF_MAX_LINES = 200;

function cut(lines: string[]): string[] {
  return lines.length > DIFF_MAX_LINES ? [...lines.slice(0, DIFF_MAX_LINES), `… (${lines.length - DIFF_MAX_LINES} more lines)`] : lines;
}

/** `expected` against `actual`, line by line (a legend line first), each line indented by `indent`. */
export function lineDiff(expected: string, actual: string, indent = ''): string {
  const a = cut(expected.split('\n'));
  const b = cut(actual.split('\n'));
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: string[] = [`${indent}(- expected, + received)`];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`${indent}  ${a[i++]}`);
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] > lcs[i + 1][j])) {
      out.push(`${indent}+ ${b[j++]}`);
    } else {
      out.push(`${indent}- ${a[i++]}`);
    }
  }
  return out.join('\n');
}

/** A value as indented JSON lines for a diff (strings stay as they are). */
export function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? String(value);
}
