/** The conversation page's words in English and Russian, chosen by the browser's language. */
const en = {
  title: 'Live chat', close: 'Close', placeholder: 'Write a message…', send: 'Send', start: 'Start the chat',
  name: 'Your name', email: 'Email', phone: 'Phone', required: 'required', typing: 'is typing…',
  received: 'Your message has been received. No operator is online right now: we will answer as soon as we can.',
  rate: 'How did we do?', like: 'Good', dislike: 'Bad', thanks: 'Thank you for your rating!',
  failed: 'The message was not sent. Try again.', attach: 'Files will come soon',
};
const ru: typeof en = {
  title: 'Онлайн-чат', close: 'Закрыть', placeholder: 'Напишите сообщение…', send: 'Отправить', start: 'Начать чат',
  name: 'Ваше имя', email: 'Эл. почта', phone: 'Телефон', required: 'обязательно', typing: 'печатает…',
  received: 'Ваше сообщение получено. Сейчас нет операторов в сети: мы ответим, как только сможем.',
  rate: 'Оцените нашу работу', like: 'Хорошо', dislike: 'Плохо', thanks: 'Спасибо за оценку!',
  failed: 'Сообщение не отправлено. Попробуйте ещё раз.', attach: 'Файлы появятся позже',
};

/** The page's language. */
export const lang: 'ru' | 'en' = navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
/** The words of the page's language. */
export const s = lang === 'ru' ? ru : en;
