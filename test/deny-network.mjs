/**
 * Preloaded with `node --import` by the security tests: every way Node opens a connection or looks
 * up a name (TCP/TLS sockets, http, https, http2, UDP, fetch, DNS) is replaced by a function that
 * records the attempt in the file named by DOSSIER_TEST_NETWORK_LOG and throws. A command that
 * works offline runs unchanged; one that tries the network leaves a line in the log.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const log = process.env.DOSSIER_TEST_NETWORK_LOG;

function denied(what) {
  return function deniedNetworkAccess(...args) {
    const target = args
      .filter((a) => typeof a === 'string' || a instanceof URL || (a && typeof a === 'object'))
      .map((a) => (typeof a === 'object' && !(a instanceof URL) ? JSON.stringify(a, ['host', 'hostname', 'port', 'path', 'href']) : String(a)))
      .join(' ');
    if (log) fs.appendFileSync(log, `${what} ${target}\n`);
    throw new Error(`network access denied by the test (${what})`);
  };
}

net.Socket.prototype.connect = denied('net.Socket.connect');
net.connect = denied('net.connect');
net.createConnection = denied('net.createConnection');
tls.connect = denied('tls.connect');
for (const [name, mod] of [
  ['http', http],
  ['https', https],
]) {
  mod.request = denied(`${name}.request`);
  mod.get = denied(`${name}.get`);
}
http2.connect = denied('http2.connect');
dgram.createSocket = denied('dgram.createSocket');
for (const fn of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  dns[fn] = denied(`dns.${fn}`);
  dns.promises[fn] = denied(`dns.promises.${fn}`);
}
const deniedFetch = denied('fetch');
globalThis.fetch = async (...args) => deniedFetch(...args);
