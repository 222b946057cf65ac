/**
 * imopenlines.operator.*: an operator's actions on a line chat's session — take it (answer), pass it
 * on (skip), hand it to someone or another line (transfer), close it (finish, another.finish, spam).
 * Only the line's operators and administrators may (codecs/line-sessions.ts lineChat); each step is a
 * conditional move of the session (domain/lines/routing.ts).
 */
import { fail } from '../../errors.ts';
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import type { Chat } from '../../domain/types.ts';
import { runAction } from '../../domain/action.ts';
import { findUser } from '../../domain/users.ts';
import { findLine } from '../../domain/lines/lines.ts';
import { currentSession } from '../../domain/lines/operations.ts';
import { answer, finish, skip, transfer, type Ending } from '../../domain/lines/routing.ts';
import { ids } from '../../domain/lines/sessions.ts';
import type { Db } from '../../store/db.ts';
import type { Session } from '../../domain/lines/sessions.ts';
import { lineChat, transferTarget, type Target } from '../codecs/line-sessions.ts';

defineMethod({
  name: 'imopenlines.operator.answer', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat() },
  handler: (ctx, { CHAT_ID: chat }) => runAction(ctx.portal, async (trx) => {
    const s = await currentSession(trx, chat);
    // Someone else already has it: only session.intercept takes it from them.
    if (!(await answer(ctx.portal, trx, s, ctx.user))) fail('ACCESS_DENIED', 'The conversation is already taken by another operator');
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.operator.skip', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat() },
  handler: (ctx, { CHAT_ID: chat }) => runAction(ctx.portal, async (trx) => {
    const s = await currentSession(trx, chat).catch(() => fail('ACCESS_DENIED_KICK'));
    // Only a session offered to the caller, or theirs, can be passed on.
    if (!(await skip(ctx.portal, trx, s, ctx.user.id))) fail('ACCESS_DENIED_KICK');
    return true;
  }),
});

/** A target user or line that can take a transfer, or `code`. */
export async function checkTarget(db: Db, to: Target, code: 'OPERATOR_WRONG' | 'WRONG_CHAT'): Promise<void> {
  if ('userId' in to) {
    const u = await findUser(db, to.userId);
    if (!u || !u.active || u.is_bot || u.external_auth_id) fail(code, code === 'WRONG_CHAT' ? 'The user is not found, or is a chat-bot or an extranet user' : undefined);
  } else {
    const line = await findLine(db, to.lineId);
    if (!line || !line.active) fail('OPERATOR_WRONG');
  }
}

/** Whether a transfer would change nothing: to the one who has it, or to the line it is on. */
const sameTarget = (s: Session, to: Target) => ('userId' in to ? s.stage === 'operator' && s.operator_id === to.userId : s.line_id === to.lineId && s.stage === 'queue');

defineMethod({
  name: 'imopenlines.operator.transfer', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat('CHAT_ID_EMPTY'), TRANSFER_ID: transferTarget() },
  handler: (ctx, { CHAT_ID: chat, TRANSFER_ID: to }) => runAction(ctx.portal, async (trx) => {
    await checkTarget(trx, to, 'OPERATOR_WRONG');
    const s = await currentSession(trx, chat);
    if (sameTarget(s, to) || !(await transfer(ctx.portal, trx, s, ctx.user, to))) fail('OPERATOR_WRONG');
    return true;
  }),
});

/** The body of finish / another.finish / spam: `own` means only the session's operator (or one it is offered to) may. */
function closing(how: Ending, own: boolean) {
  return (ctx: CallContext, { CHAT_ID: chat }: { CHAT_ID: Chat }) => runAction(ctx.portal, async (trx) => {
    const s = await currentSession(trx, chat);
    const holds = s.operator_id === ctx.user.id || ids(s.offered).includes(ctx.user.id);
    if (own && !holds) fail('ACCESS_DENIED', 'The conversation is not yours: imopenlines.operator.another.finish closes it');
    if (!(await finish(ctx.portal, trx, s, ctx.user, how))) fail('CHAT_ID', 'The conversation has no open session');
    return true;
  });
}

defineMethod({
  name: 'imopenlines.operator.finish', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat() }, handler: closing('finish', true),
});

defineMethod({
  name: 'imopenlines.operator.another.finish', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat() }, handler: closing('finish', false),
});

defineMethod({
  name: 'imopenlines.operator.spam', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat() }, handler: closing('spam', false),
});
