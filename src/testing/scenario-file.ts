/**
 * The scenario file of `parley test` (YAML or JSON, documented in docs/TESTING.md): which bot to
 * start and install, the people who talk to it, and the conversations to play with what the bot must
 * answer. Parsed and checked here before anything starts, so a mistake in the file is reported with
 * its path (`scenarios[0].steps[2].expect.within: …`) instead of as a failed conversation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** A scenario file bigger than this is refused before it is parsed. */
export const SCENARIO_FILE_MAX_BYTES = 1_048_576;

/** A malformed scenario file (exit 2 from `parley test`). */
export class ScenarioFileError extends Error {}

const buttons = z.array(z.union([z.string(), z.record(z.string(), z.unknown())]));

/** What the bot's next message must be: a string is its exact text. */
const expectation = z.union([
  z.string(),
  z.strictObject({
    text: z.string().optional(),
    contains: z.string().optional(),
    match: z.string().optional(),
    keyboard: buttons.optional(),
    menu: buttons.optional(),
    attach: z.unknown().optional(),
    within: z.number().int().positive().optional(),
  }),
]);

const step = z.union([
  z.strictObject({ say: z.string().min(1), as: z.string().optional(), in: z.string().optional() }),
  z.strictObject({ expect: expectation, as: z.string().optional(), in: z.string().optional() }),
  z.strictObject({ nothing: z.strictObject({ within: z.number().int().positive() }), as: z.string().optional(), in: z.string().optional() }),
  z.strictObject({ press: z.string().min(1), as: z.string().optional(), in: z.string().optional() }),
  z.strictObject({ menu: z.string().min(1), as: z.string().optional(), in: z.string().optional() }),
  z.strictObject({ chat: z.strictObject({ title: z.string().min(1), users: z.array(z.string()).optional() }), as: z.string().optional() }),
  z.strictObject({ wait: z.number().int().positive().max(600_000) }),
]);

const scenario = z.strictObject({
  name: z.string().min(1),
  users: z.array(z.string().min(1)).min(1).optional(),
  steps: z.array(step).min(1),
});

const fileSchema = z.strictObject({
  name: z.string().optional(),
  bot: z.strictObject({
    /** Shell command that serves the handler; `{port}` is a free port, run in the file's folder. */
    run: z.string().optional(),
    handler: z.string().min(1),
    scope: z.string().default('imbot,im'),
    /** The bot under test when the app registers several. */
    code: z.string().optional(),
    delivery: z.enum(['retry', 'once']).default('once'),
    https: z.boolean().default(false),
    env: z.record(z.string(), z.string()).default({}),
    /** How long the handler may take to listen and to register its bot, ms. */
    startTimeout: z.number().int().positive().default(20_000),
  }),
  /** Default wait for each expected message, ms. */
  timeout: z.number().int().positive().default(5_000),
  users: z.array(z.string().min(1)).min(1).default(['Test User']),
  scenarios: z.array(scenario).min(1).optional(),
  steps: z.array(step).min(1).optional(),
});

export type Step = z.infer<typeof step>;
export type Expectation = z.infer<typeof expectation>;
export type ScenarioFile = z.infer<typeof fileSchema>;
export type BotSpec = ScenarioFile['bot'];
export interface Scenario { name: string; users: string[]; steps: Step[] }

/** A loaded file: its folder (where `run` starts), its settings and its scenarios. */
export interface LoadedScenarios { file: string; dir: string; name: string; bot: BotSpec; timeout: number; scenarios: Scenario[] }

/** Check a parsed document; `file` names it in errors and gives the folder relative paths start from. */
export function checkScenarios(doc: unknown, file: string): LoadedScenarios {
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new ScenarioFileError(`${file}: ${first.join('; ')}`);
  }
  const f = parsed.data;
  if (!f.scenarios === !f.steps) throw new ScenarioFileError(`${file}: give either "steps" (one scenario) or "scenarios", not both or neither`);
  const scenarios = (f.scenarios ?? [{ name: f.name ?? path.basename(file), steps: f.steps! }])
    .map((s) => ({ name: s.name, users: 'users' in s && s.users ? s.users : f.users, steps: s.steps }));
  for (const s of scenarios) checkNames(s, file);
  return { file, dir: path.dirname(path.resolve(file)), name: f.name ?? path.basename(file), bot: f.bot, timeout: f.timeout, scenarios };
}

/** Every `as` names a user of the scenario and every `in` a chat made before it. */
function checkNames(s: Scenario, file: string): void {
  const chats = new Set<string>();
  s.steps.forEach((st, i) => {
    const where = `${file}: scenario "${s.name}", step ${i + 1}`;
    if ('as' in st && st.as !== undefined && !s.users.includes(st.as)) throw new ScenarioFileError(`${where}: "as: ${st.as}" is not one of its users (${s.users.join(', ')})`);
    if ('in' in st && st.in !== undefined && !chats.has(st.in)) throw new ScenarioFileError(`${where}: "in: ${st.in}" names no chat made by an earlier "chat" step`);
    if ('chat' in st) {
      for (const u of st.chat.users ?? []) if (!s.users.includes(u)) throw new ScenarioFileError(`${where}: chat user "${u}" is not one of its users`);
      chats.add(st.chat.title);
    }
    if ('expect' in st && typeof st.expect === 'object' && st.expect.match !== undefined) {
      try {
        new RegExp(st.expect.match, 'u');
      } catch (err) {
        throw new ScenarioFileError(`${where}: match is not a regular expression (${(err as Error).message})`);
      }
    }
  });
}

/** Read and check a scenario file: `.json` as JSON, anything else as YAML (of which JSON is a subset). */
export function loadScenarioFile(file: string): LoadedScenarios {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > SCENARIO_FILE_MAX_BYTES) throw new ScenarioFileError(`${file}: larger than ${SCENARIO_FILE_MAX_BYTES} bytes`);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioFileError) throw err;
    throw new ScenarioFileError(`${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new ScenarioFileError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return checkScenarios(doc, file);
}
