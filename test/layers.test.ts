/**
 * The layers of src/ and which may import which (docs/ARCHITECTURE.md, "Layers"). Every .ts file
 * under src/ is read, its relative imports resolved (`import`, `import type`, `export … from`,
 * side-effect imports, `import()` with a literal path, `declare module` augmentations), and the test
 * fails naming the file and the import when a layer imports one it must not, or when files import
 * each other in a cycle. The scanner is TypeScript's own (`ts.preProcessFile`, already a dev
 * dependency for tsc): comments, strings and multi-line imports are read as the compiler reads them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The rules: a layer may import its own files and the layers listed for it; a `layer/file.ts` entry
 * allows that one file of the layer and no other. The neutral root files are layers of their own:
 * src/errors.ts (the one error catalogue) and src/config.ts are used by every layer; src/portal.ts
 * (built on the store) by every layer above the store. Lowest first.
 */
export const MAY_IMPORT = {
  errors: [],
  config: [],
  // The time expiry decisions read: the portal carries one (Portal.clock), the server picks it.
  clock: [],
  // The Prometheus metrics: the portal carries them (Portal.metrics); parts that measure write to them.
  metrics: [],
  // The log (pino): the portal carries it (Portal.log), a REST call its request's child.
  log: [],
  // Wire encodings several layers share: PHP query strings, JSON input, input limits, dates, DIALOG_ID, names, Drive files.
  wire: ['errors'],
  net: ['errors', 'config'],
  // Language: the words of a text as the message search indexes and matches them (tokens, stems).
  text: [],
  // The store warns through the portal's log it is given (an idle PostgreSQL connection lost); it
  // keeps the message search index, whose terms src/text makes (migration 0029 indexes what is there).
  store: ['errors', 'config', 'log', 'text'],
  portal: ['config', 'clock', 'metrics', 'log', 'store'],
  // The Redis link between portal nodes: it carries hints (wake, revoke, typing) to callbacks the
  // server wires up, and keeps the shared rate-limit counters in the shape of rest's LimitCounters,
  // which the server hands to RateLimits: it needs nothing of the layers it serves (it must not reach
  // into them). It logs its connections' state through the log it is given.
  cluster: ['errors', 'config', 'log'],
  format: ['errors', 'config', 'wire', 'net'],
  auth: ['errors', 'config', 'portal', 'wire', 'net', 'store'],
  realtime: ['errors', 'config', 'metrics', 'log', 'portal', 'wire', 'net', 'store', 'auth'],
  events: ['errors', 'config', 'portal', 'wire', 'net', 'store', 'auth'],
  domain: ['errors', 'config', 'log', 'portal', 'wire', 'net', 'text', 'store', 'auth', 'format', 'realtime', 'events'],
  rest: ['errors', 'config', 'log', 'portal', 'wire', 'store', 'auth'],
  api: ['errors', 'config', 'portal', 'wire', 'auth', 'format', 'events', 'domain', 'rest'],
  http: ['errors', 'config', 'clock', 'metrics', 'log', 'portal', 'wire', 'net', 'text', 'store', 'cluster', 'auth', 'format', 'realtime', 'events', 'domain', 'rest', 'api/index.ts'],
  // Conversation tests for bots (`parley test`, the package's ./testing export): an ephemeral
  // portal started as `parley start` starts one, with people made as the CLI makes them.
  testing: ['errors', 'config', 'portal', 'net', 'store', 'domain', 'http'],
  cli: ['errors', 'config', 'portal', 'wire', 'net', 'text', 'store', 'cluster', 'auth', 'format', 'realtime', 'events', 'domain', 'rest', 'http', 'testing'],
} as const satisfies Record<string, readonly string[]>;

type Layer = keyof typeof MAY_IMPORT;

/** The root files that are layers of their own. */
const ROOT_FILES: Record<string, Layer> = { 'errors.ts': 'errors', 'config.ts': 'config', 'clock.ts': 'clock', 'metrics.ts': 'metrics', 'log.ts': 'log', 'portal.ts': 'portal' };

/** One resolved import: the file that imports, what it wrote, and the file it names. */
interface Edge { from: string; spec: string; to: string; line: number }

/** The layer of a path relative to the repository (src/<layer>/…, or a root file); undefined when none. */
export function layerOf(file: string): Layer | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'src') return undefined;
  if (parts.length === 2) return ROOT_FILES[parts[1]];
  return parts[1] in MAY_IMPORT ? (parts[1] as Layer) : undefined;
}

/** Every relative import of the given sources (path → text), resolved against the same set of paths. */
export function importsOf(sources: Map<string, string>): { edges: Edge[]; unresolved: string[] } {
  const edges: Edge[] = [];
  const unresolved: string[] = [];
  for (const [from, text] of sources) {
    const info = ts.preProcessFile(text, true, true);
    const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue; // packages and node: builtins
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), ref.fileName));
      const to = [base, `${base}.ts`, `${base}/index.ts`].find((c) => sources.has(c));
      if (to) edges.push({ from, spec: ref.fileName, to, line: lineOf(ref.pos) });
      else unresolved.push(`${from}:${lineOf(ref.pos)} imports '${ref.fileName}', which is no file under src`);
    }
  }
  return { edges, unresolved };
}

/** Imports that break the table, as `file:line imports 'spec' (from → to)`. */
export function layerViolations(sources: Map<string, string>): { violations: string[] } {
  const violations: string[] = [];
  for (const file of sources.keys()) {
    if (!layerOf(file)) violations.push(`${file} is in no layer: put it under a layer's folder or add its layer to MAY_IMPORT`);
  }
  const { edges, unresolved } = importsOf(sources);
  violations.push(...unresolved);
  for (const e of edges) {
    const from = layerOf(e.from);
    const to = layerOf(e.to);
    if (!from || !to || from === to) continue;
    const rules: readonly string[] = MAY_IMPORT[from];
    if (rules.includes(to) || rules.includes(e.to.slice('src/'.length))) continue;
    const only = rules.filter((r) => r.startsWith(`${to}/`));
    const why = only.length ? `${from} may import only ${only.map((r) => `src/${r}`).join(', ')} of ${to}` : `${from} must not import ${to}`;
    violations.push(`${e.from}:${e.line} imports '${e.spec}' (${why})`);
  }
  return { violations };
}

/** Every import cycle between files, each as `a -> b -> … -> a` (one cycle per strongly connected group). */
export function importCycles(sources: Map<string, string>): string[] {
  const next = new Map<string, string[]>([...sources.keys()].map((f) => [f, []]));
  for (const e of importsOf(sources).edges) if (!next.get(e.from)!.includes(e.to)) next.get(e.from)!.push(e.to);
  for (const list of next.values()) list.sort();
  // Tarjan's strongly connected components, iterative (no recursion depth to worry about).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const start of [...next.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = next.get(top.node)!;
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const group: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          group.push(w);
        } while (w !== top.node);
        if (group.length > 1 || next.get(top.node)!.includes(top.node)) groups.push(group.sort());
      }
    }
  }
  // One concrete cycle per group: the shortest way back to its first file (breadth-first inside the group).
  return groups.map((group) => {
    const inGroup = new Set(group);
    const first = group[0];
    const prev = new Map<string, string>();
    const queue = [first];
    let end: string | undefined;
    while (queue.length && !end) {
      const node = queue.shift()!;
      for (const w of next.get(node)!) {
        if (!inGroup.has(w)) continue;
        if (w === first) {
          end = node;
          break;
        }
        if (!prev.has(w)) {
          prev.set(w, node);
          queue.push(w);
        }
      }
    }
    const cycle = [first];
    for (let n = end!; n !== first; n = prev.get(n)!) cycle.splice(1, 0, n);
    const more = group.length > cycle.length ? ` (the cycle runs through ${group.length} files: ${group.join(', ')})` : '';
    return `${[...cycle, first].join(' -> ')}${more}`;
  });
}

/** Every .ts file under src/, by its path relative to the repository. */
function sourcesUnderSrc(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) out.set(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'));
    }
  };
  walk('src');
  return out;
}

describe('layers of src/', () => {
  const sources = sourcesUnderSrc();

  test('every import follows the layer table', () => {
    const { violations } = layerViolations(sources);
    assert.deepEqual(violations, [], `imports the layer table forbids:\n  ${violations.join('\n  ')}`);
  });

  test('no files import each other in a cycle', () => {
    const cycles = importCycles(sources);
    assert.deepEqual(cycles, [], `import cycles:\n  ${cycles.join('\n  ')}`);
  });

  test('the check itself finds a forbidden import, an import of a non-entry file, and a cycle', () => {
    const fake = new Map([
      ['src/errors.ts', ''],
      ['src/store/rows.ts', "export type { X } from '../domain/types.ts';"],
      ['src/domain/types.ts', "import type { Y } from '../store/rows.ts';\nimport {\n  z,\n} from '../rest/params';"],
      ['src/rest/params.ts', "// import { nope } from '../api/index.ts'\nconst s = \"from '../api/x.ts'\";"],
      ['src/api/index.ts', "import './x.ts';"],
      ['src/api/x.ts', "import { fail } from '../errors.ts';"],
      ['src/http/server.ts', "import '../api/index.ts';\nimport { y } from '../api/x.ts';\nconst m = await import('../cli/main.ts');"],
      ['src/cli/main.ts', "import { s } from '../http/server.ts';"],
      ['src/lost/thing.ts', ''],
    ]);
    assert.deepEqual(layerViolations(fake).violations, [
      "src/lost/thing.ts is in no layer: put it under a layer's folder or add its layer to MAY_IMPORT",
      "src/store/rows.ts:1 imports '../domain/types.ts' (store must not import domain)",
      "src/domain/types.ts:4 imports '../rest/params' (domain must not import rest)",
      "src/http/server.ts:2 imports '../api/x.ts' (http may import only src/api/index.ts of api)",
      "src/http/server.ts:3 imports '../cli/main.ts' (http must not import cli)",
    ]);
    assert.deepEqual(importCycles(fake), [
      'src/cli/main.ts -> src/http/server.ts -> src/cli/main.ts',
      'src/domain/types.ts -> src/store/rows.ts -> src/domain/types.ts',
    ]);
  });
});
