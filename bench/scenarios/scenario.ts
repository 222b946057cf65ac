/** What a scenario is: a name to pick it by, the stores it runs on, and what it measures. */
import type { Options } from '../options.ts';
import type { Dialect } from '../portal/database.ts';
import type { Row } from '../table.ts';

/** One scenario of the bench; `run` is called once per dialect it runs on. */
export interface Scenario {
  name: string;
  /** One line for --help and the README. */
  what: string;
  /** The stores it makes sense on (default: both). */
  dialects?: Dialect[];
  run(dialect: Dialect, opts: Options): Promise<Row[]>;
}
