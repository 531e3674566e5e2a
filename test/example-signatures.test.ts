/**
 * Issue 13 §2, done when: the example's release-scope records carry valid signatures according to
 * its approval policy; editing one signed record voids its approval visibly in check and blocks
 * the release.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAllInGit, copyDir, EXAMPLE, EXAMPLE_TRUST_ROOT, releaseCheckJson, runCli } from './helpers.js';

process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;

interface Diagnostic {
  code: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
}

const checkOf = (dir: string) =>
  (
    JSON.parse(runCli(['check', dir, '--format', 'json']).stdout) as { diagnostics: Diagnostic[] }
  ).diagnostics.filter((d) => d.code.startsWith('signature/'));
const gateOf = (dir: string) => releaseCheckJson(dir, '1.1.0', path.join(dir, '.m.json'));

describe('the example signed approvals', () => {
  it('every signature in the example verifies, and the 1.1.0 scope meets the policy', () => {
    expect(checkOf(EXAMPLE)).toEqual([]);
    const copy = copyDir(EXAMPLE);
    expect(gateOf(copy).blockers.filter((b) => b.code === 'release/signature-missing')).toEqual([]);
    const files = fs.readdirSync(path.join(EXAMPLE, 'signatures'));
    expect(files).toContain('REL-002.yaml');
    expect(files.filter((f) => f.startsWith('SRS-')).length).toBeGreaterThanOrEqual(60);
  });

  it('editing the text of one signed requirement voids its approvals in check and blocks release check', () => {
    const copy = copyDir(EXAMPLE);
    const file = path.join(copy, 'records/software/SRS-001.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('within ±0.5 %', 'within ±5 %'));
    commitAllInGit(copy);
    const voided = checkOf(copy);
    expect(voided.map((d) => `${d.severity} ${d.code} ${d.file?.split('/').slice(-2).join('/')}`)).toEqual([
      'warning signature/void signatures/SRS-001.yaml',
      'warning signature/void signatures/SRS-001.yaml',
      'warning signature/void signatures/SRS-001.yaml',
    ]);
    expect(voided[2]!.message).toMatch(
      /^approval void: SRS-001 changed since H\. de Wit approved it on \d{4}-\d{2}-\d{2} \(.*\); changed: text$/,
    );
    const gate = gateOf(copy);
    expect(gate.code).toBe(1);
    const missing = gate.blockers.filter((b) => b.code === 'release/signature-missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toMatch(
      /^1 software requirement of 1\.1\.0 lacks .*: SRS-001 needs authored by a signer; reviewed by an independent signer; approved by a QA signer \(authored by m\.keller is void, reviewed by k\.brandt is void, approved by h\.dewit is void\)/,
    );
  });

  it('a signature edited by hand in the example is an error, and blocks the release', () => {
    const copy = copyDir(EXAMPLE);
    const file = path.join(copy, 'signatures/REL-002.yaml');
    // The current QA approval of REL-002, the last in the file (earlier, void ones stay as history),
    // now names K. Brandt.
    const text = fs.readFileSync(file, 'utf8');
    const at = text.lastIndexOf('signer: "h.dewit"');
    fs.writeFileSync(
      file,
      `${text.slice(0, at)}signer: "k.brandt"${text.slice(at + 'signer: "h.dewit"'.length)}`,
    );
    commitAllInGit(copy);
    // With the re-signature forged, the earlier QA approval it superseded is void again, visibly.
    expect(checkOf(copy).map((d) => `${d.severity} ${d.code}`)).toEqual([
      'warning signature/void',
      'error signature/invalid',
    ]);
    const gate = gateOf(copy);
    expect(gate.blockers.map((b) => b.code)).toEqual(
      expect.arrayContaining(['release/records-have-errors', 'release/signature-missing']),
    );
  });
});
