/**
 * The record page's Approvals and the record JSON's `approvals` fail closed: a signature counts as
 * an approval only when it verifies on the current content, its signer's identity is verified
 * (signers file certified by the pinned trust root) and git holds it (the time checks ran), as the
 * release gate counts it (countingSignatures). Anything less is not shown as a plain green "valid".
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { certificationPayload, type Signer } from '../src/signatures/files.js';
import { publicKeyText, signPayload, trustPinOf } from '../src/signatures/keys.js';
import { planApprovals } from '../src/signatures/sign.js';
import { recordJson } from '../src/site/api.js';
import { type SiteData, siteData } from '../src/site/data.js';
import { siteFile } from '../src/site/site.js';
import { writeFilesAtomically } from '../src/util/write-journal.js';
import { commitAllInGit, loadOk, starterProject } from './helpers.js';

const ROOT = crypto.generateKeyPairSync('ed25519').privateKey;
const QA = crypto.generateKeyPairSync('ed25519').privateKey;
const PIN = trustPinOf(publicKeyText(ROOT))!;
const SIGNERS: Signer[] = [
  {
    id: 'qa',
    name: 'Quinn Lindqvist',
    role: 'QA',
    email: 'qa@example.com',
    publicKey: publicKeyText(QA),
    validFrom: '2026-01-01',
  },
];

function signersYaml(certified: boolean): string {
  const certifiedBy = certified
    ? { key: publicKeyText(ROOT), signature: signPayload(ROOT, certificationPayload(SIGNERS)) }
    : undefined;
  return `${JSON.stringify({ signers: SIGNERS, ...(certifiedBy ? { certifiedBy } : {}) }, null, 2)}\n`;
}

/** The starter project with SRS-001 approved by QA; committed to git when `committed`. */
function signedProject(certified: boolean, committed: boolean): string {
  const dir = starterProject({ 'signers.yaml': signersYaml(certified) });
  const plan = planApprovals(loadOk(dir), {
    ids: ['SRS-001'],
    meaning: 'approved',
    signer: 'qa',
    key: QA,
    time: '2026-12-01T10:00:00Z',
  });
  writeFilesAtomically(dir, 'test', plan.writes);
  if (committed) commitAllInGit(dir, '2026-12-01T11:00:00Z');
  return dir;
}

function site(dir: string): SiteData {
  return siteData(analyze(loadOk(dir), { today: '2026-12-02' }), { displayRoot: '.' });
}

function approvalsHtml(data: SiteData): string {
  const file = siteFile(data, 'records/SRS-001.html');
  const html = typeof file!.body === 'string' ? file!.body : [...file!.body].join('');
  const start = html.indexOf('id="h-approvals"');
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</section>', start));
}

function approvalsJson(data: SiteData) {
  return recordJson(data, data.analysis.graph.get('SRS-001')!, 1).approvals;
}

const saved = process.env.DOSSIER_TRUST_ROOT;
afterEach(() => {
  if (saved === undefined) delete process.env.DOSSIER_TRUST_ROOT;
  else process.env.DOSSIER_TRUST_ROOT = saved;
});

describe('approvals on the site', () => {
  it('a signature by a signer whose identity is not verified is not a green "valid"', () => {
    // A signers file anyone could have written: not certified, no trust root pinned.
    delete process.env.DOSSIER_TRUST_ROOT;
    const data = site(signedProject(false, true));
    const html = approvalsHtml(data);
    expect(html).toContain('Quinn Lindqvist');
    expect(html).not.toContain('<span class="badge ok">valid</span>');
    expect(html).toContain('signer identity not verified');
    const [approval] = approvalsJson(data);
    expect(approval).toMatchObject({ state: 'valid', identityVerified: false });
  });

  it('a valid signature git does not hold yet (the time checks did not run) is not a green "valid"', () => {
    process.env.DOSSIER_TRUST_ROOT = PIN;
    const data = site(signedProject(true, false));
    const html = approvalsHtml(data);
    expect(html).not.toContain('<span class="badge ok">valid</span>');
    expect(html).toContain('not committed');
    const [approval] = approvalsJson(data);
    expect(approval).toMatchObject({ state: 'valid', identityVerified: true, commit: null });
  });

  it('a committed signature by a certified signer is a green "valid"', () => {
    process.env.DOSSIER_TRUST_ROOT = PIN;
    const data = site(signedProject(true, true));
    const html = approvalsHtml(data);
    expect(html).toContain('<span class="badge ok">valid</span>');
    expect(html).not.toContain('not verified');
    const [approval] = approvalsJson(data);
    expect(approval).toMatchObject({ state: 'valid', identityVerified: true });
    expect(approval!.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});
