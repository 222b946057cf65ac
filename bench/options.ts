/**
 * The command line of `npm run bench`: `--short` (a quick look, a few seconds per row), `--only a,b`
 * (scenario names, repeatable), `--db sqlite|postgres` (default both), `--connections N` (default 32).
 */
import type { Dialect } from './portal/database.ts';

/** How this run measures. */
export interface Options {
  short: boolean;
  only: string[];
  dialects: Dialect[];
  connections: number;
  /** Measured seconds of one load row, and its unmeasured warm-up. */
  seconds: number;
  warmupSeconds: number;
}

/** Parse argv (without node and the script). */
export function parseOptions(argv: string[]): Options {
  const o: Options = { short: false, only: [], dialects: ['sqlite', 'postgres'], connections: 32, seconds: 10, warmupSeconds: 2 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--short') o.short = true;
    else if (a === '--only') o.only.push(...value().split(',').filter(Boolean));
    else if (a === '--db') o.dialects = value().split(',').map((d) => (d === 'pg' ? 'postgres' : d)) as Dialect[];
    else if (a === '--connections') o.connections = Number(value());
    else throw new Error(`unknown option ${a} (use --short, --only NAME[,NAME], --db sqlite|postgres, --connections N)`);
  }
  if (o.short) {
    o.seconds = 4;
    o.warmupSeconds = 1;
  }
  for (const d of o.dialects) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`--db: sqlite or postgres, not ${d}`);
  if (!Number.isInteger(o.connections) || o.connections < 1) throw new Error('--connections must be a positive integer');
  return o;
}
