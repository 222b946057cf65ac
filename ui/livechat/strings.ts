/** The conversation page's words in English and Russian, chosen by the browser's language. */
const en = {
  title: 'Live chat', close: 'Close', placeholder: 'Write a message…', send: 'Send', start: 'Start the chat',
  name: 'Your name', email: 'Email', phone: 'Phone', required: 'required', typing: 'is typing…',
  received: 'Your message has been received. No operator is online right now: we will answer as soon as we can.',
  rate: 'How did we do?', like: 'Good', dislike: 'Bad', thanks: 'Thank you for your rating!',
  failed: 'The message was not sent. Try again.', attach: 'Attach a file', menu: 'More actions',
  tooLarge: 'Not sent: {name} is too large (at most {max}).', tooMany: 'Not sent: at most {count} files in one message.',
  fileFailed: 'The file was not sent. Try again.', download: 'Download {name}',
  sent: 'Sent', read: 'Read', closed: 'This chat is closed. Thank you for writing to us.',
};
const ru: typeof en = {
  title: 'Онлайн-чат', close: 'Закрыть', placeholder: 'Напишите сообщение…', send: 'Отправить', start: 'Начать чат',
  name: 'Ваше имя', email: 'Эл. почта', phone: 'Телефон', required: 'обязательно', typing: 'печатает…',
  received: 'Ваше сообщение получено. Сейчас нет операторов в сети: мы ответим, как только сможем.',
  rate: 'Оцените нашу работу', like: 'Хорошо', dislike: 'Плохо', thanks: 'Спасибо за оценку!',
  failed: 'Сообщение не отправлено. Попробуйте ещё раз.', attach: 'Прикрепить файл', menu: 'Ещё действия',
  tooLarge: 'Не отправлено: файл {name} слишком большой (не больше {max}).', tooMany: 'Не отправлено: не больше {count} файлов в одном сообщении.',
  fileFailed: 'Файл не отправлен. Попробуйте ещё раз.', download: 'Скачать {name}',
  sent: 'Отправлено', read: 'Прочитано', closed: 'Этот чат закрыт. Спасибо, что написали нам.',
};

/** The page's language. */
export const lang: 'ru' | 'en' = navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
/** The words of the page's language. */
export const s = lang === 'ru' ? ru : en;

/** A phrase of `s` with its {placeholders} filled (as text: the page puts it in the DOM as text only). */
export const sf = (key: keyof typeof en, values: Record<string, string | number>): string =>
  s[key].replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));

/** A size in bytes for people: 512 B, 12 KB, 3.4 MB. */
export function humanSize(bytes: number): string {
  const units = lang === 'ru' ? ['Б', 'КБ', 'МБ', 'ГБ'] : ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const n = i === 0 || v >= 10 ? Math.round(v).toString() : v.toFixed(1);
  return `${lang === 'ru' ? n.replace('.', ',') : n} ${units[i]}`;
}
