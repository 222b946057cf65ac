/**
 * `npm run bench [-- --short] [-- --only NAME[,NAME]] [-- --db sqlite|postgres] [-- --connections N]`
 *
 * Parley's hot paths, each as a ratio to a bare baseline measured in the same run on the same
 * machine. This process only orchestrates: the portal runs as `parley start` in its own process, the
 * baselines in theirs, and the load (wrk or autocannon), the bot handlers and the socket clients in
 * yet others (see processes.ts). It prints a table and writes bench/results/<scenario>.json; it
 * asserts nothing (tests never assert timings).
 */
import { loadTool } from './load/generator.ts';
import { parseOptions } from './options.ts';
import { postgresProblem } from './portal/database.ts';
import { formatTable, runInfo, writeResults, type Row } from './table.ts';
import { scenarios } from './scenarios/index.ts';

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const unknown = opts.only.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; there are: ${scenarios.map((s) => s.name).join(', ')}`);
  const chosen = scenarios.filter((s) => !opts.only.length || opts.only.includes(s.name));
  const pgProblem = opts.dialects.includes('postgres') ? await postgresProblem() : undefined;
  if (pgProblem) console.warn(`skipping PostgreSQL: ${pgProblem}`);
  const dialects = opts.dialects.filter((d) => d !== 'postgres' || !pgProblem);
  const info = runInfo(opts.short ? 'short' : 'normal', loadTool);
  console.log(`${info.mode} mode: ${opts.seconds} s per load row after ${opts.warmupSeconds} s of warm-up, ${opts.connections} connections, load by ${loadTool}, ${info.cores} cores, node ${info.node}`);

  const all: Row[] = [];
  for (const s of chosen) {
    const rows: Row[] = [];
    for (const d of dialects.filter((x) => !s.dialects || s.dialects.includes(x))) {
      console.log(`… ${s.name} on ${d}`);
      try {
        rows.push(...(await s.run(d, opts)));
      } catch (err) {
        // One scenario failing must not cost the others' figures; the table says it failed.
        console.error(`${s.name} on ${d} failed:`, err);
        rows.push({ scenario: s.name, name: 'failed', db: d, unit: '', parley: NaN, warning: String((err as Error).message ?? err).split('\n')[0] });
      }
    }
    if (rows.length) writeResults(s.name, info, rows);
    all.push(...rows);
  }
  console.log(`\n${formatTable(all)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
