/**
 * What Parley adds to every event POST besides Bitrix24's own body (whose `auth[application_token]`
 * still identifies the portal, as in Bitrix24): the delivery's id, the attempt's number and a
 * signature over the exact body, so a handler can tell a repeat from a new event and a POST of
 * Parley's from a forged one. Bitrix24 sends none of these; a bot written for it ignores them.
 *
 *   X-Parley-Delivery:  the event's id in the outbox (the console's and `parley events` id)
 *   X-Parley-Attempt:   1 for the first POST of that event, 2 for the next, …
 *   X-Parley-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed by the app's client_secret>
 *   X-Parley-Test:      1 on a test event (the console's "Send a test event", parley.testevent.send,
 *                       `parley events test`); absent on every other event. Its body is a real one's.
 */
import crypto from 'node:crypto';

/** The headers of one attempt to deliver event `deliveryId`, whose form body is `body`. */
export function deliveryHeaders(deliveryId: number, attempt: number, body: string, clientSecret: string, test = false): Record<string, string> {
  return {
    ...(test ? { 'x-parley-test': '1' } : {}),
    'x-parley-delivery': String(deliveryId),
    'x-parley-attempt': String(attempt),
    'x-parley-signature': `sha256=${crypto.createHmac('sha256', clientSecret).update(body, 'utf8').digest('hex')}`,
  };
}
