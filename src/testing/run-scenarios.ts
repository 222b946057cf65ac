/**
 * Plays a scenario file: one portal and one bot process for the file, fresh people for each of its
 * scenarios (so each starts with new dialogs: the bot's welcome comes again), steps in order, the
 * first failing step ending its scenario. A scenario also fails when an event to the bot failed
 * (the handler answered an error or nothing), even if every expected message came.
 */
import { Conversation, ExpectationFailed, type ChatRef, type Person } from './conversation.ts';
import { describeExpectation } from './expectations.ts';
import type { LoadedScenarios, Scenario, Step } from './scenario-file.ts';

/** How one scenario went. */
export interface ScenarioResult {
  name: string;
  passed: boolean;
  ms: number;
  /** The steps played, each with how it went. */
  steps: { title: string; ok: boolean }[];
  /** Why it failed (with the diff), when it did. */
  failure?: string;
}

/** How a file went: its scenarios, or why none could run (the bot did not start, …). */
export interface FileResult { file: string; name: string; ms: number; scenarios: ScenarioResult[]; error?: string }

/** One line naming a step, for reports. */
export function stepTitle(st: Step, i: number): string {
  const who = 'as' in st && st.as ? ` (as ${st.as})` : '';
  const where = 'in' in st && st.in ? ` in ${st.in}` : '';
  let what: string;
  if ('say' in st) what = `say "${st.say}"`;
  else if ('expect' in st) what = `expect ${describeExpectation(st.expect)}`;
  else if ('nothing' in st) what = `expect nothing for ${st.nothing.within} ms`;
  else if ('press' in st) what = `press "${st.press}"`;
  else if ('menu' in st) what = `choose menu item "${st.menu}"`;
  else if ('chat' in st) what = `make chat "${st.chat.title}"`;
  else what = `wait ${st.wait} ms`;
  return `step ${i + 1}: ${what}${who}${where}`;
}

async function playStep(st: Step, people: Map<string, Person>, first: Person, chats: Map<string, ChatRef>): Promise<void> {
  const who = ('as' in st && st.as ? people.get(st.as) : undefined) ?? first;
  const chat = 'in' in st && st.in ? chats.get(st.in) : undefined;
  if ('say' in st) await who.say(st.say, chat);
  else if ('expect' in st) await who.expect(st.expect, { in: chat });
  else if ('nothing' in st) await who.nothing(st.nothing.within, chat);
  else if ('press' in st) await who.press(st.press, chat);
  else if ('menu' in st) await who.menu(st.menu, chat);
  else if ('chat' in st) chats.set(st.chat.title, await who.chat(st.chat.title, (st.chat.users ?? []).filter((u) => u !== who.name).map((u) => people.get(u)!)));
  else await new Promise((r) => setTimeout(r, st.wait));
}

async function playScenario(test: Conversation, s: Scenario): Promise<ScenarioResult> {
  const started = Date.now();
  const steps: ScenarioResult['steps'] = [];
  const people = new Map<string, Person>();
  for (const name of s.users) people.set(name, await test.person(name));
  const first = people.get(s.users[0])!;
  const chats = new Map<string, ChatRef>();
  const before = (await test.deliveryProblems()).length;
  let failure: string | undefined;
  for (const [i, st] of s.steps.entries()) {
    const title = stepTitle(st, i);
    try {
      await playStep(st, people, first, chats);
      steps.push({ title, ok: true });
    } catch (err) {
      steps.push({ title, ok: false });
      failure = `${title}: ${err instanceof ExpectationFailed ? err.details : (err as Error).message}`;
      break;
    }
  }
  if (!failure) {
    const problems = (await test.deliveryProblems()).slice(before);
    if (problems.length) failure = `events to the bot failed:\n${problems.map((p) => `  ${p}`).join('\n')}${test.botOutput()}`;
  }
  return { name: s.name, passed: !failure, ms: Date.now() - started, steps, failure };
}

/** Play every scenario of a loaded file. */
export async function runScenarios(loaded: LoadedScenarios, o: { verbose?: boolean } = {}): Promise<FileResult> {
  const started = Date.now();
  let test: Conversation;
  try {
    test = await Conversation.start({ ...loaded.bot, cwd: loaded.dir, timeout: loaded.timeout, verbose: o.verbose });
  } catch (err) {
    return { file: loaded.file, name: loaded.name, ms: Date.now() - started, scenarios: [], error: (err as Error).message };
  }
  const scenarios: ScenarioResult[] = [];
  try {
    for (const s of loaded.scenarios) scenarios.push(await playScenario(test, s));
  } finally {
    await test.close();
  }
  return { file: loaded.file, name: loaded.name, ms: Date.now() - started, scenarios };
}
