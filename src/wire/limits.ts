/**
 * The input limits every request meets before any other work (authentication included). Real
 * Bitrix24 runs on PHP and inherits PHP's own limits; Parley applies the same numbers, so a client
 * that works against a cloud portal works here, and one that would be cut short there is told so.
 */

/** PHP's `max_input_vars`: variables one query string or form body may hold. */
export const MAX_INPUT_VARS = 1000;

/** PHP's `max_input_nesting_level`: bracket levels of one variable name (`a[b][c]` is 2). */
export const MAX_INPUT_NESTING = 64;

/** PHP's `max_file_uploads`: file parts of one multipart request. */
export const MAX_FILE_UPLOADS = 20;

/**
 * Nesting depth of a JSON body: `json_decode`'s default depth (512), past which PHP answers null, as
 * for any invalid JSON.
 */
export const JSON_MAX_DEPTH = 512;

/** The whole request body (form, JSON, or multipart fields and files together). */
export const BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Characters of a chat message's text: Bitrix24 keeps 20,000 and cuts the rest, adding " (...)"
 * (the English docs of imbot.v2.Chat.Message.send and of the message entity).
 */
export const MESSAGE_MAX_CHARS = 20_000;

/** Keys never stored into a parsed object: they reach the prototype chain in JavaScript. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
