import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of a test CA and a server certificate it signed, and their texts. */
export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  ca: string;
  cert: string;
  key: string;
}

/**
 * A CA of its own and a certificate it signed for 127.0.0.1 and localhost (server and client use),
 * made with openssl in `dir`; valid 2 days. The key is unencrypted PKCS#8, which Node, Kafka's PEM
 * keystore and pgbouncer all read without a password.
 */
export function makeTestCertificates(dir: string, name = 'server'): TestCertificates {
  const file = (base: string) => join(dir, base);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  openssl(
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Chronicle test CA'],
    ...['-keyout', file('ca.key'), '-out', file('ca.pem')],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  );
  openssl(
    ...['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost'],
    ...['-keyout', file(`${name}.key`), '-out', file(`${name}.csr`)],
  );
  writeFileSync(
    file(`${name}.ext`),
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      '',
    ].join('\n'),
  );
  openssl(
    ...['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key')],
    ...['-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-sha256'],
    ...['-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`)],
  );
  const read = (path: string) => readFileSync(path, 'utf8');
  const certificates = {
    caFile: file('ca.pem'),
    certFile: file(`${name}.pem`),
    keyFile: file(`${name}.key`),
  };
  return {
    ...certificates,
    ca: read(certificates.caFile),
    cert: read(certificates.certFile),
    key: read(certificates.keyFile),
  };
}
