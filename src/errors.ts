/**
 * Every error a caller can see — of a REST call, and of every other door of the portal (sign-in,
 * OAuth, files, avatars, /realtime) — with its code, default description and HTTP status, defined
 * once. Handlers throw `fail('CODE')` or `fail('CODE', 'more specific text')`; the HTTP side answers
 * `restError('CODE').body()` with that error's status.
 */

/** The catalogue: code → [HTTP status, default description]. Statuses follow Bitrix24's core. */
export const ERRORS = {
  // transport and auth (PROTOCOL.md §2.3)
  NO_AUTH_FOUND: [401, 'Wrong authorization data'],
  invalid_token: [401, 'The access token provided is invalid'],
  expired_token: [401, 'The access token provided has expired'],
  INVALID_CREDENTIALS: [401, 'Invalid request credentials'],
  insufficient_scope: [401, 'The request requires higher privileges than provided by the access token'],
  authorization_error: [401, 'Unable to authorize user'],
  ACCESS_DENIED: [403, 'Access denied!'],
  WRONG_AUTH_TYPE: [403, 'Current authorization type is denied for this method'],
  ERROR_METHOD_NOT_FOUND: [404, 'Method not found!'],
  ERROR_ARGUMENT: [400, 'Invalid argument'],
  // PHP's input limits (src/wire/limits.ts) and the body limit, checked before authentication
  INVALID_REQUEST: [400, 'Invalid request'],
  ERROR_REQUEST_TOO_LARGE: [413, 'The request body is too large'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'The request body has a content type this address does not take'],
  // Parley's own HTTP paths (not /rest/): an unknown path or a missing picture
  NOT_FOUND: [404, 'Not found'],
  ERROR_CORE: [500, 'Internal server error'],
  INTERNAL_SERVER_ERROR: [500, 'Internal server error'],
  SERVICE_UNAVAILABLE: [503, 'An external service is not available'],
  ERROR_BATCH_LENGTH_EXCEEDED: [400, 'Max batch length exceeded'],
  ERROR_BATCH_METHOD_NOT_ALLOWED: [405, 'Method is not allowed for batch usage'],
  // The cloud limits, when `--rate-limit` turns them on (src/rest/rate-limits.ts). The descriptions are
  // a cloud portal's: QUERY_LIMIT_EXCEEDED's in the REST docs' table of system errors, OPERATION_TIME_LIMIT's
  // in a cloud response logged in bitrix24/b24phpsdk's tests (the docs name only the code).
  QUERY_LIMIT_EXCEEDED: [503, 'Too many requests'],
  OPERATION_TIME_LIMIT: [429, 'Method is blocked due to operation time limit.'],
  // The web messenger's sign-in (/web/login, /oauth/authorize/) and session (/web/token)
  WRONG_CREDENTIALS: [401, 'Wrong login or password'],
  TOO_MANY_ATTEMPTS: [429, 'Too many failed sign-ins: try again later'],
  SIGNIN_BUSY: [503, 'Too many sign-ins at once: try again in a moment'],
  NO_SESSION: [401, 'Not signed in'],
  // A new password (/web/password, parley.user.add, parley.user.password.set; src/auth/password-policy.ts)
  WRONG_PASSWORD: [403, 'The current password is wrong'],
  PASSWORD_TOO_SHORT: [400, 'The new password must have at least 8 characters'],
  PASSWORD_TOO_LONG: [400, 'The new password may have at most 256 characters'],
  PASSWORD_IS_LOGIN: [400, 'The new password must not be the login'],
  PASSWORD_UNCHANGED: [400, 'The new password is the current one'],
  NO_LOGIN: [400, 'This user has no login to sign in with'],
  // /oauth/token/ (OAuth 2.0, RFC 6749 §5.2: lower-case codes; invalid_request is not INVALID_REQUEST)
  invalid_client: [401, 'Invalid client credentials'],
  invalid_grant: [400, 'The authorization code or refresh token is invalid'],
  invalid_request: [400, 'The token request is malformed'],
  // /oauth/authorize/ sends this one back to the app in its redirect (RFC 6749 §4.1.2.1)
  access_denied: [403, 'The user denied access'],
  // /realtime upgrades refused before the WebSocket handshake (Parley's own channel)
  TOO_MANY_CONNECTIONS: [429, 'Too many realtime connections'],
  REALTIME_BUSY: [503, 'The realtime channel takes no more connections now; try again later'],
  // event.*
  ERROR_EVENT_NOT_FOUND: [400, 'Event not found'],
  ERROR_HANDLER_ALREADY_EXIST: [400, 'Handler already exists!'],
  ERROR_HANDLER_URL_MISMATCH: [400, 'Wrong handler URL'],
  // imbot.* / im.* (seed, "Bot API" and "Chat API")
  ACCESS_ERROR: [403, 'You do not have access to the specified dialog'],
  APP_ID_ERROR: [400, 'Bot was installed by another REST application'],
  BOT_ID_ERROR: [400, 'Bot not found'],
  CODE_ERROR: [400, "Bot code isn't specified"],
  EVENT_MESSAGE_ADD_ERROR: [400, 'Handler for "Message add" event isn\'t specified'],
  EVENT_WELCOME_MESSAGE_ERROR: [400, 'Handler for "Welcome message" event isn\'t specified'],
  EVENT_BOT_DELETE_ERROR: [400, 'Handler for "Bot delete" event isn\'t specified'],
  EVENT_MESSAGE_UPDATE_ERROR: [400, 'Wrong handler URL'],
  EVENT_MESSAGE_DELETE_ERROR: [400, 'Wrong handler URL'],
  NAME_ERROR: [400, "Bot name isn't specified"],
  WRONG_REQUEST: [400, 'Something went wrong'],
  MAX_COUNT_ERROR: [400, 'Has reached the maximum number of bots for application (max: 5)'],
  PARAMS_ERROR: [400, 'Incorrect parameters'],
  WITHOUT_CHANGES: [400, 'Action completed without changes'],
  DIALOG_ID_EMPTY: [400, 'Dialog ID can\'t be empty'],
  CHAT_ID_EMPTY: [400, 'Chat ID can\'t be empty'],
  USER_ID_EMPTY: [400, 'User ID can\'t be empty'],
  MESSAGE_EMPTY: [400, 'Message can\'t be empty'],
  MESSAGE_ID_ERROR: [400, 'Message ID can\'t be empty'],
  CANT_EDIT_MESSAGE: [400, 'Time has expired for modification or you don\'t have access'],
  ATTACH_ERROR: [400, 'Incorrect attach params'],
  ATTACH_OVERSIZE: [400, 'You have exceeded the maximum allowable size of attach'],
  KEYBOARD_ERROR: [400, 'Incorrect keyboard params'],
  KEYBOARD_OVERSIZE: [400, 'You have exceeded the maximum allowable size of keyboard'],
  MENU_ERROR: [400, 'Incorrect menu params'],
  MENU_OVERSIZE: [400, 'You have exceeded the maximum allowable size of menu'],
  CHAT_TYPE_EMPTY: [400, 'Chat type can\'t be empty'],
  USERS_EMPTY: [400, 'Chat participants were not passed'],
  WRONG_COLOR: [400, 'This color currently unavailable'],
  ID_EMPTY: [400, "User ID can't be empty"],
  USER_NOT_EXISTS: [400, 'User does not exist'],
  USER_NOT_FOUND: [400, 'User not found'],
  // imbot.command.* and im.message.command
  COMMAND_ERROR: [400, "Command isn't specified"],
  COMMAND_ID_ERROR: [400, 'Command not found'],
  LANG_ERROR: [400, "Lang set can't be empty"],
  EVENT_COMMAND_ADD_ERROR: [400, 'Handler for "Command add" event isn\'t specified'],
  MESSAGE_ID_EMPTY: [400, "Message ID can't be empty"],
  CHAT_NOT_FOUND: [400, 'Chat not found'],
  // imbot.app.* (chat apps; English docs, chats/outdated/create-app)
  CHAT_APP_ID_ERROR: [400, 'Chat app not found'],
  IFRAME_HTTPS: [400, 'The IFRAME link must lead to a site with an active HTTPS certificate'],
  HASH_ERROR: [400, "Hash for the IFRAME app isn't specified"],
  // imbot.chat.* (English docs, chat-bots/outdated/chats)
  TITLE_EMPTY: [400, "Title can't be empty"],
  AVATAR_ERROR: [400, 'Avatar incorrect type'],
  INVALID_FORMAT: [400, 'Parameter USERS has wrong type'],
  // im.chat.* and im.revision.get (Chat API)
  // im.dialog.*, im.recent.*, im.counters.get (Chat API)
  FIRST_ID_STRING: [400, "First ID can't be string"],
  // LAST_ID_STRING is defined under im.notify.* (same code, same status; im.dialog.messages.get words it "Last ID can't be string").
  // im.message.share, im.disk.*, disk.folder.uploadfile (Chat API)
  FILES_ERROR: [400, 'List of files is not specified'],
  SAVE_ERROR: [400, 'Error during saving file to chat'],
  FILE_ID_EMPTY: [400, "File ID can't be empty"],
  FILE_SAVE_ERROR: [400, "File ID can't be saved"],
  ERROR_NOT_FOUND: [400, 'Could not find entity'],
  // A signed file URL past its lifetime (PARLEY_FILE_URL_TTL): Parley's, answered by GET /disk/file/….
  FILE_LINK_EXPIRED: [410, 'The file link has expired; read the file again through REST (e.g. im.dialog.messages.get) for a fresh link'],
  FILE_LINK_USED: [410, 'This one-time file link was used already; call File.download again for a fresh link'],
  DISK_BASE_SERVICE_22001: [400, 'Error: required parameter NAME (DISK_BASE_SERVICE_22001)'],
  ERROR_COULD_NOT_SAVE_FILE: [400, 'Could not save file'],
  REPLY_ACCESS_ERROR: [400, 'Action unavailable'],
  REPLY_FROM_OTHER_CHAT_ERROR: [400, 'You can only reply to a message within the same chat'],
  // im.user.*, im.department.*, im.search.* (Chat API)
  STATUS_ERROR: [400, 'Status is not available'],
  FIND_SHORT: [400, 'Too short a search phrase.'],
  // im.notify.* (Chat API)
  ID_ERROR: [400, "Notification ID can't be empty"],
  ANSWER_TEXT_ERROR: [400, "ANSWER_TEXT can't be empty"],
  NOTIFY_VALUE_ERROR: [400, "Notification Value can't be empty"],
  LAST_ID_AND_LAST_TYPE: [400, 'Parameters LAST_ID and LAST_TYPE should be used together'],
  LAST_ID_STRING: [400, "Last notification ID can't be string"],
  SEARCH_TEXT_ERROR: [400, "SEARCH_TEXT can't be less than 3 symbols"],
  // imopenlines.config.* (open lines; INVALID_FORMAT of config.list.get is defined above, each text given where it fails)
  CONFIG_ID_EMPTY: [400, "Config ID can't be empty"],
  CONFIG_WRONG_USER_PERMISSION: [403, 'Permission denied'],
  // imopenlines.network.*: a network line's code (32 characters), an inactive line, the weekly limit
  CODE: [400, 'You entered an invalid code'],
  INACTIVE: [400, 'Openline is inactive'],
  USER_MESSAGE_LIMIT: [400, "You can't send more than one message per week to each user"],
  // imopenlines.crm.chat.getLastId: Parley has no CRM, so no CRM object is ever found
  CRM_CHAT_EMPTY_CRM_DATA: [400, 'Could not find CRM object'],
  // imconnector.* (the open-line connectors, /work docs digest): the message-type methods' errors
  NOT_ACTIVE_LINE: [400, 'The line with this ID is inactive or does not exist'],
  IMCONNECTOR_NO_CORRECT_PROVIDER: [400, 'Failed to find a suitable provider for the connector'],
  CHAT_RENAMING_FAILED: [400, 'Failed to rename the chat'],
  // imconnector.register / unregister answer their own errors inside `result` with HTTP 200:
  // {"result":{"result":false,"error":CODE,"error_description":TEXT}} (src/api/imconnector.ts).
  APPLICATION_REGISTRATION_ERROR_POINT: [200, 'Application registration error. Using a dot in the connector identifier is not allowed'],
  CONNECTOR_ID_REQUIRED: [200, 'Connector ID is not specified'],
  NAME_REQUIRED: [200, 'Connector name is not specified'],
  ICON_REQUIRED: [200, 'Connector icon is not specified'],
  NO_APPLICATION_ID: [200, 'Failed to get application ID'],
  NO_PLACEMENT_HANDLER: [200, 'Failed to get embedding handler URL'],
  APPLICATION_REGISTRATION_ERROR: [200, 'Application registration error'],
  GENERAL_CONNECTOR_REGISTRATION_ERROR: [200, 'General connector registration error'],
  APPLICATION_UNREGISTRATION_ERROR: [200, 'Error unregistering the application'],
  // placement.* (widgets/placement-bind, widgets/index "Common mistakes"). The bind page lists its
  // errors at 200 and the unbind page ERROR_ARGUMENT at 400: one code has one status, Bitrix24's REST
  // exceptions' default 400.
  ERROR_PLACEMENT_NOT_FOUND: [400, 'Placement not found'],
  ERROR_PLACEMENT_USER_MODE: [400, 'User mode is not available'],
  ERROR_WRONG_HANDLER_URL: [400, 'Wrong handler URL'],
  ERROR_UNSUPPORTED_PROTOCOL: [400, 'Unsupported protocol'],
  // imopenlines.operator.*, session.*, dialog.get, message.*, bot.session.* (Open lines). ACCESS_DENIED
  // keeps the catalogue's 403 (the operator and session pages list it at 400; one code has one status).
  CHAT_ID: [400, 'The specified chat identifier is incorrect'],
  CHAT_TYPE: [400, 'The specified chat is not an open line'],
  USER_ID: [400, 'The specified user identifier is incorrect'],
  ACCESS_DENIED_KICK: [400, 'Insufficient permissions to remove participants from the chat'],
  OPERATOR_WRONG: [400, 'You cannot redirect to this operator'],
  QUEUE_ID_EMPTY: [400, "QUEUE ID can't be empty"],
  TRANSFER_ID_EMPTY: [400, "Queue ID or User ID can't be empty"],
  WRONG_CHAT: [400, 'The specified chat is not under bot control'],
  MISSING_REQUIRED_PARAM: [400, 'Session ID or Chat ID must be provided'],
  INVALID_SESSION_ID: [400, 'Unable to determine session ID from provided parameters'],
  EMPTY_SESSION_ID: [400, "Session ID can't be empty"],
  EMPTY_VOTE_PARAMS: [400, 'At least one of the parameters RATING or COMMENT must be specified'],
  CANT_SAVE_QUICK_ANSWER: [400, 'Error saving quick answer'],
  // The website live chat's visitor API (/widget/<code>/…, src/http/widget.ts): Parley's own codes
  WIDGET_LINE_NOT_FOUND: [404, 'There is no active live chat with this code'],
  WIDGET_ORIGIN: [403, 'This site may not use the live chat of this line'],
  WIDGET_FORM: [400, 'A field of the visitor form is missing or not valid'],
  WIDGET_MESSAGE: [400, 'The message is empty or too long'],
  WIDGET_NO_VOTE: [400, 'No finished conversation is waiting for a rating'],
  WIDGET_COMMAND: [400, 'No such keyboard button on a message of this conversation'],
  WIDGET_READ: [400, 'No such message in this conversation'],
  WIDGET_LIMIT: [429, 'Too many requests; try again in a moment'],
  WIDGET_FILE_TOO_LARGE: [413, 'A file is larger than the live chat takes'],
  WIDGET_TOO_MANY_FILES: [400, 'Too many files in one message'],
  WIDGET_FILE: [400, 'Send one or more files as multipart/form-data'],
  WIDGET_FILE_LINK: [403, 'The file link is not valid'],
  // im.v2.File.* (chat-bots-v2/im.v2/files).
  FILE_EMPTY: [400, 'File name and content are required'],
  FILE_INVALID_CONTENT: [400, 'Invalid base64 content'],
  FILE_TOO_LARGE: [400, 'File is too large'],
  FILE_NOT_FOUND: [400, 'File not found'],
  // imbot.v2.File.download: a file the bot may not read (it is no member of the file's chat).
  FILE_ACCESS_ERROR: [403, 'File access error'],
  // Chatbots 2.0 (imbot.v2.*; the pages of chat-bots-v2 name each code). A bot of another owner is 403, like ACCESS_DENIED.
  BOT_TOKEN_NOT_SPECIFIED: [400, 'Bot token is not specified'],
  BOT_TOKEN_INVALID_LENGTH: [400, 'Bot token must not be longer than 40 characters'],
  BOT_TOKEN_ROTATION_FAILED: [400, 'Bot token rotation failed'],
  BOT_CODE_REQUIRED: [400, 'Bot code is required'],
  BOT_PROPERTIES_REQUIRED: [400, 'Bot properties are required'],
  BOT_CODE_ALREADY_TAKEN: [400, 'Bot code is already taken'],
  BOT_INVALID_TYPE: [400, 'Invalid bot type'],
  BOT_INVALID_EVENT_MODE: [400, 'Invalid event mode'],
  BOT_WEBHOOK_URL_REQUIRED: [400, 'Webhook URL is required'],
  BOT_INVALID_CALLBACK: [400, 'Invalid callback URL'],
  BOT_REGISTER_FAILED: [400, 'Bot registration failed'],
  BOT_LIMIT_EXCEEDED: [400, 'Bot limit exceeded'],
  BOT_AVATAR_INCORRECT_TYPE: [400, 'Avatar must be an image'],
  BOT_AVATAR_INCORRECT_SIZE: [400, 'Avatar exceeds maximum size'],
  BOT_ID_REQUIRED: [400, 'Bot ID is required'],
  BOT_NOT_FOUND: [400, 'Bot not found'],
  BOT_OWNERSHIP_ERROR: [403, 'Bot is registered by another application'],
  PARAMS_REQUIRED: [400, 'Required parameters are missing'],
  EMPTY_MESSAGE: [400, 'Message is empty'],
  COMMAND_REQUIRED: [400, 'Command is required'],
  COMMAND_NAME_EMPTY: [400, 'Command name is empty'],
  COMMAND_NAME_INVALID: [400, 'Command name is invalid'],
  COMMAND_TITLE_REQUIRED: [400, 'Command title is required'],
  COMMAND_NOT_FOUND: [400, 'Command not found'],
  EMPTY_USER_IDS: [400, 'Empty user IDs'],
  MESSAGE_NOT_FOUND: [400, 'Message not found'],
  MESSAGE_ACCESS_DENIED: [403, 'Message access denied'],
  BOT_TYPE_NOT_ALLOWED: [403, 'Bot type not allowed'],
  REACTION_NOT_FOUND: [400, 'Reaction not found'],
  REACTION_ALREADY_SET: [400, 'Reaction already set'],
  COMMAND_ALREADY_EXISTS: [400, 'Command already exists'],
  COMMAND_ANSWER_FAILED: [400, 'Command answer failed'],
  // Event.get withUserEvents: the im.v2.Event.* user stream needs scope im and a subscription
  SCOPE_ERROR: [403, 'Scope error'],
  USER_NOT_SUBSCRIBED: [400, 'User not subscribed'],
  TOO_MANY_FORWARDS: [400, 'At most 100 messages can be forwarded at once'],
  CODE_EMPTY: [400, "CODE can't be empty"],
  CONTEXT_INVALID: [400, 'context must be a JSON object'],
  CONTEXT_TOO_LARGE: [400, 'context is larger than 8 KB of JSON'],
} as const satisfies Record<string, readonly [number, string]>;

/** A known error code. */
export type ErrorCode = keyof typeof ERRORS;

/** An error that becomes `{error, error_description}` with its HTTP status. */
export class RestError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${description}`);
  }

  /** The JSON body Bitrix24 sends for an error: no `result`, no `time`. */
  body(): Record<string, unknown> {
    return { error: this.code, error_description: this.description, ...this.extra };
  }
}

/** Build the RestError for a catalogued code, optionally with a more specific description. */
export function restError(code: ErrorCode, description?: string, extra?: Record<string, unknown>): RestError {
  const [status, text] = ERRORS[code];
  return new RestError(code, description ?? text, status, extra);
}

/** Throw the RestError for a catalogued code. */
export function fail(code: ErrorCode, description?: string, extra?: Record<string, unknown>): never {
  throw restError(code, description, extra);
}
