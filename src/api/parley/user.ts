/**
 * Portal users from the developer console (admins only, see app.ts): `parley.user.add` (an
 * administrator adds a person who can sign in; the password meets the policy of every new one) and
 * `parley.user.list`; a new password for someone is user.password.ts. Bitrix24 invites users by
 * e-mail (`user.add`); a self-hosted portal without mail needs the login and password set directly,
 * as `parley user add` does.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { createUser, findUserByLogin, fullName, listPeople } from '../../domain/users.ts';
import { findDepartment } from '../../domain/departments.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { runAction } from '../../domain/action.ts';
import { checkNewPassword } from '../../domain/account-passwords.ts';
import { admin } from '../codecs/callers.ts';

defineMethod({
  name: 'parley.user.add', scope: ADMIN_SCOPE, access: 'admin',
  params: {
    _admin: admin(),
    NAME: c.requiredString('ERROR_ARGUMENT', 'NAME (first name) is required'),
    LOGIN: c.trimmed().require((v) => /^[\w.@-]{2,50}$/.test(v), 'ERROR_ARGUMENT', 'LOGIN is 2-50 letters, digits, dots, @, _ or -'),
    PASSWORD: c.string(),
    DEPARTMENTS: c.list().map((ids) => [...new Set(ids.map(Number))].filter((n) => Number.isSafeInteger(n) && n > 0), 'array'),
    LAST_NAME: c.trimmed(),
    EMAIL: c.trimmed(),
    WORK_POSITION: c.trimmed(),
    ADMIN: c.flag(),
  },
  async handler(ctx, input) {
    const { LOGIN: login, DEPARTMENTS: departments } = input;
    // The policy of every new password (src/auth/password-policy.ts), before anything is looked up.
    checkNewPassword({ login }, input.PASSWORD);
    return runAction(ctx.portal, async (trx) => {
      // A taken login, then a missing department: the checks that need the store, in that order.
      if (await findUserByLogin(trx, login)) fail('ERROR_ARGUMENT', `Login "${login}" is taken`);
      for (const d of departments) if (!(await findDepartment(trx, d))) fail('ERROR_ARGUMENT', `No department ${d}`);
      return createUser(trx, {
        name: input.NAME, lastName: input.LAST_NAME, login, password: input.PASSWORD, email: input.EMAIL,
        workPosition: input.WORK_POSITION, departments, isAdmin: input.ADMIN,
      });
    });
  },
});

defineMethod({
  name: 'parley.user.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin() },
  async handler(ctx) {
    return (await listPeople(ctx.portal.db)).map((u) => ({
      id: u.id, name: fullName(u), login: u.login ?? '', email: u.email, work_position: u.work_position,
      departments: JSON.parse(u.departments) as number[], admin: !!u.is_admin, active: !!u.active,
    }));
  },
});
