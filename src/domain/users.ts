/**
 * Portal users: people and bots alike (a bot is a user with is_bot set). Creation (passwords are
 * hashed by src/auth/passwords.ts), lookup, and the first-start seed of an admin and demo users.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import { claimSetting } from '../store/settings.ts';
import type { User } from '../store/rows.ts';
import { COLORS as PALETTE } from '../format/colors.ts';
import { isRowId } from '../store/row-id.ts';
import { hashPassword } from '../auth/passwords.ts';

// How Bitrix24 writes a full name is shared with event payloads (src/wire/names.ts).
export { fullName } from '../wire/names.ts';

/** What it takes to create a user. */
export interface NewUser {
  name: string;
  lastName?: string;
  login?: string | null;
  password?: string | null;
  email?: string;
  workPosition?: string;
  gender?: string;
  color?: string;
  avatar?: string;
  personalWww?: string;
  birthday?: string;
  departments?: number[];
  isAdmin?: boolean;
  isBot?: boolean;
}

/** The sixteen colours of the messenger, by their wire name, with the hex the UI shows. */
/** The messenger's 16 colours by name (shared with the web UI). */
export const COLORS: Record<string, string> = PALETTE;

/** Insert a user and return its id. */
export async function createUser(db: Db, u: NewUser): Promise<number> {
  const colors = Object.keys(COLORS);
  const passwordHash = u.password ? await hashPassword(u.password) : null;
  const row = await db.insertInto('users').values({
    login: u.login ?? null,
    password_hash: passwordHash,
    name: u.name,
    last_name: u.lastName ?? '',
    email: u.email ?? '',
    work_position: u.workPosition ?? '',
    gender: u.gender ?? '',
    color: u.color ?? colors[Math.floor(Math.random() * colors.length)],
    avatar: u.avatar ?? '',
    personal_www: u.personalWww ?? '',
    birthday: u.birthday ?? '',
    departments: JSON.stringify(u.departments ?? []),
    is_admin: u.isAdmin ? 1 : 0,
    is_bot: u.isBot ? 1 : 0,
    active: 1,
    created_at: Date.now(),
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Find an active user by id. */
export async function findUser(db: Db, id: number): Promise<User | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('users').selectAll().where('id', '=', id).where('active', '=', 1).executeTakeFirst();
}

/** Find several users by id, keyed by id. */
export async function findUsers(db: Db, ids: number[]): Promise<Map<number, User>> {
  const unique = [...new Set(ids.filter(isRowId))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The user (active or not) who signs in with this login, if any. */
export async function findUserByLogin(db: Db, login: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
}

/** Every person of the company (not a bot, not an open-line customer), active or not, by id. */
export async function listPeople(db: Db): Promise<User[]> {
  return db.selectFrom('users').selectAll().where('is_bot', '=', 0).where('external_auth_id', '=', '').orderBy('id').execute();
}

/** Find a user by id, deactivated ones (removed bots) included: they are still shown (im.user.get). */
export async function findAnyUser(db: Db, id: number): Promise<User | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Create a department and return its id. */
export async function createDepartment(db: Db, name: string, parentId: number | null, headUserId: number | null): Promise<number> {
  const row = await db.insertInto('departments').values({ name, parent_id: parentId, head_user_id: headUserId }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Credentials of the seeded accounts, shown to whoever starts the portal. */
export interface SeededLogin { id: number; login: string; password: string; name: string }

/**
 * Seed a new portal: the admin (ID 1) heading the company, and four demo users in two departments.
 * Returns the logins created, or [] when the portal was already seeded.
 */
export async function seedPortal(store: Kysely<Database>): Promise<SeededLogin[]> {
  // Several nodes may start together on one fresh database: the first to claim the `seeded` key
  // seeds, the others wait on the key until it commits and then find the portal seeded.
  return store.transaction().execute(async (db) => {
    if (!(await claimSetting(db, 'seeded', String(Date.now())))) return [];
    const any = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    return any ? [] : seedUsers(db);
  });
}

async function seedUsers(db: Db): Promise<SeededLogin[]> {
  const pw = () => crypto.randomBytes(6).toString('base64url');
  const logins: SeededLogin[] = [];
  const add = async (login: string, name: string, lastName: string, extra: Partial<NewUser>) => {
    const password = pw();
    const id = await createUser(db, { login, password, name, lastName, email: `${login}@parley.local`, ...extra });
    logins.push({ id, login, password, name: `${name} ${lastName}` });
    return id;
  };
  const adminId = await add('admin', 'Parley', 'Admin', { isAdmin: true, workPosition: 'Administrator', gender: 'M' });
  const company = await createDepartment(db, 'Company', null, adminId);
  const sales = await createDepartment(db, 'Sales', company, null);
  const support = await createDepartment(db, 'Support', company, null);
  await db.updateTable('users').set({ departments: JSON.stringify([company]) }).where('id', '=', adminId).execute();
  const anna = await add('anna', 'Анна', 'Петрова', { departments: [sales], workPosition: 'Head of sales', gender: 'F' });
  await add('ivan', 'Иван', 'Сидоров', { departments: [sales], workPosition: 'Sales manager', gender: 'M' });
  const maria = await add('maria', 'Maria', 'Garcia', { departments: [support], workPosition: 'Head of support', gender: 'F' });
  await add('john', 'John', 'Smith', { departments: [support], workPosition: 'Support engineer', gender: 'M' });
  await db.updateTable('departments').set({ head_user_id: anna }).where('id', '=', sales).execute();
  await db.updateTable('departments').set({ head_user_id: maria }).where('id', '=', support).execute();
  return logins;
}
