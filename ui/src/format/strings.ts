/** Strings of message formatting in the messenger (folding, mentions, files, the format menu), Russian and English. */
import { strings } from '../i18n.ts';

/** A formatting string in the current language. */
export const tf = strings({
  en: {
    showMore: 'Show more', showLess: 'Show less', file: 'File {id}', noAccess: 'You cannot open this conversation',
    fileUnavailable: 'This file is not available here', blank: 'Nothing to send: the message has formatting but no text',
    format: 'Text format', b: 'Bold (Ctrl+B)', i: 'Italic (Ctrl+I)', u: 'Underline (Ctrl+U)', s: 'Strike-through (Ctrl+Shift+X)',
    code: 'Code block', quote: 'Quote', url: 'Link', user: 'Mention', color: 'Colour', size: 'Size',
    colorOf: 'Colour {name}', sizeOf: 'Size {n} px', mentionOf: 'Mention {name}', noPeople: 'No one to mention here',
  },
  ru: {
    showMore: 'Показать полностью', showLess: 'Свернуть', file: 'Файл {id}', noAccess: 'Вы не можете открыть этот диалог',
    fileUnavailable: 'Этот файл здесь недоступен', blank: 'Нечего отправить: в сообщении есть форматирование, но нет текста',
    format: 'Формат текста', b: 'Жирный (Ctrl+B)', i: 'Курсив (Ctrl+I)', u: 'Подчёркнутый (Ctrl+U)', s: 'Зачёркнутый (Ctrl+Shift+X)',
    code: 'Блок кода', quote: 'Цитата', url: 'Ссылка', user: 'Упомянуть', color: 'Цвет', size: 'Размер',
    colorOf: 'Цвет {name}', sizeOf: 'Размер {n} px', mentionOf: 'Упомянуть: {name}', noPeople: 'Здесь некого упомянуть',
  },
});
