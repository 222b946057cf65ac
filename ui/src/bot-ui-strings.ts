/**
 * What a Chatbots 2.0 bot shows in a dialog: the words of its action indicator (the statusMessageCode
 * values of imbot.v2.Chat.InputAction.notify, said with the bot's name) and the note in place of a
 * composer the bot has disabled (imbot.v2.Chat.TextField.enabled).
 */
import { strings } from './i18n.ts';

const ACTIONS = {
  IMBOT_AGENT_ACTION_THINKING: ['{name} is thinking…', '{name} думает…'],
  IMBOT_AGENT_ACTION_SEARCHING: ['{name} is searching for information…', '{name} ищет информацию…'],
  IMBOT_AGENT_ACTION_GENERATING: ['{name} is preparing a response…', '{name} готовит ответ…'],
  IMBOT_AGENT_ACTION_ANALYZING: ['{name} is analyzing the request…', '{name} анализирует запрос…'],
  IMBOT_AGENT_ACTION_PROCESSING: ['{name} is processing data…', '{name} обрабатывает данные…'],
  IMBOT_AGENT_ACTION_TRANSLATING: ['{name} is translating text…', '{name} переводит текст…'],
  IMBOT_AGENT_ACTION_CONNECTING: ['{name} is connecting to the service…', '{name} подключается к сервису…'],
  IMBOT_AGENT_ACTION_CHECKING: ['{name} is checking data…', '{name} проверяет данные…'],
  IMBOT_AGENT_ACTION_CALCULATING: ['{name} is calculating…', '{name} считает…'],
  IMBOT_AGENT_ACTION_READING_DOCS: ['{name} is reviewing documents…', '{name} изучает документы…'],
  IMBOT_AGENT_ACTION_COMPOSING: ['{name} is composing a response…', '{name} составляет ответ…'],
} as const;
type Action = keyof typeof ACTIONS;

const pick = (i: 0 | 1) => Object.fromEntries(Object.entries(ACTIONS).map(([k, v]) => [k, v[i]])) as Record<Action, string>;
const tx = strings({
  en: { ...pick(0), textFieldOff: 'Writing is turned off in this conversation' },
  ru: { ...pick(1), textFieldOff: 'В этом диалоге писать нельзя' },
});

/** The indicator's words for a known action code, or '' (then the plain "… is typing"). */
export function actionText(code: string, name: string): string {
  return code in ACTIONS ? tx(code as Action, { name }) : '';
}

/** The note shown instead of a disabled composer. */
export const textFieldOffNote = () => tx('textFieldOff');
