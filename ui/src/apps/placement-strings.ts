/** Strings of the apps' placements in the messenger, Russian and English. */
import { strings } from '../i18n.ts';

/** A placements string in the current language. */
export const tpl = strings({
  en: { close: 'Close the app', apps: 'Apps', open: 'Open {title}', smilesApps: 'From apps' },
  ru: { close: 'Закрыть приложение', apps: 'Приложения', open: 'Открыть: {title}', smilesApps: 'Из приложений' },
});
