/**
 * Checking an event handler URL (imbot.register/update EVENT_*, imbot.command.* EVENT_COMMAND_ADD,
 * event.bind handler): an absolute http(s) URL at an address the handler policy allows
 * (events/handler-policy.ts), or the method's documented error code. The parameters themselves are
 * read by the handlerUrl() codec (codecs/bots.ts).
 */
import type { CallContext } from '../rest/registry.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { handlerUrlProblem, type HandlerUrlProblem } from '../events/handler-policy.ts';

/** Checks already made in one call, by URL: a method reading several URLs resolves each host once. */
export type HandlerUrlChecks = Map<string, Promise<HandlerUrlProblem | undefined>>;

/** `raw` when the policy allows it; otherwise `code`, saying why (or `wrongUrl` for a malformed URL). */
export async function allowedHandlerUrl(
  ctx: CallContext, raw: string, code: ErrorCode, wrongUrl = 'Wrong handler URL', checks: HandlerUrlChecks = new Map(),
): Promise<string> {
  if (!checks.has(raw)) checks.set(raw, handlerUrlProblem(ctx.portal.config, raw));
  const problem = await checks.get(raw);
  if (problem) fail(code, 'refused' in problem ? problem.refused : wrongUrl);
  return raw;
}
