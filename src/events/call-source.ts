/**
 * The source key of the REST call being served (events/offline-events.md, "How to Avoid Cycles"): an
 * app that passes `auth_connector` with a modifying call does not want the change it made queued
 * back to itself under that key. The key travels with the call's async context rather than through
 * every domain action's signature: it is about who asked, which no action otherwise needs to know.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallSource { appId: number; connector: string }

const current = new AsyncLocalStorage<CallSource>();

/** Run a call's work as coming from `source` (when it names one). */
export function withCallSource<T>(source: CallSource | undefined, work: () => Promise<T>): Promise<T> {
  return source ? current.run(source, work) : work();
}

/** The source of the call whose work is running now, if it named one. */
export const callSource = (): CallSource | undefined => current.getStore();
