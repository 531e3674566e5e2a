/**
 * Approved documents (docs/documents.md#approvals): `dossier approve DOC-<KEY>` signs a document's
 * revision; the document is controlled only while a valid, committed approval by a certified signer
 * holds for its current revision, and says so on every page; a change to its content makes it an
 * uncontrolled draft again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAllInGit, runCli, starterProject } from './helpers.js';
import { approveAs, certifySigners, signerKeygen } from './signing-helpers.js';

describe('document approvals', () => {
  it('make a document controlled for the revision approved, and a draft again when its content changes', () => {
    const keys = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-doc-keys-'));
    const root = signerKeygen(keys, 'root');
    const qa = signerKeygen(keys, 'qa');
    const dir = starterProject({
      'signers.yaml': `signers:\n  - id: q.lindqvist\n    name: Quinn Lindqvist\n    role: QA\n    email: q@example.com\n    publicKey: ${qa.publicKey}\n    validFrom: 2026-01-01\n`,
    });
    const certified = certifySigners(dir, root);
    expect(certified.code).toBe(0);
    const pin = certified.pin;
    expect(pin).toMatch(/^sha256:[0-9a-f]{64}$/);
    commitAllInGit(dir);
    const out = path.join(dir, 'out');
    const srs = (env: NodeJS.ProcessEnv = { DOSSIER_TRUST_ROOT: pin }) => {
      const r = runCli(
        ['docs', 'build', dir, '--only', 'SRS', '--format', 'md', '--out', out],
        undefined,
        env,
      );
      expect(r.code, r.stderr).toBe(0);
      return fs.readFileSync(path.join(out, 'SRS.md'), 'utf8');
    };
    const approve = (id: string) => approveAs(dir, 'q.lindqvist', qa, [id]);

    const draft = srs();
    expect(draft).toContain(
      '> **Uncontrolled draft.** No revision of this document is approved; approve it with dossier approve DOC-SRS',
    );
    expect(draft).toContain('| Approved by | no approval of this revision (dossier approve DOC-SRS) |');

    const signed = approve('DOC-SRS');
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toMatch(/^DOC-SRS: signed as approved by Quinn Lindqvist \(QA\)/);
    const entry = fs.readFileSync(path.join(dir, 'signatures/DOC-SRS.yaml'), 'utf8');
    // Not committed yet: its time is not checked against git, so it does not count.
    expect(srs()).toContain('> **Uncontrolled draft.**');
    commitAllInGit(dir);

    const controlled = srs();
    const day = /time: "?(\d{4}-\d{2}-\d{2})T/.exec(entry)![1]!;
    expect(controlled).toContain(
      `> **Controlled document.** Revision approved by Quinn Lindqvist (QA) on ${day}.`,
    );
    expect(controlled).toContain('| Status | controlled |');
    expect(controlled).toMatch(
      /\| Approved by \| Quinn Lindqvist \(QA\), \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \|/,
    );
    expect(controlled).not.toContain('Uncontrolled draft');
    expect(controlled).toContain(`| Effective date | ${day} |`);
    expect(draft).toContain('| Effective date | not in effect (uncontrolled draft) |');
    // The signed fingerprint is the one the document states for its revision.
    const revision = /\| Revision \| (\S+) \|/.exec(controlled)![1]!;
    expect(revision).toMatch(/^0\.1\.0\+[0-9a-f]{8}$/);

    // The build says how many documents of the package are controlled.
    const built = runCli(['build', dir, '--out', path.join(dir, 'build')], undefined, {
      DOSSIER_TRUST_ROOT: pin,
    });
    expect(built.stdout).toMatch(
      /\d+ documents \(md, html, docx, pdf\): 1 controlled, \d+ uncontrolled drafts/,
    );
    // Signer identities not verified (no trust root): the approval does not count.
    expect(srs({ DOSSIER_TRUST_ROOT: '' })).toContain('> **Uncontrolled draft.**');
    // check accepts a document's signatures file (it names no record, and is not an unknown one).
    const check = JSON.parse(
      runCli(['check', dir, '--format', 'json'], undefined, { DOSSIER_TRUST_ROOT: pin }).stdout,
    );
    const codes = check.diagnostics.map((d: { code: string }) => d.code);
    expect(codes).not.toContain('signature/record-unknown');
    expect(codes).not.toContain('signature/invalid');

    // The SRS's content changes: a new revision, which no approval covers.
    const file = path.join(dir, 'records/software/SRS-001.md');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace(/\n---\n/, '\n---\nA new first sentence.\n'),
    );
    commitAllInGit(dir);
    const changed = srs();
    expect(/\| Revision \| (\S+) \|/.exec(changed)![1]).not.toBe(revision);
    expect(changed).toContain(
      '> **Uncontrolled draft.** No approval holds for this revision: 1 signature of an earlier revision no longer holds, because its content changed; approve it with dossier approve DOC-SRS.',
    );

    // An unknown document is refused, naming the documents there are.
    const unknown = approve('DOC-NOPE');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'DOC-NOPE: the package has no document NOPE; its documents are DOC-SRS,',
    );
  }, 300_000);
});
