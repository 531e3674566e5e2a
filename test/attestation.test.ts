/** Attestations (issue 11 §2): evidence outside the repository, which expires. */
import { describe, expect, it } from 'vitest';
import { runCli, starterProject } from './helpers.js';

const ATTESTATION = `kind: attestation
records:
  - id: ATT-001
    title: QMS certified to ISO 13485
    clauses: ['4.1']
    reference: Certificate 123, valid until 2026-03-31
    attestedBy: A. Quality (QA/RA)
    date: 2025-04-01
    validUntil: 2026-03-31
    text: The software is developed under the certified QMS.
`;

describe('attestation/expired', () => {
  it('is an error after validUntil and nothing before it', () => {
    const dir = starterProject({ 'records/attestations.yaml': ATTESTATION });
    const after = runCli(['check', '--format', 'json'], dir, { DOSSIER_TODAY: '2026-04-01' });
    const found = JSON.parse(after.stdout).diagnostics.filter(
      (d: { code: string }) => d.code === 'attestation/expired',
    );
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toBe(
      'ATT-001 (QMS certified to ISO 13485) expired on 2026-03-31; it no longer attests 4.1',
    );
    const before = runCli(['check', '--format', 'json'], dir, { DOSSIER_TODAY: '2026-03-31' });
    expect(before.stdout).not.toContain('attestation/expired');
  });

  it('an attestation without reference, who or when does not load as valid', () => {
    const dir = starterProject({
      'records/attestations.yaml': ATTESTATION.replace(/ {4}attestedBy:.*\n/, ''),
    });
    const r = runCli(['check', '--format', 'json'], dir, { DOSSIER_TODAY: '2026-01-01' });
    expect(r.stdout).toContain('schema/missing-field');
    expect(r.stdout).toContain('attestedBy');
  });
});
