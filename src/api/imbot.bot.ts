/**
 * Transition (issue 9): imbot.message.* and codecs.ts still import the calling-bot readers from
 * here; the registration API itself is in src/api/imbot.ts. Remove once nothing imports this file.
 */
export { botApp, callerBot } from './imbot.ts';
