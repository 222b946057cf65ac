/** profile: the calling user in brief (scope `basic`). */
import { defineMethod } from '../rest/registry.ts';

defineMethod({
  name: 'profile', scope: null, access: 'none',
  params: {},
  async handler(ctx) {
    const u = ctx.user;
    return { ID: String(u.id), ADMIN: !!u.is_admin, NAME: u.name, LAST_NAME: u.last_name, PERSONAL_GENDER: u.gender, TIME_ZONE: '' };
  },
});
