/** Loads every API family so that its methods register themselves. */
import '../rest/batch.ts';
import './common.ts';
import './imbot.bot.ts';
import './imbot.message.ts';
import './im.message.ts';
import './im.chat.ts';
import './imbot.chat.ts';
import './im.dialog.ts';
import './im.user.ts';
import './user.ts';
import './task.item.ts';
import './imbot.command.ts';
import './imbot.giphy.ts';
