/**
 * What the portal's operator does from the command line — `parley user add`, `user password`, `department add`,
 * `webhook add`, `app add`, `app uninstall|reinstall` — with the checks against the store those
 * commands make. The CLI reads its flags, calls these and prints what they answer; the test suite
 * sets its portals up through the same functions in-process. A failed check is an OperatorError,
 * whose message the CLI prints as its one-line usage error.
 */
import type { Portal } from '../portal.ts';
import type { App, User } from './types.ts';
import { ERRORS, RestError } from '../errors.ts';
import { passwordProblem } from '../auth/password-policy.ts';
import { passwordOwner, replacePassword } from './account-passwords.ts';
import { addLocalApp, addWebhook, changeInstallation, findApp, webhookUrl, type NewApp } from './apps.ts';
import { createDepartment, createUser, findUser, findUserByLogin } from './users.ts';
import { findDepartment } from './departments.ts';

/** A check of an operator's command failed; the message names what is wrong. */
export class OperatorError extends Error {}

async function activeUser(portal: Portal, id: number): Promise<void> {
  if (!(await findUser(portal.db, id))) throw new OperatorError(`no active user with ID ${id}`);
}

/** A person the operator adds (`parley user add`). */
export interface NewPerson {
  name: string;
  lastName: string;
  departments: number[];
  login?: string | null;
  password?: string | null;
  isAdmin?: boolean;
}

/** Add a person in existing departments, with a login nobody has; answers the new user's ID. */
export async function addPerson(portal: Portal, p: NewPerson): Promise<number> {
  for (const d of p.departments) {
    if (!(await findDepartment(portal.db, d))) throw new OperatorError(`no department ${d}`);
  }
  if (p.login && (await findUserByLogin(portal.db, p.login))) throw new OperatorError(`login "${p.login}" is taken`);
  const problem = p.password ? passwordProblem(p.password, p.login) : undefined;
  if (problem) throw new OperatorError(ERRORS[problem][1]);
  return createUser(portal.db, {
    name: p.name, lastName: p.lastName, departments: p.departments, login: p.login ?? null, password: p.password ?? null, isAdmin: !!p.isAdmin,
  });
}

/**
 * Give a person a new password (`parley user password`): their web sessions and messenger tokens end
 * and their login's lock is lifted, as when an administrator sets it in the console. Answers the person.
 */
export async function setUserPassword(portal: Portal, userId: number, password: string): Promise<User> {
  try {
    const user = await passwordOwner(portal, userId);
    await replacePassword(portal, user, password);
    return user;
  } catch (err) {
    // The same refusals as the console's, as the command's one-line usage error.
    if (err instanceof RestError) throw new OperatorError(err.description);
    throw err;
  }
}

/** Add a department below an existing one (a new root without), headed by an active user or nobody; answers its ID. */
export async function addDepartment(portal: Portal, name: string, parentId: number | null, headUserId: number | null): Promise<number> {
  if (parentId !== null && !(await findDepartment(portal.db, parentId))) throw new OperatorError(`no department ${parentId}`);
  if (headUserId !== null) await activeUser(portal, headUserId);
  return createDepartment(portal.db, name, parentId, headUserId);
}

/** Add an incoming webhook acting as an active user; answers its ID and its full URL (shown this once). */
export async function addUserWebhook(portal: Portal, userId: number, scopes: string[]): Promise<{ id: number; url: string }> {
  await activeUser(portal, userId);
  const { id, code } = await addWebhook(portal.db, userId, scopes);
  return { id, url: webhookUrl(portal.publicUrl, userId, code) };
}

/** Create a local app installed by an active user, and install it: ONAPPINSTALL goes out. */
export async function addInstalledApp(portal: Portal, input: NewApp): Promise<App> {
  await activeUser(portal, input.installUserId);
  return addLocalApp(portal, input);
}

/** Uninstall (`clean`: with its data) or reinstall an app named by ID or client_id; answers the app. */
export async function changeApp(portal: Portal, idOrClientId: string, action: 'uninstall' | 'reinstall', clean = false): Promise<App> {
  const app = await findApp(portal.db, idOrClientId);
  if (!app) throw new OperatorError(`no app ${idOrClientId}`);
  await changeInstallation(portal, app, action, clean);
  return app;
}
