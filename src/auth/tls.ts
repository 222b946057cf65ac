/**
 * The portal's own certificate authority for `parley start --https`.
 *
 * A long-lived CA is created once per data directory; clients (PHP curl via
 * `curl.cainfo`, Node via `NODE_EXTRA_CA_CERTS`, browsers) trust that one file,
 * and the server certificate it signs can then be reissued freely whenever the
 * host list changes without anyone having to re-import anything.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import forge from 'node-forge';

/** Paths and PEM material for serving HTTPS with a certificate issued by the portal CA. */
export interface PortalTls { caCertPath: string; key: string; cert: string; ca: string }

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
// 825 days is the longest leaf lifetime that Apple/Chromium-era policies and
// strict OpenSSL-based clients still accept without complaint.
const SERVER_VALIDITY_DAYS = 825;
const RENEW_BEFORE_DAYS = 30;
// Always reachable names, so local tools work regardless of the configured host list.
const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** Ensure a CA (kept in `${dataDir}/tls/ca.key`, `ca.crt`) and a server cert for the given host names/IPs exist; reissue the server cert when the host list changes or it expires within 30 days. */
export function ensurePortalTls(dataDir: string, hosts: string[]): PortalTls {
  const dir = path.join(dataDir, 'tls');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(dir, name);

  const ca = loadOrCreateCa(file('ca.key'), file('ca.crt'));
  const wanted = normalizeHosts([...DEFAULT_HOSTS, ...hosts]);

  const existing = readServer(file('server.key'), file('server.crt'), file('server.hosts.json'));
  if (existing && serverStillGood(existing, ca.cert, wanted)) {
    return { caCertPath: file('ca.crt'), key: existing.keyPem, cert: existing.certPem, ca: ca.certPem };
  }

  const keys = generateKeys();
  const cert = newCert(keys.publicKey, SERVER_VALIDITY_DAYS);
  cert.setSubject([{ name: 'commonName', value: wanted.find((h) => !net.isIP(h)) ?? wanted[0] }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Modern clients ignore the CN and match only against subjectAltName.
    { name: 'subjectAltName', altNames: wanted.map((h) => (net.isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    { name: 'subjectKeyIdentifier' },
    // forge's `keyIdentifier: true` would hash the *leaf's* key; the AKI must name the CA's key.
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());

  const certPem = forge.pki.certificateToPem(cert);
  writeAtomic(file('server.key'), keys.privateKeyPem, 0o600);
  writeAtomic(file('server.crt'), certPem, 0o644);
  // Written last: it marks the key/cert pair above as complete and says what it covers.
  writeAtomic(file('server.hosts.json'), JSON.stringify(wanted, null, 2) + '\n', 0o644);
  return { caCertPath: file('ca.crt'), key: keys.privateKeyPem, cert: certPem, ca: ca.certPem };
}

interface Ca { key: forge.pki.rsa.PrivateKey; cert: forge.pki.Certificate; certPem: string }
interface ServerFiles { keyPem: string; certPem: string; cert: forge.pki.Certificate; hosts: string[] }

/** Reuse the CA on disk when both files exist; otherwise mint a fresh one. */
function loadOrCreateCa(keyPath: string, certPath: string): Ca {
  if (fs.existsSync(keyPath) && fs.existsSync(certPath)) {
    const certPem = fs.readFileSync(certPath, 'utf8');
    return {
      key: forge.pki.privateKeyFromPem(fs.readFileSync(keyPath, 'utf8')) as forge.pki.rsa.PrivateKey,
      cert: forge.pki.certificateFromPem(certPem),
      certPem,
    };
  }
  const keys = generateKeys();
  const cert = newCert(keys.publicKey, CA_VALIDITY_DAYS);
  // A random suffix keeps CAs of different installs distinguishable in trust stores.
  const subject = [
    { name: 'commonName', value: `Parley Portal CA (${crypto.randomBytes(3).toString('hex')})` },
    { name: 'organizationName', value: 'Parley' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  writeAtomic(keyPath, keys.privateKeyPem, 0o600);
  writeAtomic(certPath, certPem, 0o644);
  return { key: keys.privateKey, cert, certPem };
}

/** Read the current server material, or null when any piece is missing or unreadable. */
function readServer(keyPath: string, certPath: string, hostsPath: string): ServerFiles | null {
  try {
    const keyPem = fs.readFileSync(keyPath, 'utf8');
    const certPem = fs.readFileSync(certPath, 'utf8');
    const hosts = JSON.parse(fs.readFileSync(hostsPath, 'utf8')) as unknown;
    if (!Array.isArray(hosts)) return null;
    return { keyPem, certPem, cert: forge.pki.certificateFromPem(certPem), hosts: hosts.map(String) };
  } catch {
    return null;
  }
}

/** True when the cert covers exactly the wanted hosts, is not near expiry, and was signed by this CA. */
function serverStillGood(s: ServerFiles, caCert: forge.pki.Certificate, wanted: string[]): boolean {
  if (JSON.stringify(normalizeHosts(s.hosts)) !== JSON.stringify(wanted)) return false;
  if (s.cert.validity.notAfter.getTime() - Date.now() < RENEW_BEFORE_DAYS * DAY_MS) return false;
  // The CA may have been deleted and regenerated; a leaf from the old CA would no longer verify.
  try {
    if (!caCert.verify(s.cert)) return false;
  } catch {
    return false;
  }
  // Guard against a half-written pair (key from one issuance, cert from another).
  const certKey = s.cert.publicKey as forge.pki.rsa.PublicKey;
  const key = forge.pki.privateKeyFromPem(s.keyPem) as forge.pki.rsa.PrivateKey;
  return certKey.n.equals(key.n);
}

/** Lower-case names, strip IPv6 brackets, drop blanks and duplicates, sort so order does not force reissue. */
function normalizeHosts(hosts: string[]): string[] {
  const out = new Set<string>();
  for (const raw of hosts) {
    const h = raw.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (h) out.add(h);
  }
  return [...out].sort();
}

/** RSA keys from Node's native generator (far faster than forge's pure-JS one), loaded into forge for signing. */
function generateKeys() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    privateKeyPem: privateKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
  };
}

/** A v3 certificate skeleton with a random serial and a validity window. */
function newCert(publicKey: forge.pki.rsa.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  const serial = crypto.randomBytes(16);
  // DER INTEGERs are signed: a clear top bit keeps the serial positive, a non-zero
  // first byte keeps the encoding minimal (OpenSSL rejects both kinds of defect).
  serial[0] = (serial[0] & 0x7f) || 0x01;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  // Backdate an hour to tolerate clock skew between server and clients.
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
  return cert;
}

/** Write via a temp file and rename so a crash never leaves a truncated key or cert behind. */
function writeAtomic(filePath: string, data: string, mode: number): void {
  const tmp = `${filePath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode });
  fs.chmodSync(tmp, mode); // `mode` above only applies when the file is created
  fs.renameSync(tmp, filePath);
}
