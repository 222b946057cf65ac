/** The chat apps' strings (the composer's app buttons and the app frame), in English and Russian. */
import { strings } from '../i18n.ts';

/** A chat apps string in the current language. */
export const ta = strings({
  en: {
    apps: 'Chat apps', moreApps: 'More apps', close: 'Close', move: 'Drag to move', frameTitle: 'App: {title}',
    callNumber: 'Call {number}', supportUnknown: 'This support line is not on this portal', sameOrigin: 'This app cannot be opened here',
    openFailed: 'The app could not be opened',
  },
  ru: {
    apps: 'Приложения чата', moreApps: 'Другие приложения', close: 'Закрыть', move: 'Перетащите, чтобы переместить', frameTitle: 'Приложение: {title}',
    callNumber: 'Позвонить {number}', supportUnknown: 'Этой линии поддержки нет на портале', sameOrigin: 'Это приложение нельзя открыть здесь',
    openFailed: 'Не удалось открыть приложение',
  },
});
