/** Loads every API family so that its methods register themselves. */
import '../rest/batch.ts';
// the methods every caller has (scope basic)
import './methods.ts';
import './scope.ts';
import './app.ts';
import './profile.ts';
import './user/current.ts';
import './server.ts';
import './event.ts';
import './event/offline.ts';
import './events.ts';
import './imbot.ts';
import './imbot/message.ts';
import './im/message.ts';
import './im/chat.ts';
import './im/chat.user.ts';
import './imbot/chat.ts';
import './imbot/chat.user.ts';
import './imbot/dialog.ts';
import './im/user.ts';
import './user/get.ts';
import './task/item.ts';
import './task/ctaskitem.ts';
import './imbot/command.ts';
import './im/message.command.ts';
import './im/command.ts';
import './imbot/giphy.ts';
import './imbot/app.ts';
// Parley's own methods behind the developer console (/dev)
import './parley/app.ts';
import './parley/webhook.ts';
import './parley/bot.ts';
import './parley/event.ts';
import './parley/event.fetch.ts';
import './parley/event.offline.ts';
import './parley/call.ts';
import './parley/user.ts';
import './parley/user.password.ts';
import './parley/method.ts';
import './parley/testevent.ts';
// chat apps as the messenger opens them (imbot.app.* registers them)
import './parley/chatapp.ts';
// the messenger's search over the messages of every dialog
import './parley/message.ts';
// Chat API families (issue 4); a family with more files lists them under its line.
// chats
import './im/revision.ts';
// dialogs, recent, counters
import './im/dialog.ts';
import './im/dialog.messages.ts';
import './im/dialog.messages.search.ts';
import './im/chat.sendtyping.ts';
import './im/recent.ts';
import './im/counters.ts';
// messages and files
import './im/message.share.ts';
import './im/disk.ts';
import './disk.ts';
// users, departments, search
import './im/department.ts';
import './im/search.ts';
// notifications
import './im/notify.ts';
import './im/notify.get.ts';
import './im/notify.history.ts';
import './im/notify.schema.ts';
// open lines (issue 12): configuration, revision, CRM (answered: Parley has none)
import './imopenlines/config.ts';
import './imopenlines/config.list.ts';
import './imopenlines/revision.ts';
import './imopenlines/crm.ts';
import './imopenlines/network.ts';
// open-line connectors (issue 12)
import './imconnector.ts';
import './imconnector/connector.ts';
import './imconnector/chat.ts';
import './imconnector/send.ts';
import './imconnector/update.ts';
import './imconnector/delete.ts';
// Open lines (issue 12): operators, sessions, dialogs, line bots
import './imopenlines/operator.ts';
import './imopenlines/session.ts';
import './imopenlines/dialog.ts';
import './imopenlines/message.ts';
import './imopenlines/message.quick.ts';
import './imopenlines/bot.ts';
// Messenger placements (issue 14): placement.*, and what the messenger opens them with
import './placement.ts';
import './parley/placement.ts';
// Chatbots 2.0 (imbot.v2.*): bots, fetch-mode events, messages, revision
import './imbot/v2.bot.ts';
import './imbot/v2.event.ts';
import './imbot/v2.file.ts';
import './im/v2.event.ts';
import './im/v2.file.ts';
import './im/v2.chat.bot.ts';
import './feature.ts';
import './imbot/v2.chat.message.ts';
import './imbot/v2.revision.ts';
import './imbot/v2.command.ts';
// Chatbots 2.0 chats: the bot's group chats, their members and managers
import './imbot/v2.chat.ts';
import './imbot/v2.chat.user.ts';
import './imbot/v2.chat.manager.ts';
import './imbot/v2.chat.message.read.ts';
import './imbot/v2.chat.message.get.ts';
import './imbot/v2.chat.message.getcontext.ts';
import './imbot/v2.chat.message.reaction.ts';
import './imbot/v2.chat.inputaction.ts';
import './imbot/v2.chat.textfield.ts';
