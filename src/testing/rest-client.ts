/**
 * The people of a conversation test act through the portal's REST API over real HTTP, with a user
 * webhook each, exactly as the web messenger or any client would: the bot under test sees nothing
 * a real user would not cause. An HTTPS portal is reached through its own CA.
 */
import http from 'node:http';
import https from 'node:https';

/** A REST error answer (`error` / `error_description`). */
export class RestCallError extends Error {
  constructor(readonly method: string, readonly code: string, description: string) {
    super(`${method}: ${code}${description ? ` (${description})` : ''}`);
  }
}

/** A user's webhook: calls `{webhook}{method}` with a JSON body and answers `result`. */
export class UserRest {
  constructor(private readonly webhook: string, private readonly ca?: Buffer) {}

  async call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const body = JSON.stringify(params);
    const url = new URL(this.webhook + method);
    const lib = url.protocol === 'https:' ? https : http;
    const text = await new Promise<string>((resolve, reject) => {
      const req = lib.request(url, {
        method: 'POST', ca: this.ca, timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(body);
    });
    let answer: { result?: T; error?: string; error_description?: string };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new RestCallError(method, 'NOT_JSON', text.slice(0, 200));
    }
    if (answer.error) throw new RestCallError(method, answer.error, answer.error_description ?? '');
    return answer.result as T;
  }
}
