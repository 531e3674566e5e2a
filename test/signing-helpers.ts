/** Signing from the command line, as people do it: a key made by keygen, approvals by approve. */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runCli } from './helpers.js';

export interface TestKey {
  readonly key: string;
  readonly pass: string;
  readonly publicKey: string;
}

/** `dossier signer keygen` into `dir`, with a passphrase file beside the key. */
export function signerKeygen(dir: string, name: string): TestKey {
  const pass = path.join(dir, `${name}.pass`);
  fs.writeFileSync(pass, `passphrase of ${name}\n`);
  const out = path.join(dir, `${name}.pem`);
  const r = runCli(['signer', 'keygen', '--out', out, '--passphrase-file', pass]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { key: out, pass, publicKey: /public key: (ed25519:\S+)/.exec(r.stdout)![1]! };
}

/** `dossier approve IDS --meaning approved --as SIGNER` in the project `dir`, with the key's passphrase file. */
export function approveAs(
  dir: string,
  signer: string,
  key: TestKey,
  ids: readonly string[],
  extra: string[] = [],
) {
  return runCli([
    'approve',
    ...ids,
    '--meaning',
    'approved',
    '--as',
    signer,
    '--key',
    key.key,
    '--passphrase-file',
    key.pass,
    '-C',
    dir,
    ...extra,
  ]);
}

/** `dossier signer certify` of the project's signers file with the root key; gives the root's pin. */
export function certifySigners(
  dir: string,
  root: TestKey,
): { code: number | null; stdout: string; pin: string } {
  const r = runCli(['signer', 'certify', '--root-key', root.key, '--passphrase-file', root.pass, '-C', dir]);
  return {
    code: r.code,
    stdout: r.stdout,
    pin: /DOSSIER_TRUST_ROOT=(sha256:[0-9a-f]{64})/.exec(r.stdout)?.[1] ?? '',
  };
}
