/**
 * Signed approvals (issue 13 §2): Ed25519 signatures bound to record fingerprints, signers
 * certified by a trust root pinned outside the data, git-time checks for revocation and backdating.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { releaseGate } from '../src/evidence/release-gate.js';
import { loadProject } from '../src/load/project.js';
import { certificationPayload, type Signer } from '../src/signatures/files.js';
import {
  generateSigningKey,
  publicKeyText,
  readPrivateKey,
  SigningKeyError,
  signPayload,
  trustPinOf,
} from '../src/signatures/keys.js';
import { planApprovals, SigningError } from '../src/signatures/sign.js';
import { parseTrustPins } from '../src/signatures/trust-root.js';
import { verifySignatures } from '../src/signatures/verify.js';
import { writeFilesAtomically } from '../src/util/write-journal.js';
import { loadOk, starterProject } from './helpers.js';

const keyPair = () => crypto.generateKeyPairSync('ed25519').privateKey;
const ROOT = keyPair();
const KEYS = { author: keyPair(), reviewer: keyPair(), qa: keyPair() };
const PIN = trustPinOf(publicKeyText(ROOT))!;
const PINNED = parseTrustPins(PIN);
// `check` reads the pin from the environment, as CI sets it.
process.env.DOSSIER_TRUST_ROOT = PIN;

function signer(id: keyof typeof KEYS, extra: Partial<Signer> = {}): Signer {
  const names = { author: 'Anna Weber', reviewer: 'Rui Costa', qa: 'Quinn Lindqvist' };
  const roles = { author: 'Software engineer', reviewer: 'Software engineer', qa: 'QA' };
  return {
    id,
    name: names[id],
    role: roles[id],
    email: `${id}@example.com`,
    publicKey: publicKeyText(KEYS[id]),
    validFrom: '2026-01-01',
    ...extra,
  };
}

/** A signers file certified by `root` (after `tamper` changes the list, when given). */
function signersYaml(
  signers: Signer[],
  root: crypto.KeyObject | null = ROOT,
  tamper?: (s: Signer[]) => void,
) {
  const certifiedBy = root
    ? { key: publicKeyText(root), signature: signPayload(root, certificationPayload(signers)) }
    : undefined;
  const listed = structuredClone(signers);
  tamper?.(listed);
  return `${JSON.stringify({ signers: listed, ...(certifiedBy ? { certifiedBy } : {}) }, null, 2)}\n`;
}

const SIGNERS = [signer('author'), signer('reviewer'), signer('qa')];

const load = loadOk;

function approve(
  dir: string,
  ids: string[],
  meaning: 'authored' | 'reviewed' | 'approved',
  who: keyof typeof KEYS,
  time = '2026-12-01T10:00:00Z',
) {
  const project = load(dir);
  const plan = planApprovals(project, { ids, meaning, signer: who, key: KEYS[who], time });
  writeFilesAtomically(dir, 'test', plan.writes);
  return plan;
}

const outcomes = (dir: string, pins = PINNED) =>
  verifySignatures(load(dir), pins).signatures.map(
    (s) => `${s.recordId} ${s.entry.signer} ${s.outcome.state}`,
  );

const diagnosticsOf = (dir: string) =>
  analyze(load(dir)).diagnostics.filter((d) => d.code.startsWith('signature/'));

function git(dir: string, args: string[], date?: string) {
  execFileSync(
    'git',
    ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd: dir,
      stdio: 'pipe',
      env: { ...process.env, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
    },
  );
}
const commitAll = (dir: string, date: string) => {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `at ${date}`], date);
};

const project = () => starterProject({ 'signers.yaml': signersYaml(SIGNERS) });
const edit = (dir: string, rel: string, from: string | RegExp, to: string) => {
  const file = path.join(dir, rel);
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`no ${from} in ${rel}`);
  fs.writeFileSync(file, next);
};

describe('signing keys', () => {
  it('writes encrypted PKCS#8 keys, and refuses an unencrypted key, a wrong passphrase and a short one', () => {
    const { privateKeyPem, publicKey } = generateSigningKey('correct horse battery');
    expect(privateKeyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const key = readPrivateKey(privateKeyPem, 'correct horse battery', 'k.pem');
    expect(publicKeyText(key)).toBe(publicKey);
    expect(() => readPrivateKey(privateKeyPem, 'wrong passphrase!', 'k.pem')).toThrow(/wrong passphrase/);
    const plain = keyPair().export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(() => readPrivateKey(plain, 'anything at all', 'plain.pem')).toThrow(SigningKeyError);
    expect(() => readPrivateKey(plain, 'anything at all', 'plain.pem')).toThrow(/unencrypted/);
    expect(() => generateSigningKey('short')).toThrow(/at least 12/);
  });
});

describe('verifying signatures', () => {
  it('a signature by a certified signer on the current content is valid', () => {
    const dir = project();
    approve(dir, ['SRS-001'], 'authored', 'author');
    expect(outcomes(dir)).toEqual(['SRS-001 author valid']);
    const report = verifySignatures(load(dir), PINNED);
    expect(report.trust).toEqual({ state: 'certified', pin: PIN });
    expect(diagnosticsOf(dir).map((d) => d.code)).toEqual(['signature/not-committed']);
  });

  it("refuses to sign with a key that is not the signer's, and for an unknown signer", () => {
    const dir = project();
    const p = load(dir);
    const time = '2026-12-01T10:00:00Z';
    expect(() =>
      planApprovals(p, { ids: ['SRS-001'], meaning: 'approved', signer: 'qa', key: KEYS.author, time }),
    ).toThrow(/not Quinn Lindqvist's/);
    expect(() =>
      planApprovals(p, { ids: ['SRS-001'], meaning: 'approved', signer: 'mallory', key: KEYS.author, time }),
    ).toThrow(SigningError);
  });

  it('a signature made with the wrong key is invalid (an error in check)', () => {
    const dir = project();
    approve(dir, ['SRS-001'], 'approved', 'qa');
    // The author signs in QA's name: the entry says qa, the signature is the author's.
    const file = path.join(dir, 'signatures/SRS-001.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const payload = /fingerprint: "(fp1:[0-9a-f]+)"/.exec(text)![1]!;
    const forged = signPayload(
      KEYS.author,
      JSON.stringify({
        fingerprint: payload,
        meaning: 'approved',
        record: 'SRS-001',
        signer: 'qa',
        time: '2026-12-01T10:00:00Z',
        v: 1,
      }),
    );
    fs.writeFileSync(file, text.replace(/signature: "[^"]+"/, `signature: "${forged}"`));
    expect(outcomes(dir)).toEqual(['SRS-001 qa invalid']);
    const d = diagnosticsOf(dir).find((x) => x.code === 'signature/invalid')!;
    expect(d).toMatchObject({ severity: 'error', file: 'signatures/SRS-001.yaml', line: 6 });
    expect(d.message).toMatch(/does not verify with Quinn Lindqvist's key/);
    expect(d.clauses).toContain('21 CFR 11.70');
  });

  it('a tampered signatures file (meaning or time changed) is invalid', () => {
    const dir = project();
    approve(dir, ['SRS-001'], 'reviewed', 'reviewer');
    edit(dir, 'signatures/SRS-001.yaml', 'meaning: reviewed', 'meaning: approved');
    expect(outcomes(dir)).toEqual(['SRS-001 reviewer invalid']);
    const other = project();
    approve(other, ['SRS-001'], 'reviewed', 'reviewer');
    edit(other, 'signatures/SRS-001.yaml', '2026-12-01T10:00:00Z', '2026-11-01T10:00:00Z');
    expect(outcomes(other)).toEqual(['SRS-001 reviewer invalid']);
    // A broken file is an error at its line, never a crash or a pass.
    const broken = project();
    fs.mkdirSync(path.join(broken, 'signatures'));
    fs.writeFileSync(path.join(broken, 'signatures/SRS-001.yaml'), '- signer: qa\n  meaning: blessed\n');
    expect(diagnosticsOf(broken).map((d) => [d.code, d.line])).toContainEqual(['signature/invalid', 2]);
  });

  it('tampered content voids the approval, with the changed parts from git', () => {
    const dir = project();
    git(dir, ['init', '-q']);
    commitAll(dir, '2026-11-30T09:00:00Z');
    approve(dir, ['SRS-001'], 'approved', 'qa');
    commitAll(dir, '2026-12-01T11:00:00Z');
    expect(outcomes(dir)).toEqual(['SRS-001 qa valid']);
    expect(diagnosticsOf(dir)).toEqual([]);
    edit(dir, 'records/software/SRS-001.md', /^title: .*$/m, 'title: Something else entirely');
    expect(outcomes(dir)).toEqual(['SRS-001 qa void']);
    const d = diagnosticsOf(dir);
    expect(d.map((x) => x.code)).toEqual(['signature/void']);
    expect(d[0]!.severity).toBe('warning');
    expect(d[0]!.message).toBe(
      'approval void: SRS-001 changed since Quinn Lindqvist approved it on 2026-12-01 (2026-12-01T10:00:00Z); changed: title',
    );
  });

  it('a void approval is history once the same signer signs the current content in the same meaning', () => {
    const dir = project();
    git(dir, ['init', '-q']);
    commitAll(dir, '2026-11-30T09:00:00Z');
    approve(dir, ['SRS-001'], 'approved', 'qa');
    commitAll(dir, '2026-12-01T11:00:00Z');
    edit(dir, 'records/software/SRS-001.md', /^title: .*$/m, 'title: Something else entirely');
    commitAll(dir, '2026-12-02T09:00:00Z');
    // Another signer's or another meaning's signature on the new content does not restore QA's approval.
    approve(dir, ['SRS-001'], 'reviewed', 'qa', '2026-12-02T10:00:00Z');
    approve(dir, ['SRS-001'], 'approved', 'reviewer', '2026-12-02T10:00:00Z');
    commitAll(dir, '2026-12-02T11:00:00Z');
    expect(diagnosticsOf(dir).map((x) => x.code)).toEqual(['signature/void']);
    approve(dir, ['SRS-001'], 'approved', 'qa', '2026-12-02T12:00:00Z');
    commitAll(dir, '2026-12-02T13:00:00Z');
    expect(outcomes(dir)).toEqual([
      'SRS-001 qa void',
      'SRS-001 qa valid',
      'SRS-001 reviewer valid',
      'SRS-001 qa valid',
    ]);
    expect(diagnosticsOf(dir)).toEqual([]);
  });

  it('a signature first committed in a merge commit (resolving it) counts as committed', () => {
    const dir = project();
    git(dir, ['init', '-q', '-b', 'main']);
    commitAll(dir, '2026-11-30T09:00:00Z');
    git(dir, ['checkout', '-q', '-b', 'side']);
    edit(dir, 'records/software/SRS-001.md', /^title: .*$/m, 'title: Changed on a branch');
    commitAll(dir, '2026-12-01T09:00:00Z');
    git(dir, ['checkout', '-q', 'main']);
    git(dir, ['merge', '-q', '--no-ff', '--no-commit', 'side'], '2026-12-01T12:00:00Z');
    approve(dir, ['SRS-001'], 'approved', 'qa', '2026-12-01T11:00:00Z');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'merge side, approved'], '2026-12-01T12:00:00Z');
    expect(outcomes(dir)).toEqual(['SRS-001 qa valid']);
    expect(diagnosticsOf(dir)).toEqual([]);
  });

  it('an unknown signer is invalid', () => {
    const dir = project();
    approve(dir, ['SRS-001'], 'authored', 'author');
    fs.writeFileSync(path.join(dir, 'signers.yaml'), signersYaml([signer('reviewer'), signer('qa')]));
    expect(outcomes(dir)).toEqual(['SRS-001 author invalid']);
    expect(diagnosticsOf(dir).find((d) => d.code === 'signature/invalid')?.message).toMatch(
      /signer "author" is not in the signers file/,
    );
  });

  it('a signer revoked at the claimed time, or whose signature was committed after revocation, is revoked', () => {
    const dir = project();
    approve(dir, ['SRS-001'], 'approved', 'qa', '2026-12-01T10:00:00Z');
    fs.writeFileSync(
      path.join(dir, 'signers.yaml'),
      signersYaml([
        signer('author'),
        signer('reviewer'),
        signer('qa', { revokedOn: '2026-11-15', revokedBecause: 'laptop stolen' }),
      ]),
    );
    expect(outcomes(dir)).toEqual(['SRS-001 qa revoked']);
    expect(diagnosticsOf(dir).find((d) => d.code === 'signature/revoked')?.message).toMatch(
      /revoked from 2026-11-15 \(laptop stolen\)/,
    );

    // Claimed before the revocation, but committed after it: a stolen key signing "in the past".
    const late = project();
    git(late, ['init', '-q']);
    commitAll(late, '2026-11-01T09:00:00Z');
    approve(late, ['SRS-001'], 'approved', 'qa', '2026-11-10T10:00:00Z');
    fs.writeFileSync(
      path.join(late, 'signers.yaml'),
      signersYaml([signer('author'), signer('reviewer'), signer('qa', { revokedOn: '2026-11-15' })]),
    );
    expect(outcomes(late)).toEqual(['SRS-001 qa not-committed'.replace(' not-committed', ' valid')]);
    commitAll(late, '2026-11-20T09:00:00Z');
    expect(outcomes(late)).toEqual(['SRS-001 qa revoked']);
    expect(diagnosticsOf(late).find((d) => d.code === 'signature/revoked')?.message).toMatch(
      /committed after that/,
    );
  });

  it('a signature claiming a time before its content was first committed, committed later, is backdated', () => {
    const dir = project();
    git(dir, ['init', '-q']);
    commitAll(dir, '2026-11-30T09:00:00Z');
    approve(dir, ['SRS-001'], 'approved', 'qa', '2026-11-29T10:00:00Z');
    commitAll(dir, '2026-12-01T09:00:00Z');
    expect(outcomes(dir)).toEqual(['SRS-001 qa backdated']);
    expect(diagnosticsOf(dir).find((d) => d.code === 'signature/backdated')?.severity).toBe('error');
    // Signed before committing, and committed with the content in one commit: not backdated.
    const same = project();
    git(same, ['init', '-q']);
    approve(same, ['SRS-001'], 'approved', 'qa', '2026-11-29T10:00:00Z');
    commitAll(same, '2026-11-30T09:00:00Z');
    expect(outcomes(same)).toEqual(['SRS-001 qa valid']);
  });

  it('signer identities: uncertified, altered after certification or certified by another root are untrusted', () => {
    const uncertified = starterProject({ 'signers.yaml': signersYaml(SIGNERS, null) });
    approve(uncertified, ['SRS-001'], 'approved', 'qa');
    expect(verifySignatures(load(uncertified), PINNED).trust.state).toBe('untrusted');
    expect(diagnosticsOf(uncertified).map((d) => d.code)).toContain('signature/signers-untrusted');

    // Someone adds their own key as a second QA signer after certification.
    const mallory = keyPair();
    const added = starterProject({
      'signers.yaml': signersYaml(SIGNERS, ROOT, (list) =>
        list.push({ ...signer('qa'), id: 'mallory', name: 'Mallory', publicKey: publicKeyText(mallory) }),
      ),
    });
    const trust = verifySignatures(load(added), PINNED).trust;
    expect(trust).toMatchObject({
      state: 'untrusted',
      why: expect.stringMatching(/changed since the trust root certified it/),
    });

    // ... and re-certifies it with a root of their own: not the pinned one.
    const recertified = starterProject({
      'signers.yaml': signersYaml(
        [...SIGNERS, { ...signer('qa'), id: 'mallory', publicKey: publicKeyText(mallory) }],
        mallory,
      ),
    });
    expect(verifySignatures(load(recertified), PINNED).trust).toMatchObject({
      state: 'untrusted',
      why: expect.stringMatching(/not a trust root pinned in DOSSIER_TRUST_ROOT/),
    });
    // Without a pin: integrity only, and check says so.
    expect(verifySignatures(load(recertified), parseTrustPins(undefined)).trust.state).toBe('not-pinned');
    expect(parseTrustPins('sha256:nothex').state).toBe('malformed');
  });
});

describe('the approval policy in the release gate', () => {
  const policy = (classes: string) => `changeControl:
  approvals:
    - kinds: [software-requirement]
      classes: [${classes}]
      require:
        - { meaning: authored }
        - { meaning: reviewed, independent: true }
        - { meaning: approved, role: QA }
`;
  const withPolicy = (classes: string) => {
    const dir = project();
    fs.appendFileSync(path.join(dir, 'dossier.yaml'), policy(classes));
    return dir;
  };
  const gaps = (dir: string) =>
    releaseGate(analyze(load(dir)), '1.0.0').blockers.filter((b) => b.code === 'release/signature-missing');

  it('blocks class C requirements without the required signatures, and counts only independent, committed, valid ones', () => {
    const dir = withPolicy('C');
    git(dir, ['init', '-q']);
    commitAll(dir, '2026-11-30T09:00:00Z');
    expect(gaps(dir).map((b) => b.records?.map((r) => r.id))).toEqual([['SRS-001', 'SRS-002']]);
    expect(gaps(dir)[0]!.message).toMatch(
      /^2 software requirements of 1\.0\.0 lack the signatures .*SRS-001 needs authored by a signer; reviewed by an independent signer; approved by a QA signer/,
    );

    approve(dir, ['SRS-001'], 'authored', 'author');
    approve(dir, ['SRS-001'], 'reviewed', 'author');
    approve(dir, ['SRS-001'], 'approved', 'qa');
    // Not committed yet: the gate does not count them.
    expect(gaps(dir)[0]!.message).toMatch(
      /SRS-001 needs authored by a signer; reviewed by an independent signer; approved by a QA signer \(authored by author is not committed/,
    );
    commitAll(dir, '2026-12-01T11:00:00Z');
    // The author reviewed their own work: not independent.
    expect(gaps(dir)[0]!.message).toMatch(/SRS-001 needs reviewed by an independent signer;/);
    approve(dir, ['SRS-001', 'SRS-002'], 'reviewed', 'reviewer');
    approve(dir, ['SRS-002'], 'authored', 'author');
    approve(dir, ['SRS-002'], 'approved', 'author');
    commitAll(dir, '2026-12-01T12:00:00Z');
    // SRS-002 was approved by the author, who is not QA.
    expect(gaps(dir).map((b) => b.records?.map((r) => r.id))).toEqual([['SRS-002']]);
    expect(gaps(dir)[0]!.message).toMatch(/SRS-002 needs approved by a QA signer/);
    approve(dir, ['SRS-002'], 'approved', 'qa');
    commitAll(dir, '2026-12-01T13:00:00Z');
    expect(gaps(dir)).toEqual([]);

    // Without the trust-root pin no signature counts.
    process.env.DOSSIER_TRUST_ROOT = '';
    try {
      expect(gaps(dir)[0]!.message).toMatch(
        /signer identities are not verified: DOSSIER_TRUST_ROOT is not set/,
      );
    } finally {
      process.env.DOSSIER_TRUST_ROOT = PIN;
    }
  });

  it('applies a rule only at the classes it names', () => {
    expect(gaps(withPolicy('A, B'))).toEqual([]);
    expect(gaps(withPolicy('C'))).toHaveLength(1);
  });
});

describe('signatures without a usable signers file', () => {
  it('are invalid, saying why, and a malformed signers file is an error at its line', () => {
    const dir = project();
    approve(dir, ['SRS-001'], 'approved', 'qa');
    fs.rmSync(path.join(dir, 'signers.yaml'));
    expect(verifySignatures(load(dir), PINNED).signatures.map((s) => s.outcome)).toEqual([
      { state: 'invalid', why: 'there is no signers file (signers.yaml), so no signer can be checked' },
    ]);
    fs.writeFileSync(path.join(dir, 'signers.yaml'), 'signers:\n  - id: qa\n    name: Q\n');
    const d = diagnosticsOf(dir);
    expect(d.map((x) => [x.code, x.severity])).toContainEqual(['signature/signers-untrusted', 'error']);
    expect(d.find((x) => x.code === 'signature/signers-untrusted')?.line).toBe(2);
    expect(d.find((x) => x.code === 'signature/invalid')?.message).toMatch(
      /signers file signers.yaml is not valid/,
    );
  });
});

describe('configured locations', () => {
  it('changeControl.signaturesDir and signers are used, written as the user wrote them', () => {
    const dir = starterProject({ 'people/signers.yaml': signersYaml(SIGNERS) });
    fs.appendFileSync(
      path.join(dir, 'dossier.yaml'),
      'changeControl:\n  signers: people/signers.yaml\n  signaturesDir: ./approvals/\n',
    );
    git(dir, ['init', '-q']);
    commitAll(dir, '2026-11-30T09:00:00Z');
    const plan = approve(dir, ['SRS-001'], 'approved', 'qa');
    expect(plan.signatures.map((s) => s.file)).toEqual(['approvals/SRS-001.yaml']);
    commitAll(dir, '2026-12-01T11:00:00Z');
    const report = verifySignatures(load(dir), PINNED);
    expect(report.signatures.map((s) => [s.outcome.state, s.committed.state])).toEqual([
      ['valid', 'committed'],
    ]);
    expect(diagnosticsOf(dir)).toEqual([]);
  });

  it('refuses locations outside the project', () => {
    const dir = project();
    fs.appendFileSync(path.join(dir, 'dossier.yaml'), 'changeControl:\n  signaturesDir: ../elsewhere\n');
    expect(loadProject(dir).ok).toBe(false);
  });
});
