/**
 * `parley task add`: create a task from the command line (as the portal operator), e.g. to give a
 * bot like the seed's ReportBot something to report. Registered by cli/main.ts, which lends it its
 * option and validation helpers so every subcommand reads and fails alike.
 */
import type { Command } from 'commander';
import type { Portal } from '../portal.ts';
import { findUser } from '../domain/users.ts';
import { createTask, TaskError } from '../domain/tasks.ts';
import { parseTaskDate } from '../wire/dates.ts';

/** What main.ts shares with its subcommand modules. */
export interface CliKit {
  dbOptions(c: Command): Command;
  withPortal<T>(opts: { data?: string; db?: string }, fn: (portal: Portal) => Promise<T>): Promise<T>;
  positiveInt(value: string, name: string): number;
  /** The error main() prints as one usage line (exit 2). */
  usage(message: string): Error;
}

/** Add the `task` command group to the program. */
export function taskCommands(cli: Command, kit: CliKit): void {
  const task = cli.command('task').description('tasks (task.item.* methods)');
  kit.dbOptions(task.command('add').description('create a task and print its ID'))
    .requiredOption('--title <title>', 'task title')
    .requiredOption('--responsible <id>', 'user responsible for the task')
    .option('--deadline <date>', 'deadline, YYYY-MM-DD (midnight UTC) or ISO 8601 with time')
    .option('--creator <id>', 'user who set the task', '1')
    .option('--description <text>', 'task description')
    .action(async (o) => kit.withPortal(o, async (portal) => {
      const title = String(o.title).trim();
      if (!title) throw kit.usage('--title must not be empty');
      const responsibleId = kit.positiveInt(o.responsible, '--responsible');
      const createdBy = kit.positiveInt(o.creator, '--creator');
      let deadline: number | null = null;
      if (o.deadline !== undefined) {
        deadline = parseTaskDate(o.deadline);
        if (deadline === null) throw kit.usage(`--deadline must be a date, YYYY-MM-DD or ISO 8601, got "${o.deadline}"`);
      }
      for (const [id, flag] of [[responsibleId, '--responsible'], [createdBy, '--creator']] as const) {
        if (!(await findUser(portal.db, id))) throw kit.usage(`${flag}: no active user with ID ${id}`);
      }
      try {
        console.log(await createTask(portal.db, null, { title, description: o.description ?? '', responsibleId, createdBy, deadline }));
      } catch (err) {
        if (err instanceof TaskError) throw kit.usage(`cannot create the task: ${err.problem}`);
        throw err;
      }
    }));
}
