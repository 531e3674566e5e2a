/** The CLI of signed approvals: keygen, certify, approve; passphrases never as option values. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, starterProject } from './helpers.js';
import { approveAs, certifySigners, signerKeygen } from './signing-helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-keys-'));

describe('dossier signer and approve', () => {
  it('keygen, certify and approve sign a record, and check verifies it with the pin', () => {
    const keys = tmp();
    const root = signerKeygen(keys, 'root');
    const qa = signerKeygen(keys, 'qa');
    expect(fs.readFileSync(qa.key, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(fs.statSync(qa.key).mode & 0o077).toBe(0);
    const dir = starterProject({
      'signers.yaml': `# who may sign\nsigners:\n  - id: q.lindqvist\n    name: Quinn Lindqvist\n    role: QA\n    email: q@example.com\n    publicKey: ${qa.publicKey}\n    validFrom: 2026-01-01\n`,
    });
    const certified = certifySigners(dir, root);
    expect(certified.code).toBe(0);
    const pin = certified.pin;
    expect(pin).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fs.readFileSync(path.join(dir, 'signers.yaml'), 'utf8')).toMatch(
      /^# who may sign\n[\s\S]*certifiedBy:\n {2}key: ed25519:/,
    );

    const approve = (extra: string[] = []) => approveAs(dir, 'q.lindqvist', qa, ['SRS-001'], extra);
    const dry = approve(['-n']);
    expect(dry.stdout).toMatch(/SRS-001: would sign as approved by Quinn Lindqvist/);
    expect(fs.existsSync(path.join(dir, 'signatures/SRS-001.yaml'))).toBe(false);
    expect(approve().code).toBe(0);
    const first = fs.readFileSync(path.join(dir, 'signatures/SRS-001.yaml'), 'utf8');
    expect(approve().stdout).toMatch(/already approved by Quinn Lindqvist on this content/);
    // A second meaning is appended; the first entry is kept byte for byte.
    runCli([
      'approve',
      'SRS-001',
      '--meaning',
      'reviewed',
      '--as',
      'q.lindqvist',
      '--key',
      qa.key,
      '--passphrase-file',
      qa.pass,
      '-C',
      dir,
    ]);
    const second = fs.readFileSync(path.join(dir, 'signatures/SRS-001.yaml'), 'utf8');
    expect(second.startsWith(first)).toBe(true);
    expect(second.length).toBeGreaterThan(first.length);

    const check = (env: NodeJS.ProcessEnv) =>
      JSON.parse(runCli(['check', dir, '--format', 'json'], undefined, env).stdout);
    const codes = (report: { diagnostics: { code: string }[] }) =>
      report.diagnostics.map((d) => d.code).filter((c) => c.startsWith('signature/'));
    expect(codes(check({ DOSSIER_TRUST_ROOT: pin }))).toEqual(['signature/not-committed']);
    expect(codes(check({ DOSSIER_TRUST_ROOT: '' }))).toContain('signature/trust-root-missing');
    // The build shows each signature's manifestation: printed name, role, meaning, date and time.
    expect(
      runCli(['build', dir, '--out', path.join(dir, 'out')], undefined, { DOSSIER_TRUST_ROOT: pin }).code,
    ).not.toBe(2);
    expect(fs.readFileSync(path.join(dir, 'out/signatures/signatures.md'), 'utf8')).toMatch(
      /\| SRS-001 \| .* \| Quinn Lindqvist \| QA \| approved \| \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \| valid \(not committed\) \|/,
    );
    const otherRoot = `sha256:${'0'.repeat(64)}`;
    expect(codes(check({ DOSSIER_TRUST_ROOT: otherRoot }))).toContain('signature/signers-untrusted');
  });

  it('refuses an unencrypted key, a wrong passphrase, and a missing passphrase off a terminal', () => {
    const keys = tmp();
    const qa = signerKeygen(keys, 'qa');
    const dir = starterProject({
      'signers.yaml': `signers:\n  - id: qa\n    name: Q\n    role: QA\n    email: q@example.com\n    publicKey: ${qa.publicKey}\n    validFrom: 2026-01-01\n`,
    });
    const plain = path.join(keys, 'plain.pem');
    fs.writeFileSync(
      plain,
      crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }),
    );
    const sign = (key: string, extra: string[]) =>
      runCli([
        'approve',
        'SRS-001',
        '--meaning',
        'approved',
        '--as',
        'qa',
        '--key',
        key,
        '-C',
        dir,
        ...extra,
      ]);
    const unencrypted = sign(plain, ['--passphrase-file', qa.pass]);
    expect(unencrypted.code).toBe(2);
    expect(unencrypted.stderr).toMatch(/unencrypted private key/);
    const wrong = path.join(keys, 'wrong.pass');
    fs.writeFileSync(wrong, 'not the passphrase\n');
    expect(sign(qa.key, ['--passphrase-file', wrong]).stderr).toMatch(/wrong passphrase/);
    const noPassphrase = sign(qa.key, []);
    expect(noPassphrase.code).toBe(2);
    expect(noPassphrase.stderr).toMatch(
      /needs a passphrase: run it in a terminal .* or give --passphrase-file/,
    );
    // There is no option that takes the passphrase itself.
    expect(sign(qa.key, ['--passphrase', 'x']).stderr).toMatch(/unknown option/);
    expect(fs.existsSync(path.join(dir, 'signatures'))).toBe(false);
    // keygen never writes over a file.
    expect(runCli(['signer', 'keygen', '--out', qa.key, '--passphrase-file', qa.pass]).stderr).toMatch(
      /never overwritten/,
    );
  });
});
