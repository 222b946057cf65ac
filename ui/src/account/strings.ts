/** The account feature's strings (the account menu, changing one's password), in English and Russian. */
import { strings } from '../i18n.ts';

/** A string of the account feature in the current language. */
export const ta = strings({
  en: {
    account: 'Account: password, language, sign out',
    changePassword: 'Change password', currentPassword: 'Current password', newPassword: 'New password',
    repeatPassword: 'New password again', hint: 'At least 8 characters, not your login.',
    mismatch: 'The two new passwords differ. Type the same one twice.',
    WRONG_PASSWORD: 'The current password is wrong.',
    PASSWORD_TOO_SHORT: 'The new password is too short: use at least 8 characters.',
    PASSWORD_TOO_LONG: 'The new password is too long: use at most 256 characters.',
    PASSWORD_IS_LOGIN: 'The new password must not be your login.',
    PASSWORD_UNCHANGED: 'The new password is the one you have now. Choose another.',
    TOO_MANY_ATTEMPTS: 'Too many wrong passwords. Try again later.',
    SIGNIN_BUSY: 'The portal is busy. Try again in a moment.',
    NO_SESSION: 'You have been signed out. Sign in again to change the password.',
    failed: 'The password was not changed: {error}',
    changed: 'Your password is changed. You stay signed in here; everywhere else you were signed out.',
    done: 'Done', cancel: 'Cancel',
  },
  ru: {
    account: 'Учётная запись: пароль, язык, выход',
    changePassword: 'Сменить пароль', currentPassword: 'Текущий пароль', newPassword: 'Новый пароль',
    repeatPassword: 'Новый пароль ещё раз', hint: 'Не короче 8 символов и не совпадает с логином.',
    mismatch: 'Новые пароли не совпадают. Введите один и тот же дважды.',
    WRONG_PASSWORD: 'Текущий пароль неверен.',
    PASSWORD_TOO_SHORT: 'Новый пароль слишком короткий: нужно не меньше 8 символов.',
    PASSWORD_TOO_LONG: 'Новый пароль слишком длинный: не больше 256 символов.',
    PASSWORD_IS_LOGIN: 'Новый пароль не должен совпадать с логином.',
    PASSWORD_UNCHANGED: 'Это ваш нынешний пароль. Выберите другой.',
    TOO_MANY_ATTEMPTS: 'Слишком много неверных паролей. Попробуйте позже.',
    SIGNIN_BUSY: 'Портал занят. Попробуйте чуть позже.',
    NO_SESSION: 'Вы вышли из системы. Войдите снова, чтобы сменить пароль.',
    failed: 'Пароль не изменён: {error}',
    changed: 'Пароль изменён. Здесь вы остаётесь в системе, на других устройствах — вышли.',
    done: 'Готово', cancel: 'Отмена',
  },
});

/** The codes /web/password answers that have a sentence of their own above. */
export const KNOWN_REFUSALS = ['WRONG_PASSWORD', 'PASSWORD_TOO_SHORT', 'PASSWORD_TOO_LONG', 'PASSWORD_IS_LOGIN', 'PASSWORD_UNCHANGED',
  'TOO_MANY_ATTEMPTS', 'SIGNIN_BUSY', 'NO_SESSION'] as const;
