/** Strings of the console's Users tab (parley.user.add / list / password.set), Russian and English. */
import { strings } from '../i18n.ts';

export const tu = strings({
  en: {
    tabUsers: 'Users', newUser: 'New user', firstName: 'First name', lastName: 'Last name', login: 'Login', password: 'Password',
    passwordHint: 'At least 8 characters, not the login; give it to the person, they sign in with it', email: 'E-mail', position: 'Position',
    departments: 'Departments', findDepartment: 'Find a department', findHint: 'At least 3 characters', noDepartments: 'No departments found',
    admin: 'Administrator (may open this console)', add: 'Add user', added: 'User “{name}” added (#{id}). They can sign in as “{login}”.',
    users: 'Portal users', adminTag: 'administrator', inactive: 'inactive', noEmail: 'no e-mail',
    setPassword: 'Set password', newPasswordFor: 'New password for {login}', set: 'Set',
    passwordSet: 'New password set for “{login}”. Their sessions were ended: give them the password to sign in again.',
  },
  ru: {
    tabUsers: 'Пользователи', newUser: 'Новый пользователь', firstName: 'Имя', lastName: 'Фамилия', login: 'Логин', password: 'Пароль',
    passwordHint: 'Не короче 8 символов и не равен логину; сообщите его сотруднику, он войдёт с ним', email: 'Эл. почта', position: 'Должность',
    departments: 'Подразделения', findDepartment: 'Найти подразделение', findHint: 'Хотя бы 3 символа', noDepartments: 'Подразделения не найдены',
    admin: 'Администратор (может открывать эту консоль)', add: 'Добавить', added: 'Пользователь «{name}» добавлен (№{id}). Вход под логином «{login}».',
    users: 'Пользователи портала', adminTag: 'администратор', inactive: 'неактивен', noEmail: 'нет почты',
    setPassword: 'Задать пароль', newPasswordFor: 'Новый пароль для {login}', set: 'Задать',
    passwordSet: 'Пароль для «{login}» задан. Его сеансы завершены: сообщите ему пароль, чтобы он вошёл снова.',
  },
});
