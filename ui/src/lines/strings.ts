/** The operator's workspace strings (open lines: sessions, their actions, the customer's card, quick answers), in English and Russian. */
import { strings } from '../i18n.ts';

/** A string of the open-lines workspace in the current language. */
export const tl = strings({
  en: {
    tabChats: 'Chats', tabLines: 'Open lines', linesUnread: '{n} unread in open lines', waitingCount: '{n} waiting for an answer',
    waiting: 'Waiting for an answer', inProgress: 'In progress', finished: 'Finished', noSessions: 'No conversations in your open lines yet.',
    stNew: 'Offered to you', stQueue: 'Waiting in the queue', stAnswered: 'Taken', stClient: 'The customer wrote', stOperator: 'Answered',
    stClosed: 'Finished', stSpam: 'Spam', stBot: 'With the bot',
    sessionOf: 'Session #{id}', heldBy: 'Operator: {name}', nobody: 'Nobody has taken it yet',
    answer: 'Answer', skip: 'Skip', transfer: 'Transfer', finish: 'Finish', spam: 'Mark as spam', intercept: 'Take over',
    spamConfirm: 'Mark this conversation as spam and end it?', answered: 'The conversation is yours', skipped: 'Passed to the next operator',
    transferred: 'Transferred to {name}', finishedToast: 'Conversation finished', spamToast: 'Marked as spam',
    transferTitle: 'Transfer the conversation', toOperator: 'To an operator of this line', toLine: 'To another line',
    noOperators: 'No other operators in this line', noLines: 'No other lines', customer: 'Customer', channel: 'Channel', line: 'Line',
    sessions: 'Sessions', current: 'now', rating: 'Rating', like: 'Good', dislike: 'Bad', notRated: 'Not rated yet', ratingAsked: 'Rating requested',
    started: 'Started {date}', messagesCount: '{n} messages', showCard: 'Customer card', hideCard: 'Hide the card',
    quick: 'Quick answers', quickEmpty: 'No quick answers in this line yet. Save one from a message’s menu.', saveQuick: 'Save as a quick answer',
    quickSaved: 'Saved as a quick answer', insert: 'Insert: {text}', close: 'Close', lineChat: 'open line',
    gone: 'You are no longer in this conversation',
  },
  ru: {
    tabChats: 'Чаты', tabLines: 'Открытые линии', linesUnread: 'Непрочитанных в открытых линиях: {n}', waitingCount: 'Ждут ответа: {n}',
    waiting: 'Ждут ответа', inProgress: 'В работе', finished: 'Завершённые', noSessions: 'В ваших открытых линиях пока нет обращений.',
    stNew: 'Предложено вам', stQueue: 'Ждёт в очереди', stAnswered: 'Принято', stClient: 'Клиент написал', stOperator: 'Отвечено',
    stClosed: 'Завершено', stSpam: 'Спам', stBot: 'С ботом',
    sessionOf: 'Сессия №{id}', heldBy: 'Оператор: {name}', nobody: 'Ещё никто не взял',
    answer: 'Принять', skip: 'Пропустить', transfer: 'Передать', finish: 'Завершить', spam: 'Спам', intercept: 'Перехватить',
    spamConfirm: 'Отметить обращение как спам и завершить его?', answered: 'Обращение ваше', skipped: 'Передано следующему оператору',
    transferred: 'Передано: {name}', finishedToast: 'Обращение завершено', spamToast: 'Отмечено как спам',
    transferTitle: 'Передать обращение', toOperator: 'Оператору этой линии', toLine: 'В другую линию',
    noOperators: 'В линии нет других операторов', noLines: 'Других линий нет', customer: 'Клиент', channel: 'Канал', line: 'Линия',
    sessions: 'Сессии', current: 'сейчас', rating: 'Оценка', like: 'Хорошо', dislike: 'Плохо', notRated: 'Пока без оценки', ratingAsked: 'Оценка запрошена',
    started: 'Начата {date}', messagesCount: 'Сообщений: {n}', showCard: 'Карточка клиента', hideCard: 'Скрыть карточку',
    quick: 'Быстрые ответы', quickEmpty: 'В этой линии пока нет быстрых ответов. Сохраните ответ из меню сообщения.', saveQuick: 'Сохранить как быстрый ответ',
    quickSaved: 'Сохранено как быстрый ответ', insert: 'Вставить: {text}', close: 'Закрыть', lineChat: 'открытая линия',
    gone: 'Вы больше не участвуете в этом обращении',
  },
});
