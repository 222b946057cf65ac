/**
 * Closed-loop HTTP load from a separate process: wrk when it is on PATH, otherwise autocannon's API
 * in a forked child (load/autocannon-child.ts). The bench's own process only starts it and reads
 * the figures.
 */
import { forkChild } from '../processes.ts';
import type { LoadResult, LoadSpec } from './spec.ts';
import { hasWrk, loadWithWrk } from './wrk.ts';

const useWrk = process.env.BENCH_LOAD !== 'autocannon' && hasWrk();

/** Which tool generates the load in this run. */
export const loadTool: LoadResult['tool'] = useWrk ? 'wrk' : 'autocannon';

/** Run the specs at the same time (one per target) and return their results in order. */
export async function runLoad(specs: LoadSpec[]): Promise<LoadResult[]> {
  if (useWrk) return loadWithWrk(specs);
  const child = forkChild('load/autocannon-child.ts');
  try {
    child.send(specs);
    return await child.next<LoadResult[]>();
  } finally {
    await child.stop();
  }
}

/** Run one spec. */
export async function runOne(spec: LoadSpec): Promise<LoadResult> {
  return (await runLoad([spec]))[0];
}
