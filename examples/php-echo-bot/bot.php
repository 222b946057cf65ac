<?php
/**
 * A minimal echo bot for Parley (and Bitrix24): install it as a local app whose handler is this
 * file, and it registers a chat bot that answers every message with what it was told.
 *
 *   php -S 127.0.0.1:9000 -t examples/php-echo-bot
 *   npx parley app add --name EchoBot --handler http://127.0.0.1:9000/bot.php --scope imbot,im
 *
 * Every event is a form POST with `event`, `data` and `auth`; the bot answers through the REST
 * address the event names (`auth[client_endpoint]`) with the token it carries (`auth[access_token]`),
 * so it needs no configuration and works over http or https alike. Needs only php-cli.
 *
 * Optional: with PARLEY_CLIENT_SECRET=<the app's client_secret> in its environment it accepts only
 * POSTs whose X-Parley-Signature is the HMAC-SHA256 of the raw body keyed by that secret (401 else).
 */

/** Call a REST method of the portal that sent this event; answers the decoded reply. */
function rest(array $auth, string $method, array $params): array
{
    $params['auth'] = $auth['access_token'];
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Content-Type: application/x-www-form-urlencoded\r\n",
        'content' => http_build_query($params),
        'ignore_errors' => true,
        'timeout' => 10,
    ]]);
    $reply = file_get_contents($auth['client_endpoint'] . $method . '.json', false, $context);
    return json_decode($reply === false ? '{}' : $reply, true) ?? [];
}

/** This file's own URL, for the bot's event handlers. */
function selfUrl(): string
{
    $scheme = (!empty($_SERVER['HTTPS']) && $_SERVER['HTTPS'] !== 'off') ? 'https' : 'http';
    return $scheme . '://' . $_SERVER['HTTP_HOST'] . $_SERVER['SCRIPT_NAME'];
}

// Parley signs every event POST: X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body>.
$clientSecret = getenv('PARLEY_CLIENT_SECRET');
if ($clientSecret && $_SERVER['REQUEST_METHOD'] === 'POST') {
    $expected = 'sha256=' . hash_hmac('sha256', file_get_contents('php://input'), $clientSecret);
    if (!hash_equals($expected, $_SERVER['HTTP_X_PARLEY_SIGNATURE'] ?? '')) {
        http_response_code(401);
        exit('bad signature');
    }
}

$event = $_REQUEST['event'] ?? '';
$data = $_REQUEST['data'] ?? [];
$auth = $_REQUEST['auth'] ?? [];

switch ($event) {
    case 'ONAPPINSTALL':
        $registered = rest($auth, 'imbot.register', [
            'CODE' => 'echo_bot',
            'TYPE' => 'B',
            'EVENT_MESSAGE_ADD' => selfUrl(),
            'EVENT_WELCOME_MESSAGE' => selfUrl(),
            'EVENT_BOT_DELETE' => selfUrl(),
            'PROPERTIES' => ['NAME' => 'Echo', 'LAST_NAME' => 'Bot', 'COLOR' => 'AQUA'],
        ]);
        error_log('echo bot registered: ' . json_encode($registered));
        break;

    case 'ONIMBOTJOINCHAT':
        rest($auth, 'imbot.message.add', [
            'BOT_ID' => array_key_first($data['BOT'] ?? []),
            'DIALOG_ID' => $data['PARAMS']['DIALOG_ID'],
            'MESSAGE' => 'Hello! I repeat what you write.',
        ]);
        break;

    case 'ONIMBOTMESSAGEADD':
        rest($auth, 'imbot.message.add', [
            'BOT_ID' => array_key_first($data['BOT'] ?? []),
            'DIALOG_ID' => $data['PARAMS']['DIALOG_ID'],
            'MESSAGE' => 'You said: ' . $data['PARAMS']['MESSAGE'],
        ]);
        break;
}

echo 'ok';
