#!/usr/bin/env node
/**
 * A minimal echo bot for Parley (and Bitrix24) on the official JS SDK, @bitrix24/b24jssdk; the
 * server is plain node:http.
 *
 *   node examples/node-echo-bot/bot.mjs 9002
 *   npx parley app add --name EchoBot --handler http://127.0.0.1:9002/ --scope imbot,im
 *
 * Events arrive as PHP-style form posts (data[PARAMS][DIALOG_ID]=...). Every REST call goes through
 * the SDK's B24OAuth client, built from the event's own `auth` block (its access token and the REST
 * address `auth[client_endpoint]`), so the bot needs no configuration and works over http or https.
 * Against `npx parley start --https`, let Node trust the portal's CA:
 *
 *   NODE_EXTRA_CA_CERTS=data/tls/ca.crt node examples/node-echo-bot/bot.mjs 9002
 *
 * As Bitrix24 bots do, it keeps the `auth[application_token]` of ONAPPINSTALL (per portal, in
 * memory) and refuses later events that carry another one. A bot restarted after its install can
 * be told the token `parley app add` printed with APPLICATION_TOKEN=…
 *
 * Optional: with PARLEY_CLIENT_SECRET=<the app's client_secret> it accepts only POSTs whose
 * X-Parley-Signature is the HMAC-SHA256 of the raw body keyed by that secret (refused: 401).
 *
 * The port is the first argument (9002; 0 takes any free one). It prints "listening PORT URL" once
 * it serves.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { B24OAuth } from '@bitrix24/b24jssdk';

const CODE = 'echo_bot_node';
const clientSecret = process.env.PARLEY_CLIENT_SECRET ?? '';
/** The application_token each portal (member_id) gave at ONAPPINSTALL. */
const appTokens = new Map();

/** True when the raw body carries Parley's signature made with the app's client_secret. */
function signedByParley(rawBody, header) {
  const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', clientSecret).update(rawBody).digest('hex'));
  const got = Buffer.from(String(header ?? ''));
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

/** A PHP-style form body (`data[PARAMS][DIALOG_ID]=1`) as nested objects (without prototypes, so no key reaches Object's). */
function parseForm(text) {
  const out = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let at = out;
    for (const part of path.slice(0, -1)) at = typeof at[part] === 'object' ? at[part] : (at[part] = Object.create(null));
    at[path.at(-1)] = value;
  }
  return out;
}

/** An SDK client authorised with an event's `auth` block. */
function sdkFor(auth) {
  return new B24OAuth({
    applicationToken: auth.application_token,
    userId: Number(auth.user_id),
    memberId: auth.member_id,
    accessToken: auth.access_token,
    refreshToken: auth.refresh_token,
    expires: Number(auth.expires),
    expiresIn: Number(auth.expires_in),
    scope: auth.scope,
    domain: auth.domain,
    clientEndpoint: auth.client_endpoint,
    serverEndpoint: auth.server_endpoint,
    status: auth.status,
  }, { clientId: process.env.PARLEY_CLIENT_ID ?? '', clientSecret });
}

/** Call a REST method through the SDK; answers the method's result. */
async function rest(auth, method, params) {
  const reply = await sdkFor(auth).actions.v2.call.make({ method, params });
  return reply.getData().result;
}

/** Handle one event; answers false when it is refused (its application_token is not this install's). */
async function handle(form, me) {
  const { event, data = {}, auth = {} } = form;
  if (event === 'ONAPPINSTALL') {
    appTokens.set(auth.member_id, auth.application_token);
  } else {
    const known = appTokens.get(auth.member_id) ?? process.env.APPLICATION_TOKEN;
    if (!known || auth.application_token !== known) return false;
  }
  const botId = Object.keys(data.BOT ?? {})[0];
  switch (event) {
    case 'ONAPPINSTALL': {
      const registered = await rest(auth, 'imbot.register', {
        CODE, TYPE: 'B',
        EVENT_MESSAGE_ADD: me, EVENT_WELCOME_MESSAGE: me, EVENT_BOT_DELETE: me,
        PROPERTIES: { NAME: 'Echo', LAST_NAME: 'Node', COLOR: 'MINT' },
      });
      console.error('echo bot registered:', JSON.stringify(registered));
      break;
    }
    case 'ONIMBOTJOINCHAT':
      await rest(auth, 'imbot.message.add', { BOT_ID: botId, DIALOG_ID: data.PARAMS.DIALOG_ID, MESSAGE: 'Hello! I repeat what you write.' });
      break;
    case 'ONIMBOTMESSAGEADD':
      await rest(auth, 'imbot.message.add', { BOT_ID: botId, DIALOG_ID: data.PARAMS.DIALOG_ID, MESSAGE: `You said: ${data.PARAMS.MESSAGE ?? ''}` });
      break;
    case 'ONIMBOTDELETE':
      console.error('echo bot deleted:', botId ?? data.BOT_ID);
      break;
    case 'ONAPPUNINSTALL':
      appTokens.delete(auth.member_id);
      console.error('echo bot uninstalled from', auth.domain);
      break;
  }
  return true;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const answer = (status, text) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
    };
    if (req.method !== 'POST') return answer(200, 'ok');
    const raw = Buffer.concat(chunks);
    if (clientSecret && !signedByParley(raw, req.headers['x-parley-signature'])) return answer(401, 'bad signature');
    try {
      const accepted = await handle(parseForm(raw.toString('utf8')), `http://${req.headers.host}/`);
      answer(accepted ? 200 : 401, accepted ? 'ok' : 'unknown application_token');
    } catch (err) {
      console.error('echo bot failed:', err);
      answer(500, 'error');
    }
  });
});

server.listen(Number(process.argv[2] ?? 9002), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`listening ${port} http://127.0.0.1:${port}/`);
});
