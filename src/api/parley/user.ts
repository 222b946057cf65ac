/**
 * Portal users from the developer console: `parley.user.add` (an administrator adds a person who can
 * sign in) and `parley.user.list`. Bitrix24 invites users by e-mail (`user.add`); a self-hosted
 * portal without mail needs the login and password set directly, as `parley user add` does.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, list, str } from '../../rest/params.ts';
import { createUser, fullName } from '../../domain/users.ts';
import { findDepartment } from '../../domain/departments.ts';
import { requireAdmin } from './app.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';

defineMethod({
  name: 'parley.user.add', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    const name = str(p, 'NAME').trim();
    if (!name) fail('ERROR_ARGUMENT', 'NAME (first name) is required');
    const login = str(p, 'LOGIN').trim();
    const password = str(p, 'PASSWORD');
    if (!/^[\w.@-]{2,50}$/.test(login)) fail('ERROR_ARGUMENT', 'LOGIN is 2-50 letters, digits, dots, @, _ or -');
    if (password.length < 6) fail('ERROR_ARGUMENT', 'PASSWORD must have at least 6 characters');
    const db = ctx.portal.db;
    if (await db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirst()) fail('ERROR_ARGUMENT', `Login "${login}" is taken`);
    const departments = [...new Set(list(p, 'DEPARTMENTS').map(Number))].filter((n) => Number.isSafeInteger(n) && n > 0);
    for (const d of departments) if (!(await findDepartment(db, d))) fail('ERROR_ARGUMENT', `No department ${d}`);
    const id = await createUser(db, {
      name, lastName: str(p, 'LAST_NAME').trim(), login, password, email: str(p, 'EMAIL').trim(),
      workPosition: str(p, 'WORK_POSITION').trim(), departments, isAdmin: flag(p, 'ADMIN'),
    });
    return id;
  },
});

defineMethod({
  name: 'parley.user.list', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx) {
    requireAdmin(ctx);
    const rows = await ctx.portal.db.selectFrom('users').selectAll().where('is_bot', '=', 0).orderBy('id').execute();
    return rows.map((u) => ({
      id: u.id, name: fullName(u), login: u.login ?? '', email: u.email, work_position: u.work_position,
      departments: JSON.parse(u.departments) as number[], admin: !!u.is_admin, active: !!u.active,
    }));
  },
});
