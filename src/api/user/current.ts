/** user.current: the calling user (scope `basic`; the user.* directory methods are in ../user.ts). */
import { defineMethod } from '../../rest/registry.ts';
import { isoDate } from '../../rest/envelope.ts';
import { fullName } from '../../domain/users.ts';

defineMethod({
  name: 'user.current', scope: null, access: 'none',
  params: {},
  async handler(ctx) {
    const u = ctx.user;
    return {
      ID: String(u.id), ACTIVE: !!u.active, NAME: u.name, LAST_NAME: u.last_name, EMAIL: u.email,
      FULL_NAME: fullName(u), DATE_REGISTER: isoDate(u.created_at), IS_ONLINE: 'Y', PERSONAL_GENDER: u.gender,
      PERSONAL_BIRTHDAY: u.birthday, WORK_POSITION: u.work_position, UF_EMPLOYMENT_DATE: '',
      UF_DEPARTMENT: JSON.parse(u.departments) as number[],
    };
  },
});
