/**
 * The two reports of `parley test`: lines for a terminal (a mark per scenario, the failing step with
 * its diff) and JUnit XML for CI (a testsuite per file, a testcase per scenario, a failure element
 * holding the same text), as CI systems (GitHub Actions reporters, GitLab, Jenkins) read it.
 */
import type { FileResult } from './run-scenarios.ts';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The terminal report of one file. */
export function textReport(r: FileResult): string {
  const out = [`${r.file}${r.name !== r.file ? ` (${r.name})` : ''}`];
  if (r.error) out.push(`  ✗ could not start: ${r.error.split('\n').join('\n    ')}`);
  for (const s of r.scenarios) {
    out.push(`  ${s.passed ? '✓' : '✗'} ${s.name} (${seconds(s.ms)} s)`);
    if (s.failure) out.push(...s.failure.split('\n').map((l) => `      ${l}`));
  }
  return out.join('\n');
}

/** Counts over several files: scenarios passed and failed (a file that could not start counts as one failure). */
export function totals(results: FileResult[]): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    if (r.error) failed++;
    for (const s of r.scenarios) s.passed ? passed++ : failed++;
  }
  return { passed, failed };
}

// XML 1.0 allows neither these control characters nor unpaired surrogates, even escaped.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xml(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML for several files. */
export function junitReport(results: FileResult[]): string {
  const { passed, failed } = totals(results);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="parley test" tests="${passed + failed}" failures="${failed}" time="${seconds(results.reduce((t, r) => t + r.ms, 0))}">`];
  for (const r of results) {
    const cases = r.error ? 1 : r.scenarios.length;
    const failures = r.error ? 1 : r.scenarios.filter((s) => !s.passed).length;
    out.push(`  <testsuite name="${xml(r.name)}" file="${xml(r.file)}" tests="${cases}" failures="${failures}" errors="0" time="${seconds(r.ms)}">`);
    if (r.error) {
      out.push(`    <testcase name="start the bot" classname="${xml(r.name)}" time="${seconds(r.ms)}">`,
        `      <failure message="${xml(r.error.split('\n')[0])}">${xml(r.error)}</failure>`, '    </testcase>');
    }
    for (const s of r.scenarios) {
      const head = `    <testcase name="${xml(s.name)}" classname="${xml(r.name)}" time="${seconds(s.ms)}"`;
      if (s.passed) {
        out.push(`${head}/>`);
        continue;
      }
      out.push(`${head}>`, `      <failure message="${xml(s.failure!.split('\n')[0])}">${xml(s.failure!)}</failure>`,
        `      <system-out>${xml(s.steps.map((st) => `${st.ok ? 'ok' : 'FAILED'}  ${st.title}`).join('\n'))}</system-out>`, '    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
