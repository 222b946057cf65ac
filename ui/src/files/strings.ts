/** Strings of file sending and file display, Russian and English. */
import { strings } from '../i18n.ts';

/** A files string in the current language. */
export const tf = strings({
  en: {
    attach: 'Attach files', dropHere: 'Drop files here to send them', uploading: 'Uploading {name}',
    failed: 'Not sent: {name}', dismiss: 'Dismiss', tooLarge: 'The file is too large for the portal ({detail})',
    networkError: 'the upload was interrupted (the file may be too large)', download: 'Download {name}',
    openImage: 'Open {name}',
  },
  ru: {
    attach: 'Прикрепить файлы', dropHere: 'Перетащите файлы сюда, чтобы отправить', uploading: 'Загрузка: {name}',
    failed: 'Не отправлено: {name}', dismiss: 'Скрыть', tooLarge: 'Файл слишком большой для портала ({detail})',
    networkError: 'загрузка прервана (возможно, файл слишком большой)', download: 'Скачать {name}',
    openImage: 'Открыть {name}',
  },
});
