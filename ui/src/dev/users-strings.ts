/** Strings of the console's Users tab (parley.user.add / parley.user.list), Russian and English. */
import { strings } from '../i18n.ts';

export const tu = strings({
  en: {
    tabUsers: 'Users', newUser: 'New user', firstName: 'First name', lastName: 'Last name', login: 'Login', password: 'Password',
    passwordHint: 'At least 6 characters; give it to the person, they sign in with it', email: 'E-mail', position: 'Position',
    departments: 'Departments', findDepartment: 'Find a department', findHint: 'At least 3 characters', noDepartments: 'No departments found',
    admin: 'Administrator (may open this console)', add: 'Add user', added: 'User “{name}” added (#{id}). They can sign in as “{login}”.',
    users: 'Portal users', adminTag: 'administrator', inactive: 'inactive', noEmail: 'no e-mail',
  },
  ru: {
    tabUsers: 'Пользователи', newUser: 'Новый пользователь', firstName: 'Имя', lastName: 'Фамилия', login: 'Логин', password: 'Пароль',
    passwordHint: 'Не короче 6 символов; сообщите его сотруднику, он войдёт с ним', email: 'Эл. почта', position: 'Должность',
    departments: 'Подразделения', findDepartment: 'Найти подразделение', findHint: 'Хотя бы 3 символа', noDepartments: 'Подразделения не найдены',
    admin: 'Администратор (может открывать эту консоль)', add: 'Добавить', added: 'Пользователь «{name}» добавлен (№{id}). Вход под логином «{login}».',
    users: 'Пользователи портала', adminTag: 'администратор', inactive: 'неактивен', noEmail: 'нет почты',
  },
});
