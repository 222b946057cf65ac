/**
 * One confirmation at a time for the console's risky actions (install, uninstall, revoke,
 * redeliver): `await ask(text, { clean: true })` resolves with the choice, or null when cancelled.
 * ConfirmDialog.vue renders it as a modal <dialog>, so focus is trapped and Escape cancels.
 */
import { shallowRef } from 'vue';

/** What the user chose; `clean` only when the question offered it. */
export interface Choice { clean: boolean }

interface Question { text: string; offerClean: boolean; resolve(c: Choice | null): void }

/** The open question, if any. */
export const question = shallowRef<Question | null>(null);

/** Ask before an action; resolves null when the user cancels. */
export function ask(text: string, opts: { clean?: boolean } = {}): Promise<Choice | null> {
  question.value?.resolve(null);
  return new Promise((resolve) => {
    question.value = { text, offerClean: !!opts.clean, resolve };
  });
}

/** Close the question with an answer. */
export function answer(choice: Choice | null): void {
  const q = question.value;
  question.value = null;
  q?.resolve(choice);
}
