/**
 * The portal's log (src/log.ts): with --log every request is a JSON line carrying its request id,
 * the id the answer sends back in x-request-id; a client's own plain id is kept, a hostile one
 * replaced; webhook codes stay masked in the logged URL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIN, cli, freePort, spawnListening, tempDir, waitFor } from './helpers/portal.ts';

test('request lines are JSON with the request id the answer names', async () => {
  const dataDir = tempDir();
  const port = await freePort();
  const portal = await spawnListening(process.execPath, [BIN, 'start', '--data', dataDir, '--port', String(port), '--log'], {}, /running at https?:\/\/[^:]+:(\d+)/);
  let stderr = '';
  portal.proc.stderr!.on('data', (d) => (stderr += d));
  try {
    const hook = (await cli(['webhook', 'add', '--user', '1', '--scope', 'im', '--data', dataDir])).stdout.trim().replace(/:\d+\//, `:${port}/`);
    const code = /\/rest\/1\/(\w+)\//.exec(hook)![1];

    const made = await fetch(`${hook}server.time`);
    const madeId = made.headers.get('x-request-id');
    assert.match(madeId ?? '', /^[0-9a-f-]{36}$/, 'the portal makes an id');
    const kept = await fetch(`${hook}server.time`, { headers: { 'x-request-id': 'client-42.a' } });
    assert.equal(kept.headers.get('x-request-id'), 'client-42.a');
    const hostile = await fetch(`${hook}server.time`, { headers: { 'x-request-id': `x${'y'.repeat(100)}` } });
    assert.notEqual(hostile.headers.get('x-request-id'), `x${'y'.repeat(100)}`);

    const ids = [madeId, 'client-42.a', hostile.headers.get('x-request-id')];
    // Lines are written asynchronously: wait for each request's last one.
    const lines = await waitFor('the request lines', async () => {
      const parsed = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      return ids.every((id) => parsed.some((l) => l.reqId === id && l.res)) ? parsed : undefined;
    });
    for (const id of ids) {
      const mine = lines.filter((l) => l.reqId === id);
      assert.ok(mine.some((l) => l.req?.url), `incoming line for ${id}`);
      assert.ok(mine.some((l) => l.res?.statusCode === 200), `completed line for ${id}`);
    }
    assert.ok(!stderr.includes(code), 'the webhook code is masked in the log');
  } finally {
    await portal.stop();
  }
});
