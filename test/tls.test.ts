import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensurePortalTls } from '../src/auth/tls.ts';

/** GET url and resolve with status and body; rejects on TLS/connection errors. */
function get(url: string, opts: https.RequestOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // agent:false so each request does its own handshake with its own trust settings.
    const req = https.request(url, { agent: false, ...opts }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const hasOpenssl = !spawnSync('openssl', ['version']).error;

test('portal CA issues a server cert that verifying clients accept', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-tls-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const tls = ensurePortalTls(dir, ['127.0.0.1']);
  const tlsDir = path.join(dir, 'tls');
  assert.equal(tls.caCertPath, path.join(tlsDir, 'ca.crt'));
  assert.equal(fs.statSync(path.join(tlsDir, 'ca.key')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(tlsDir, 'server.key')).mode & 0o777, 0o600);
  assert.ok(JSON.parse(fs.readFileSync(path.join(tlsDir, 'server.hosts.json'), 'utf8')).includes('::1'));

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello parley');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  const ca = fs.readFileSync(tls.caCertPath);

  await t.test('trusted via the CA at 127.0.0.1 (IP SAN)', async () => {
    const res = await get(`https://127.0.0.1:${port}/`, { ca });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'hello parley');
  });

  await t.test('trusted via the CA at localhost (DNS SAN)', async () => {
    // family 4: the server only listens on 127.0.0.1, localhost may resolve to ::1 first.
    const res = await get(`https://localhost:${port}/`, { ca, family: 4 });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'hello parley');
  });

  await t.test('rejected without the CA', async () => {
    await assert.rejects(get(`https://127.0.0.1:${port}/`), (err: NodeJS.ErrnoException) => {
      assert.match(String(err.code), /CERT|SIGNATURE|UNABLE_TO_VERIFY/);
      return true;
    });
  });

  await t.test('openssl verify accepts the chain', (st) => {
    if (!hasOpenssl) {
      st.skip('openssl CLI not installed');
      return;
    }
    const crt = path.join(tlsDir, 'server.crt');
    const plain = spawnSync('openssl', ['verify', '-CAfile', tls.caCertPath, crt], { encoding: 'utf8' });
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /: OK\s*$/);
    // Strict mode also checks the AKI/SKI linkage, extended key usage and the IP SAN.
    const strict = spawnSync(
      'openssl',
      ['verify', '-x509_strict', '-purpose', 'sslserver', '-verify_ip', '127.0.0.1', '-CAfile', tls.caCertPath, crt],
      { encoding: 'utf8' },
    );
    assert.equal(strict.status, 0, strict.stderr);
    assert.match(strict.stdout, /: OK\s*$/);
  });

  await t.test('second call reuses CA and server cert when hosts are unchanged', () => {
    const again = ensurePortalTls(dir, ['127.0.0.1']);
    assert.equal(again.ca, tls.ca);
    assert.equal(again.cert, tls.cert);
    assert.equal(again.key, tls.key);
    assert.deepEqual(fs.readFileSync(again.caCertPath), ca);
  });

  await t.test('adding a host reissues the server cert under the same CA', () => {
    const more = ensurePortalTls(dir, ['127.0.0.1', 'parley.test']);
    assert.deepEqual(fs.readFileSync(more.caCertPath), ca);
    assert.equal(more.ca, tls.ca);
    assert.notEqual(more.cert, tls.cert);
    assert.notEqual(more.key, tls.key);
    assert.ok(JSON.parse(fs.readFileSync(path.join(tlsDir, 'server.hosts.json'), 'utf8')).includes('parley.test'));
    if (hasOpenssl) {
      const r = spawnSync(
        'openssl',
        ['verify', '-x509_strict', '-verify_hostname', 'parley.test', '-CAfile', more.caCertPath, path.join(tlsDir, 'server.crt')],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
    }
  });
});
