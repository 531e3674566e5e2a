/**
 * Issue 10 §1, "hand-edited outcomes pass the gate": at release time the gate re-reads every imported
 * report and compares each recorded outcome with it; a run that looks imported but lost its
 * `report:` block is no evidence; a report edited consistently with its run's sha256 is caught by
 * the evidence manifest of the earlier gate, kept beside the release record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/util/hash.js';
import { INTEGRATION, RELEASE, withAdvisoryData } from './gate-fixtures.js';
import { approved, approvedStarterProject, runCli } from './helpers.js';

const JUNIT = (tc001: 'passed' | 'failed') => `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="system">
  <testsuite name="therapy" tests="4" timestamp="2026-09-30T08:00:00">
    <testcase classname="therapy" name="[TC-001] out-of-range parameters"${tc001 === 'failed' ? '><failure message="accepted 1201 mL/h"/></testcase>' : '/>'}
    <testcase classname="therapy" name="[TC-002] delivery fault"/>
    <testcase classname="sim" name="[TC-003] therapy control with simulator"/>
    <testcase classname="validation" name="[TC-100] simulated use"/>
  </testsuite>
</testsuites>
`;

/** The starter with the report imported as RUN-001 and the run approved (as a reviewer would). */
function importedProject(tc001: 'passed' | 'failed') {
  const dir = approvedStarterProject({
    'records/tests/integration.yaml': approved(INTEGRATION),
    'records/releases/REL-001.md': RELEASE,
    'reports/system.xml': JUNIT(tc001),
  });
  withAdvisoryData(dir);
  const imported = runCli(
    [
      'evidence',
      'import',
      'reports/system.xml',
      '-C',
      '.',
      '--version',
      '0.1.0',
      '--executed-by',
      'CI',
      '--environment',
      'Simulator rig SR-1',
      '--tool',
      'pytest 8.3.2',
    ],
    dir,
  );
  if (imported.code !== 0) throw new Error(imported.stderr);
  const runFile = path.join(dir, 'records/evidence/RUN-001.yaml');
  edit(runFile, (t) => t.replace('status: draft', 'status: approved'));
  return { dir, runFile };
}

function edit(file: string, change: (text: string) => string): void {
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
}

function gate(dir: string) {
  const r = runCli(['release', 'check', '0.1.0', '.', '--format', 'json', '--manifest', 'out/m.json'], dir);
  const report = JSON.parse(r.stdout) as { blockers: { code: string; message: string; record: string }[] };
  return { code: r.code, blockers: report.blockers.map((b) => `${b.code} ${b.message}`) };
}

const disagreements = (dir: string) =>
  gate(dir).blockers.filter((b) => b.startsWith('release/evidence-disagrees'));

describe('the gate compares recorded outcomes with the imported report', () => {
  it('an outcome edited from failed to passed in the run record blocks, naming run, case and both outcomes', () => {
    const { dir, runFile } = importedProject('failed');
    expect(gate(dir).blockers.join('\n')).toContain('release/test-not-passed');
    edit(runFile, (t) => t.replace('outcome: failed', 'outcome: passed'));
    const tampered = gate(dir);
    expect(tampered.code).toBe(1);
    expect(tampered.blockers).toEqual([
      'release/evidence-disagrees RUN-001: therapy › [TC-001] out-of-range parameters: recorded passed, but reports/system.xml says failed; the record no longer says what the report says: import the report again into a new run, or restore the record from history',
    ]);
  });

  it('a result added to or removed from an imported run blocks', () => {
    const { dir, runFile } = importedProject('passed');
    expect(gate(dir)).toEqual({ code: 0, blockers: [] });
    edit(runFile, (t) => `${t}      - { test: TC-001, case: extra, outcome: passed }\n`);
    expect(gate(dir).blockers).toEqual([
      expect.stringMatching(
        /^release\/evidence-disagrees RUN-001: extra: recorded passed, but reports\/system\.xml says nothing \(no such case\)/,
      ),
    ]);
    const { dir: other, runFile: otherRun } = importedProject('passed');
    edit(otherRun, (t) => t.replace(/ {6}- test: TC-002\n(?: {8}.*\n)+/, ''));
    // TC-002 then has no result (blocked anyway); the gate also says the record lost a result.
    expect(disagreements(other)).toEqual([
      expect.stringMatching(
        /^release\/evidence-disagrees RUN-001: therapy › \[TC-002\] delivery fault: recorded nothing, but reports\/system\.xml says passed/,
      ),
    ]);
  });

  it('a result credited to another test than the report names blocks', () => {
    const { dir, runFile } = importedProject('passed');
    edit(runFile, (t) => t.replace('test: TC-002', 'test: TC-001'));
    expect(disagreements(dir)).toEqual([
      expect.stringMatching(
        /^release\/evidence-disagrees RUN-001: therapy › \[TC-002\] delivery fault: recorded for TC-001, but the report's case is TC-002/,
      ),
    ]);
  });

  it('a run that looks imported but lost its report block is no evidence', () => {
    const { dir, runFile } = importedProject('failed');
    edit(runFile, (t) =>
      t.replace('outcome: failed', 'outcome: passed').replace(/ {4}report:\n(?: {6}.*\n)+/, ''),
    );
    const blocked = gate(dir);
    expect(blocked.code).toBe(1);
    expect(blocked.blockers).toEqual([
      'release/evidence-unsourced RUN-001 looks imported (it has totals and case names) but has no `report:` block, so its results cannot be compared with the report they came from; restore the block from history, or import the report again',
    ]);
  });

  it('a run with neither a report nor `manual: true` is not evidence; a manual run is, once approved', () => {
    const { dir, runFile } = importedProject('passed');
    const manual = `kind: test-run
records:
  - id: RUN-002
    title: Manual run
    status: approved
    version: 0.1.0
    date: 2026-09-30
    executedBy: J. Tester
    environment: Bench rig 1
    tools: [stopwatch]
    results:
      - { test: TC-001, outcome: passed }
`;
    fs.writeFileSync(path.join(dir, 'records/evidence/RUN-002.yaml'), manual);
    expect(gate(dir).blockers).toEqual([
      expect.stringMatching(
        /^release\/evidence-unsourced RUN-002 has neither a `report:` block .* nor `manual: true`/,
      ),
    ]);
    fs.writeFileSync(
      path.join(dir, 'records/evidence/RUN-002.yaml'),
      manual.replace('    results:', '    manual: true\n    results:'),
    );
    expect(gate(dir)).toEqual({ code: 0, blockers: [] });
    expect(fs.existsSync(runFile)).toBe(true);
  });
});

describe('the evidence manifest of earlier gates, beside the release record', () => {
  it('is written by release check, deterministic, and catches a report edited with its sha256 recomputed', () => {
    const { dir, runFile } = importedProject('failed');
    const first = gate(dir);
    expect(first.code).toBe(1);
    const trackedFile = path.join(dir, 'records/releases/REL-001.evidence.json');
    const tracked = fs.readFileSync(trackedFile, 'utf8');
    const reportHash = sha256Hex(fs.readFileSync(path.join(dir, 'reports/system.xml')));
    expect(JSON.parse(tracked)).toMatchObject({
      release: 'REL-001',
      version: '0.1.0',
      evidence: [{ file: 'reports/system.xml', sha256: reportHash, runs: ['RUN-001'] }],
    });
    gate(dir);
    expect(fs.readFileSync(trackedFile, 'utf8')).toBe(tracked);
    // The loader does not take the manifest for a record file.
    expect(runCli(['check', '.', '--format', 'json'], dir).stdout).not.toContain('REL-001.evidence.json');

    // Edit the report, recompute its sha256 in the run and make the outcome agree: consistent.
    fs.writeFileSync(path.join(dir, 'reports/system.xml'), JUNIT('passed'));
    const edited = sha256Hex(fs.readFileSync(path.join(dir, 'reports/system.xml')));
    edit(runFile, (t) => t.replace(reportHash, edited).replace('outcome: failed', 'outcome: passed'));
    const tampered = gate(dir);
    expect(tampered.code).toBe(1);
    const date = (JSON.parse(tracked).evidence[0] as { gatedOn: string }).gatedOn;
    expect(tampered.blockers).toEqual([
      expect.stringMatching(
        new RegExp(
          `^release/evidence-changed RUN-001: reports/system\\.xml changed since the gate of ${date} \\(sha256 ${edited.slice(0, 12)}…, then ${reportHash.slice(0, 12)}…\\)`,
        ),
      ),
    ]);
    // The next check keeps the earlier hash: running it again does not launder the edit.
    expect(gate(dir).code).toBe(1);
    expect(fs.readFileSync(trackedFile, 'utf8')).toBe(tracked);
  });

  it('a gated report that no run names any more blocks: a run deleted after a gate does not vanish', () => {
    const { dir, runFile } = importedProject('failed');
    expect(gate(dir).code).toBe(1); // the failing run is gated (and its report recorded beside REL-001)
    fs.rmSync(runFile); // the failing evidence deleted outright
    const blocked = gate(dir).blockers.filter((b) => b.startsWith('release/evidence-changed'));
    expect(blocked).toEqual([
      expect.stringMatching(
        /^release\/evidence-changed reports\/system\.xml was gated on \d{4}-\d{2}-\d{2} \(RUN-001\) but no run record of 0\.1\.0 names it any more/,
      ),
    ]);
  });

  it('an unreadable manifest of earlier gates blocks instead of being ignored', () => {
    const { dir } = importedProject('passed');
    expect(gate(dir).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'records/releases/REL-001.evidence.json'), '{ not json');
    const blocked = gate(dir);
    expect(blocked.code).toBe(1);
    expect(blocked.blockers).toEqual([
      expect.stringMatching(
        /^release\/evidence-changed the evidence manifest of earlier gates records\/releases\/REL-001\.evidence\.json cannot be read/,
      ),
    ]);
  });

  it('dossier build gives the same verdict as release check', () => {
    const { dir, runFile } = importedProject('failed');
    edit(runFile, (t) => t.replace('outcome: failed', 'outcome: passed'));
    const built = runCli(['build', '.', '--out', 'out/build'], dir);
    expect(built.stdout).toMatch(/0\.1\.0 blocked/);
    const gateJson = JSON.parse(fs.readFileSync(path.join(dir, 'out/build/release/gate-0.1.0.json'), 'utf8'));
    expect(gateJson.blockers.map((b: { code: string }) => b.code)).toContain('release/evidence-disagrees');
  });
});
