/**
 * The bench's output: one row per figure, Parley beside its baseline, the ratio and the target;
 * printed as a Markdown table and written, with the raw figures, to bench/results/<scenario>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR } from './processes.ts';

/** A target: the ratio (or the Parley figure itself) compared with a bound. */
export interface Target {
  /** What is compared: Parley ÷ baseline, or Parley's own figure. */
  of: 'ratio' | 'parley';
  op: '>=' | '<=';
  value: number;
}

/** One measured figure. */
export interface Row {
  scenario: string;
  /** The figure's name within the scenario (e.g. "im.message.add req/s"). */
  name: string;
  db: string;
  unit: string;
  parley: number;
  baseline?: number;
  target?: Target;
  /** Something that makes the figure suspect (errors, non-2xx answers, lost events). */
  warning?: string;
  /** Everything measured for this row, for the JSON file. */
  raw?: unknown;
}

/** Parley ÷ baseline, when there is a baseline. */
export function ratioOf(row: Row): number | undefined {
  return row.baseline ? row.parley / row.baseline : undefined;
}

/** Whether the row meets its target (undefined: no target, or nothing to compare). */
export function metOf(row: Row): boolean | undefined {
  if (!row.target) return undefined;
  const x = row.target.of === 'ratio' ? ratioOf(row) : row.parley;
  if (x === undefined || !Number.isFinite(x)) return undefined;
  return row.target.op === '>=' ? x >= row.target.value : x <= row.target.value;
}

function fmt(x: number | undefined, unit = ''): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return `${x.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function targetText(t: Target | undefined, unit: string): string {
  if (!t) return '—';
  const op = t.op === '>=' ? '≥' : '≤';
  return t.of === 'ratio' ? `ratio ${op} ${t.value}` : `${op} ${t.value} ${unit}`;
}

/** The rows as a Markdown table. */
export function formatTable(rows: Row[]): string {
  const lines = ['| scenario | figure | db | Parley | baseline | ratio | target | met |', '|---|---|---|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const met = metOf(r);
    const ratio = ratioOf(r);
    lines.push(`| ${r.scenario} | ${r.name}${r.warning ? ' ⚠' : ''} | ${r.db} | ${fmt(r.parley, r.unit)} | ${fmt(r.baseline, r.unit)} | ${ratio === undefined ? '—' : `${ratio.toFixed(2)}×`} | ${targetText(r.target, r.unit)} | ${met === undefined ? '—' : met ? 'met' : 'not met'} |`);
  }
  const warned = rows.filter((r) => r.warning);
  if (warned.length) lines.push('', ...warned.map((r) => `⚠ ${r.scenario} / ${r.name} (${r.db}): ${r.warning}`));
  return lines.join('\n');
}

/** What every results file says about the run. */
export interface RunInfo { date: string; mode: 'short' | 'normal'; cores: number; loadTool: string; node: string }

/** Describe this run. */
export function runInfo(mode: RunInfo['mode'], loadTool: string): RunInfo {
  return { date: new Date().toISOString(), mode, cores: os.cpus().length, loadTool, node: process.version };
}

/** Write a scenario's rows (with their ratios and verdicts) to bench/results/<scenario>.json. */
export function writeResults(scenario: string, info: RunInfo, rows: Row[]): string {
  const dir = path.join(BENCH_DIR, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${scenario}.json`);
  const out = rows.map((r) => ({ ...r, ratio: ratioOf(r), met: metOf(r) }));
  fs.writeFileSync(file, `${JSON.stringify({ scenario, ...info, rows: out }, null, 2)}\n`);
  return file;
}
