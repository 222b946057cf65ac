/**
 * wrk as the load generator when it is on PATH: a C program in its own process, so it takes less of
 * the machine's CPU from the server than autocannon does. Its text report is parsed into a LoadResult.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REQUEST_TIMEOUT_SECONDS, type LoadResult, type LoadSpec } from './spec.ts';

/** Whether `wrk` can be run. */
export function hasWrk(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** wrk's lua hook carries the method, body and content type (JSON-quoted strings are valid lua). */
function script(spec: LoadSpec): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-wrk-')), 'req.lua');
  const lines = [`wrk.method = ${JSON.stringify(spec.method)}`];
  if (spec.body !== undefined) {
    lines.push(`wrk.body = ${JSON.stringify(spec.body)}`);
    lines.push(`wrk.headers["Content-Type"] = ${JSON.stringify(spec.contentType ?? 'application/x-www-form-urlencoded')}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function run(spec: LoadSpec, seconds: number, lua: string): Promise<string> {
  const args = ['-t1', `-c${spec.connections}`, `-d${seconds}s`, `--timeout`, `${REQUEST_TIMEOUT_SECONDS}s`, '--latency', '-s', lua, spec.url];
  return new Promise((ok, fail) => execFile('wrk', args, (err, out) => (err ? fail(err) : ok(out))));
}

/** "1.23ms", "850.00us", "1.02s" → ms. */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(m[1]) * scale;
}

function parse(spec: LoadSpec, out: string): LoadResult {
  const pct = (p: string) => ms(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const total = /(\d+) requests in ([\d.]+)(\w+)/.exec(out);
  const requests = Number(total?.[1] ?? 0);
  const seconds = total ? ms(`${total[2]}${total[3]}`) / 1000 : spec.seconds;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    tool: 'wrk',
    connections: spec.connections,
    seconds,
    requests,
    rps: requests / seconds,
    p50: pct('50'),
    p90: pct('90'),
    p99: pct('99'),
    max: ms(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m.exec(out)?.[1] ?? ''),
    errors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

/** Run the specs at once with wrk (one wrk process each); a warm-up run first when asked. */
export async function loadWithWrk(specs: LoadSpec[]): Promise<LoadResult[]> {
  const luas = specs.map(script);
  if (specs.some((s) => s.warmupSeconds > 0)) await Promise.all(specs.map((s, i) => run(s, Math.max(1, Math.round(s.warmupSeconds)), luas[i])));
  const outs = await Promise.all(specs.map((s, i) => run(s, s.seconds, luas[i])));
  for (const lua of luas) fs.rmSync(path.dirname(lua), { recursive: true, force: true });
  return outs.map((o, i) => parse(specs[i], o));
}
