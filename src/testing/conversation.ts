/**
 * The JavaScript API of conversation tests (`parley test` plays scenario files through it): an
 * ephemeral portal in a temporary folder (SQLite, loopback, a port of its own), the bot under test
 * started by its command and installed as a local app by its handler URL, and people who talk to it
 * through the REST API and wait for what it answers. Works from node:test, vitest or jest alike: a
 * failed expectation throws an ExpectationFailed whose message carries the diff.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { startPortal, type RunningPortal } from '../http/server.ts';
import { addInstalledApp, addPerson, addUserWebhook } from '../domain/operator.ts';
import { botsOfApp } from '../domain/bots.ts';
import { listDeliveries } from '../domain/event-log.ts';
import { parseScopes } from '../domain/apps.ts';
import type { App } from '../store/rows.ts';
import { startBotProcess, freePort, tail, waitListening, type BotProcess } from './bot-process.ts';
import { UserRest } from './rest-client.ts';
import { buttonsOf, describeExpectation, mismatch, type SeenMessage } from './expectations.ts';
import type { Expectation } from './scenario-file.ts';

/** What to test: the bot's handler and how to start it. */
export interface ConversationOptions {
  /** The app's handler URL; `{port}` stands for a free port given to `run` too. */
  handler: string;
  /** Shell command serving the handler (`{port}`, `{portal}` and `{ca}` are filled in); none when it already runs. */
  run?: string;
  /** Folder `run` starts in (the current one by default). */
  cwd?: string;
  /** The app's scopes, `imbot,im` by default. */
  scope?: string;
  /** The bot under test when the app registers several (else its first). */
  code?: string;
  /** `once` (the default here: a failing handler fails the test instead of being retried) or `retry`. */
  delivery?: 'once' | 'retry';
  /** Serve the portal over HTTPS (the JS SDK needs it); the bot gets NODE_EXTRA_CA_CERTS. */
  https?: boolean;
  /** More environment for the bot's process. */
  env?: Record<string, string>;
  /** How long the handler may take to listen and register its bot, ms (20 000). */
  startTimeout?: number;
  /** Default wait for an expected message, ms (5 000). */
  timeout?: number;
  /** Print the portal's own log on stderr. */
  verbose?: boolean;
}

/** A failed expectation; `message` holds the step, what differs and the diff. */
export class ExpectationFailed extends Error {
  /**
   * `expected`: what the step asked for, when it was a message; `reason`: what went wrong;
   * `diff`: expected lines (-) against what came (+).
   */
  constructor(readonly reason: string, readonly diff = '', readonly expected?: string) {
    super([expected ? `expected ${expected}: ${reason}` : reason, diff].filter(Boolean).join('\n'));
  }

  /** The reason and the diff, for a report that names the step already. */
  get details(): string {
    return [this.reason, this.diff].filter(Boolean).join('\n');
  }
}

/** A dialog people talk to the bot in: a person's private dialog with it, or a group chat. */
interface Dialog { id: string; key: string }

/** A group chat made with `Person.chat`: pass it as `in` to talk there. */
export interface ChatRef { dialogId: string; chatId: number; title: string }

const POLL_MS = 50;

/** A running conversation test: the portal, the bot, and the people made for it. */
export class Conversation {
  /** Per dialog, the newest bot message already taken by an expectation. */
  private readonly seen = new Map<string, number>();
  private readonly people: Person[] = [];

  private constructor(
    readonly running: RunningPortal,
    readonly app: App,
    readonly bot: { id: number; code: string },
    readonly timeout: number,
    private readonly process: BotProcess | undefined,
    private readonly tempDir: string,
    private readonly ca: Buffer | undefined,
  ) {}

  /** The portal's address (http://127.0.0.1:PORT or https://…). */
  get url(): string {
    return this.running.url;
  }

  /** Start the portal, start the bot, install its app and wait for its bot to register. */
  static async start(o: ConversationOptions): Promise<Conversation> {
    const { bad } = parseScopes(o.scope ?? 'imbot,im');
    if (bad.length) throw new Error(`unknown scope(s): ${bad.join(', ')}`);
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
    let running: RunningPortal | undefined;
    let bot: BotProcess | undefined;
    try {
      // Nothing from the environment chooses the store: a test never touches a real portal's data.
      running = await startPortal(loadConfig({
        dataDir: tempDir, db: '', redis: '', host: '127.0.0.1', port: 0, https: !!o.https, publicUrl: '',
        eventFirstDelayMs: 200, eventMaxDelayMs: 1000,
      }), { logTo: o.verbose ? process.stderr : { write: () => true } });
      const port = await freePort();
      const fill = (s: string) => s.replaceAll('{port}', String(port)).replaceAll('{portal}', running!.url).replaceAll('{ca}', running!.caCertPath ?? '');
      const handler = fill(o.handler);
      const startTimeout = o.startTimeout ?? 20_000;
      if (o.run) {
        const env: Record<string, string> = { PARLEY_URL: running.url, ...(running.caCertPath ? { NODE_EXTRA_CA_CERTS: running.caCertPath, PARLEY_CA: running.caCertPath } : {}), ...o.env };
        bot = startBotProcess(fill(o.run), o.cwd ?? process.cwd(), env);
      }
      await waitListening(handler, startTimeout, bot);
      const app = await addInstalledApp(running.portal, {
        name: 'Bot under test', handlerUrl: handler, scopes: parseScopes(o.scope ?? 'imbot,im').scopes, installUserId: 1, delivery: o.delivery ?? 'once',
      });
      const registered = await registeredBot(running, app, o.code, startTimeout, bot);
      const ca = running.caCertPath ? fs.readFileSync(running.caCertPath) : undefined;
      return new Conversation(running, app, registered, o.timeout ?? 5000, bot, tempDir, ca);
    } catch (err) {
      await bot?.stop();
      await running?.close();
      fs.rmSync(tempDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** A new person with a webhook of their own ("First Last"). */
  async person(fullName: string): Promise<Person> {
    const [first, ...rest] = fullName.trim().split(/\s+/);
    const id = await addPerson(this.running.portal, { name: first, lastName: rest.join(' '), departments: [] });
    const { url } = await addUserWebhook(this.running.portal, id, ['im', 'imbot']);
    const p = new Person(this, fullName, id, new UserRest(url, this.ca));
    this.people.push(p);
    return p;
  }

  /** The bot's messages in a dialog newer than the last one an expectation took. */
  async fresh(by: Person, dialog: Dialog): Promise<SeenMessage[]> {
    const after = this.seen.get(dialog.key) ?? 0;
    const page = await by.rest.call<{ messages: SeenMessage[] }>('im.dialog.messages.get', { DIALOG_ID: dialog.id, FIRST_ID: after, LIMIT: 50 });
    return page.messages.filter((m) => m.author_id === this.bot.id && !m.system && m.id > after).sort((a, b) => a.id - b.id);
  }

  /** Mark a bot message as taken by an expectation. */
  took(dialog: Dialog, m: SeenMessage): void {
    this.seen.set(dialog.key, m.id);
  }

  /** The bot's newest message in a dialog that has a button or menu item with this text. */
  async withButton(by: Person, dialog: Dialog, kind: 'KEYBOARD' | 'MENU', text: string): Promise<{ message: SeenMessage; button: Record<string, unknown> } | undefined> {
    const page = await by.rest.call<{ messages: SeenMessage[] }>('im.dialog.messages.get', { DIALOG_ID: dialog.id, LIMIT: 50 });
    for (const m of page.messages.filter((x) => x.author_id === this.bot.id).sort((a, b) => b.id - a.id)) {
      const button = buttonsOf(m.params, kind).find((b) => b.TEXT === text);
      if (button) return { message: m, button };
    }
    return undefined;
  }

  /** Events to the bot's app that failed: one line each (the handler's status, error or response). */
  async deliveryProblems(): Promise<string[]> {
    const { rows } = await listDeliveries(this.running.portal.db, { appId: this.app.id }, 0, 200);
    return rows.filter((r) => r.attempts > 0 && r.status !== 'pending' && !(r.last_status >= 200 && r.last_status < 300))
      .reverse()
      .map((r) => `${r.event} (delivery ${r.id}): ${r.last_status ? `HTTP ${r.last_status}` : 'no answer'}${r.last_error ? ` — ${r.last_error}` : ''}${r.last_response ? ` — ${r.last_response.slice(0, 300)}` : ''}`);
  }

  /** The bot process's output so far (for a failure report). */
  botOutput(): string {
    return tail(this.process);
  }

  /** Stop the bot and the portal and delete the temporary folder. */
  async close(): Promise<void> {
    await this.process?.stop();
    await this.running.close();
    fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/** Wait for the app to register its bot (the one with `code`, if given). */
async function registeredBot(running: RunningPortal, app: App, code: string | undefined, timeoutMs: number, bot?: BotProcess): Promise<{ id: number; code: string }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const bots = await botsOfApp(running.portal.db, app.id);
    const found = code ? bots.find((b) => b.code === code) : bots[0];
    if (found) return { id: found.id, code: found.code };
    if (Date.now() > until) {
      const { rows } = await listDeliveries(running.portal.db, { appId: app.id, event: 'ONAPPINSTALL' }, 0, 1);
      const install = rows[0];
      const why = install ? `ONAPPINSTALL: ${install.status}, ${install.last_status ? `HTTP ${install.last_status}` : install.last_error || 'not answered'}` : 'ONAPPINSTALL was not sent';
      const which = code ? `a bot with CODE ${code}` : 'a bot';
      const others = bots.length ? ` (it registered ${bots.map((b) => b.code).join(', ')})` : '';
      throw new Error(`the app did not register ${which} within ${timeoutMs} ms${others}; ${why}${tail(bot)}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** A person of the test: says things, presses buttons and expects the bot's answers. */
export class Person {
  constructor(private readonly test: Conversation, readonly name: string, readonly id: number, readonly rest: UserRest) {}

  private dialog(chat?: ChatRef): Dialog {
    return chat ? { id: chat.dialogId, key: chat.dialogId } : { id: String(this.test.bot.id), key: `${this.id}:${this.test.bot.id}` };
  }

  /** Send a message to the bot (its private dialog) or into a chat; `{bot}` mentions the bot. */
  async say(text: string, chat?: ChatRef): Promise<number> {
    const message = text.replaceAll('{bot}', `[USER=${this.test.bot.id}]bot[/USER]`);
    return this.rest.call<number>('im.message.add', { DIALOG_ID: this.dialog(chat).id, MESSAGE: message });
  }

  /** Make a group chat with the bot and the given people; this person owns it. */
  async chat(title: string, others: Person[] = []): Promise<ChatRef> {
    const users = [...others.map((p) => p.id), this.test.bot.id];
    const chatId = await this.rest.call<number>('im.chat.add', { TITLE: title, USERS: users });
    return { dialogId: `chat${chatId}`, chatId, title };
  }

  /** Wait for the bot's next message (after the last one expected in that dialog) and check it. */
  async expect(expected: Expectation, o: { in?: ChatRef; within?: number } = {}): Promise<SeenMessage> {
    const dialog = this.dialog(o.in);
    const within = o.within ?? (typeof expected === 'object' ? expected.within : undefined) ?? this.test.timeout;
    const until = Date.now() + within;
    for (;;) {
      const [next] = await this.test.fresh(this, dialog);
      if (next) {
        this.test.took(dialog, next);
        const off = mismatch(expected, next);
        if (off) throw new ExpectationFailed(off.what, off.diff, describeExpectation(expected));
        return next;
      }
      if (Date.now() > until) {
        const problems = await this.test.deliveryProblems();
        const why = problems.length ? `\n  failed deliveries:\n${problems.map((p) => `    ${p}`).join('\n')}` : '';
        throw new ExpectationFailed(`no message from the bot within ${within} ms${why}${this.test.botOutput()}`, '', describeExpectation(expected));
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Check that the bot says nothing more in the dialog for `within` ms. */
  async nothing(within: number, chat?: ChatRef): Promise<void> {
    const dialog = this.dialog(chat);
    const until = Date.now() + within;
    while (Date.now() <= until) {
      const [next] = await this.test.fresh(this, dialog);
      if (next) {
        this.test.took(dialog, next);
        throw new ExpectationFailed(`the bot said something within ${within} ms`, `+ ${next.text}`, 'nothing');
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Press the button with this text on the bot's newest keyboard that has it. */
  press(text: string, chat?: ChatRef): Promise<void> {
    return this.use('KEYBOARD', text, chat);
  }

  /** Choose the context-menu item with this text on the bot's newest message that has it. */
  menu(text: string, chat?: ChatRef): Promise<void> {
    return this.use('MENU', text, chat);
  }

  // A COMMAND button goes to the bot as the messenger sends it (im.message.command); an ACTION
  // SEND button sends its text. Others do nothing the bot would see, so pressing them is a mistake.
  private async use(kind: 'KEYBOARD' | 'MENU', text: string, chat?: ChatRef): Promise<void> {
    const found = await this.test.withButton(this, this.dialog(chat), kind, text);
    const what = kind === 'KEYBOARD' ? 'keyboard button' : 'menu item';
    if (!found) throw new ExpectationFailed(`no ${what} "${text}" on the bot's messages in this dialog`);
    const { message, button } = found;
    if (button.DISABLED === 'Y') throw new ExpectationFailed(`the ${what} "${text}" is disabled`);
    if (button.COMMAND) {
      await this.rest.call('im.message.command', {
        MESSAGE_ID: message.id, BOT_ID: Number(button.BOT_ID ?? message.author_id), COMMAND: String(button.COMMAND), COMMAND_PARAMS: String(button.COMMAND_PARAMS ?? ''),
      });
    } else if (button.ACTION === 'SEND') {
      await this.say(String(button.ACTION_VALUE ?? ''), chat);
    } else {
      throw new ExpectationFailed(`the ${what} "${text}" sends nothing to the bot (${button.LINK ? 'a LINK' : button.ACTION ? `ACTION ${String(button.ACTION)}` : button.APP_ID ? 'an app button' : 'no COMMAND'})`);
    }
  }
}

/** Start a conversation test (see ConversationOptions); close it when done. */
export function startConversation(o: ConversationOptions): Promise<Conversation> {
  return Conversation.start(o);
}
