/**
 * `parley user password --user ID`: the operator gives a person a new password (someone who forgot
 * theirs; a self-hosted portal sends no mail). Without `--password-stdin` a random one is made and
 * printed once, for the operator to hand over; with it the first line of standard input is the
 * password, so it is never on a command line (`ps`, shell history). The person's web sessions and
 * messenger tokens end, and their login's lock is lifted (src/domain/account-passwords.ts); with
 * --redis the running nodes close their sockets at once.
 */
import crypto from 'node:crypto';
import type { Command } from 'commander';
import { setUserPassword } from '../domain/operator.ts';
import type { CliKit } from './task.ts';

/** The first line of standard input, without its line end. */
async function firstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** Add `password` to the `user` command group (main.ts makes the group). */
export function userPasswordCommand(cli: Command, kit: CliKit): void {
  const user = cli.commands.find((c) => c.name() === 'user');
  if (!user) throw new Error('the user command group is registered first');
  kit.dbOptions(user.command('password').description('give a person a new password (printed when generated); their web sessions end'))
    .requiredOption('--user <id>', 'the person\'s user ID')
    .option('--password-stdin', 'read the new password from the first line of standard input instead of generating one')
    .action(async (o) => {
      const id = kit.positiveInt(o.user, '--user');
      // 16 characters of base64url: 96 random bits.
      const password = o.passwordStdin ? await firstLine() : crypto.randomBytes(12).toString('base64url');
      await kit.withPortal(o, async (portal) => {
        const person = await setUserPassword(portal, id, password);
        console.log(`new password set for ${person.login} (ID ${person.id}); their web sessions were ended`);
        if (!o.passwordStdin) console.log(password);
      });
    });
}
