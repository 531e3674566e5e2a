/**
 * Carried-forward results (issue 13 section 4): a release may reuse an earlier version's test
 * result only when no record and no source file in the test's impact changed since the tested
 * commit. On a scripted git repository: valid; invalidated by a record change; by a code change;
 * an unknown commit; and the gate reports and counts them.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { readGateEvidence, releaseGate } from '../src/evidence/release-gate.js';
import { renderGateJson, renderGateText } from '../src/evidence/release-report.js';
import { assessCarriedForward } from '../src/impact/carried-forward.js';
import { loadProject } from '../src/load/project.js';
import { gitFixture } from './git-fixture.js';
import { CONFIG } from './helpers.js';

const RECORDS = `records:
  - { id: SRS-001, kind: software-requirement, title: Stop the motor, status: draft, category: function, text: The software shall stop the motor. }
  - { id: SRS-002, kind: software-requirement, title: Sound the alarm, status: draft, category: alarms, text: The software shall sound the alarm. }
  - { id: SI-001, kind: software-item, title: System, status: draft, itemType: system }
  - { id: SI-002, kind: software-item, title: Motor, status: draft, itemType: item, partOf: SI-001, implements: [SRS-001], sourceFiles: ["src/motor/**"] }
  - { id: SI-003, kind: software-item, title: Alarm, status: draft, itemType: item, partOf: SI-001, implements: [SRS-002], sourceFiles: ["src/alarm/**"] }
  - { id: TC-001, kind: test, title: Motor stops, status: draft, level: system, verifies: [SRS-001] }
  - { id: TC-002, kind: test, title: Alarm sounds, status: draft, level: system, verifies: [SRS-002] }
`;

const run = (commit: string) =>
  collection(`id: RUN-001
kind: test-run
title: System tests on 1.0.0
status: draft
version: 1.0.0
commit: ${commit}
date: 2026-01-02
executedBy: A. Tester
manual: true
results:
  - { test: TC-001, outcome: passed }
  - { test: TC-002, outcome: passed }
`);

const release = (extra = '') =>
  collection(`id: REL-002
kind: release
title: 1.1.0
status: draft
version: 1.1.0
carriedForward:
  - run: RUN-001
    tests: [TC-001]
    rationale: The 1.1.0 change touches only the alarm item; the motor item and its requirement are unchanged.
${extra}`);

/** One record as a collection file. */
const collection = (record: string) =>
  `records:\n${record
    .trimEnd()
    .split('\n')
    .map((line, i) => `${i === 0 ? '  - ' : '    '}${line}`)
    .join('\n')}\n`;

/** A repository with the project at 1.0.0 committed, the run recorded against that commit. */
function scripted() {
  const repo = gitFixture();
  repo.write({
    'dossier.yaml': CONFIG,
    'records/all.yaml': RECORDS,
    'src/motor/motor.c': 'int motor;\n',
    'src/alarm/alarm.c': 'int alarm;\n',
  });
  const tested = repo.commit('1.0.0');
  repo.write({ 'records/RUN-001.yaml': run(tested), 'records/REL-002.yaml': release() });
  return { repo, tested };
}

function assess(root: string) {
  const loaded = loadProject(root);
  if (!loaded.ok) throw new Error('did not load');
  const analysis = analyze(loaded.project);
  return assessCarriedForward(analysis, analysis.graph.get('REL-002')!);
}

describe('carried-forward results', () => {
  it('are valid when only records and code outside the test’s impact changed', () => {
    const { repo, tested } = scripted();
    repo.write({
      'records/all.yaml': RECORDS.replace('shall sound the alarm', 'shall sound the alarm twice'),
      'src/alarm/alarm.c': 'int alarm = 2;\n',
    });
    const [a] = assess(repo.top);
    expect(a).toMatchObject({ run: 'RUN-001', tests: ['TC-001'], from: tested, valid: true, problems: [] });
    expect(a!.to).toMatch(/working tree .*no configuration\.commit/);
    // alarm.c, all.yaml and the two record files written since.
    expect(a!.changedFiles).toBe(4);
  });

  it('are invalidated by a change of a record in the test’s impact', () => {
    const { repo } = scripted();
    repo.write({
      'records/all.yaml': RECORDS.replace('shall stop the motor', 'shall stop the motor within 1 s'),
    });
    const [a] = assess(repo.top);
    expect(a!.valid).toBe(false);
    expect(a!.problems.join()).toMatch(/TC-001 is inside the impact .*SRS-001/);
  });

  it('are invalidated by a change of a source file of an item in the test’s impact, committed or not', () => {
    const { repo } = scripted();
    repo.write({ 'src/motor/motor.c': 'int motor = 1;\n' });
    const [a] = assess(repo.top);
    expect(a!.valid).toBe(false);
    expect(a!.problems.join()).toMatch(/TC-001 is inside the impact .*SI-002/);
    // A new file not yet committed counts too.
    const second = scripted();
    second.repo.write({ 'src/motor/extra.c': 'int extra;\n' });
    expect(assess(second.repo.top)[0]!.valid).toBe(false);
  });

  it('compare with the release commit when the release records one', () => {
    const { repo } = scripted();
    repo.write({ 'src/alarm/alarm.c': 'int alarm = 3;\n' });
    const releaseCommit = repo.commit('1.1.0');
    // After the release commit, the motor changes: not part of 1.1.0, so the result still holds.
    repo.write({
      'records/REL-002.yaml': release(`configuration:\n  commit: ${releaseCommit}`),
      'src/motor/motor.c': 'int motor = 9;\n',
    });
    const [a] = assess(repo.top);
    expect(a).toMatchObject({ valid: true, to: `release commit ${releaseCommit.slice(0, 12)}` });
  });

  it('fail closed: an unknown tested commit, a run without a commit, an unknown release commit, no passing result', () => {
    const { repo } = scripted();
    repo.write({ 'records/RUN-001.yaml': run('0123456789abcdef0123456789abcdef01234567') });
    expect(assess(repo.top)[0]!).toMatchObject({ valid: false });
    expect(assess(repo.top)[0]!.problems.join()).toMatch(/not known to git/);

    repo.write({ 'records/RUN-001.yaml': run('HEAD') });
    expect(assess(repo.top)[0]!.problems.join()).toMatch(/"HEAD" as its commit, which is not a commit id/);

    repo.write({ 'records/RUN-001.yaml': run('x').replace('    commit: x\n', '') });
    expect(assess(repo.top)[0]!.problems.join()).toMatch(/does not record the commit/);

    const other = scripted();
    other.repo.write({
      'records/REL-002.yaml': release('configuration:\n  commit: 0123456789abcdef0123456789abcdef01234567'),
    });
    expect(assess(other.repo.top)[0]!.problems.join()).toMatch(/release commit .* not known to git/);

    const failed = scripted();
    failed.repo.write({
      'records/RUN-001.yaml': run(failed.tested).replace(
        '{ test: TC-001, outcome: passed }',
        '{ test: TC-001, outcome: failed }',
      ),
    });
    expect(assess(failed.repo.top)[0]!.problems.join()).toMatch(/TC-001 failed in RUN-001/);
  });

  it('release check reports them, counts a valid one for the version and blocks on an invalid one', () => {
    const { repo } = scripted();
    const gate = (root: string) => {
      const loaded = loadProject(root);
      if (!loaded.ok) throw new Error('did not load');
      const analysis = analyze(loaded.project);
      return releaseGate(
        analysis,
        '1.1.0',
        readGateEvidence(analysis, '1.1.0', () => undefined),
      );
    };
    const valid = gate(repo.top);
    expect(valid.blockers.filter((b) => b.code === 'release/carried-forward-invalid')).toEqual([]);
    // TC-001's result counts for 1.1.0; TC-002 (not carried) has none.
    const notRun = valid.blockers
      .filter((b) => b.code === 'release/test-not-run')
      .map((b) => b.message)
      .join();
    expect(notRun).toMatch(/TC-002/);
    expect(notRun).not.toMatch(/TC-001/);
    expect(renderGateText(valid)).toMatch(/✔ RUN-001 \(TC-001\): outside the impact/);
    expect(JSON.parse(renderGateJson(valid)).carriedForward[0]).toMatchObject({
      run: 'RUN-001',
      valid: true,
    });

    repo.write({ 'src/motor/motor.c': 'int motor = 1;\n' });
    const invalid = gate(repo.top);
    const blockers = invalid.blockers.filter((b) => b.code === 'release/carried-forward-invalid');
    expect(blockers).toHaveLength(1);
    expect(blockers[0]!.message).toMatch(/RUN-001 cannot be carried forward to REL-002/);
    expect(
      invalid.blockers
        .filter((b) => b.code === 'release/test-not-run')
        .map((b) => b.message)
        .join(),
    ).toMatch(/TC-001/);
    // Without the git assessment (a caller that did not read evidence), nothing is counted: a blocker.
    const loaded = loadProject(repo.top);
    if (!loaded.ok) throw new Error('did not load');
    const unchecked = releaseGate(analyze(loaded.project), '1.1.0');
    expect(unchecked.blockers.map((b) => b.code)).toContain('release/carried-forward-invalid');
  });
});
