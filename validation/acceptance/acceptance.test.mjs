// Dossier's acceptance suite (issue 17 §2; validation/records/tests/acceptance-tests.yaml).
// Scripted tests of the features whose failure matters most (FDA CSA: high process risk), run by
// `dossier self-validate` against the package's own command-line interface. Each test's name starts
// with the id of its test record; the @verifies tags are checked by `dossier check validation`.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  dossier,
  json,
  listFiles,
  newProject,
  PACKAGE_ROOT,
  RELEASE_RECORD,
  read,
  tempDir,
  write,
} from './helpers.mjs';

const FIXTURES = path.join(PACKAGE_ROOT, 'validation', 'acceptance', 'fixtures');

describe('Dossier acceptance', () => {
  // @verifies SRS-001
  test('[TC-001] a new project checks clean', () => {
    const dir = newProject('C');
    const check = dossier(['check', dir, '--format', 'json']);
    assert.equal(check.status, 0, check.output);
    const report = json(check);
    assert.equal(report.summary.errors, 0, check.output);
  });

  // @verifies SRS-001, SRS-002, RC-001
  test('[TC-002] a requirement whose test is removed makes the check fail', () => {
    const dir = newProject('C');
    const file = 'records/tests/system-tests.yaml';
    const text = read(dir, file);
    // Remove TC-001, the only test of SRS-001.
    const start = text.indexOf('  - id: TC-001');
    const end = text.indexOf('  - id: TC-002');
    assert.ok(start > 0 && end > start, 'the starter project has TC-001 before TC-002');
    write(dir, file, text.slice(0, start) + text.slice(end));
    const check = dossier(['check', dir, '--format', 'json']);
    assert.notEqual(check.status, 0, 'check must fail when a requirement lost its test');
    const report = json(check);
    assert.ok(report.summary.errors > 0);
    const aboutSrs001 = report.diagnostics.filter(
      (d) => d.severity === 'error' && JSON.stringify(d).includes('SRS-001'),
    );
    assert.ok(aboutSrs001.length > 0, `an error names SRS-001:\n${check.stdout.slice(0, 3000)}`);
  });

  // @verifies SRS-004, RC-004
  test('[TC-003] the release gate blocks on an unevaluated vulnerability', () => {
    const dir = newProject('C');
    write(
      dir,
      'records/soup/soup.yaml',
      `kind: soup
records:
  - id: SOUP-001
    title: left-pad-acceptance
    status: approved
    version: 1.0.3
    manufacturer: Acceptance suite (fictional package)
    purl: pkg:npm/left-pad-acceptance@1.0.3
`,
    );
    const item = read(dir, 'records/architecture/SI-002.md');
    write(
      dir,
      'records/architecture/SI-002.md',
      item.replace('partOf: SI-001\n', 'partOf: SI-001\nuses: [SOUP-001]\n'),
    );
    write(dir, 'records/releases/REL-001.md', RELEASE_RECORD);
    const db = path.join(tempDir(), 'advisories.sqlite');
    const imported = dossier([
      'advisories',
      'import',
      path.join(FIXTURES, 'advisory-ACCEPT-2026-0001.json'),
      '--db',
      db,
      '-C',
      dir,
    ]);
    assert.equal(imported.status, 0, imported.output);
    const gateArgs = [
      'release',
      'check',
      '0.1.0',
      dir,
      '--advisories',
      db,
      '--manifest',
      path.join(tempDir(), 'm.json'),
    ];
    const gate = dossier(gateArgs);
    assert.notEqual(gate.status, 0, 'the release must be blocked');
    const unevaluated = /release\/vulnerability-unevaluated[^\n]*\n[^\n]*ACCEPT-2026-0001 has no evaluation/;
    assert.match(gate.stdout, unevaluated, `the gate names the advisory:\n${gate.output.slice(0, 4000)}`);
    // Evaluated for the version in use, the advisory no longer blocks as unevaluated.
    write(
      dir,
      'records/soup/evaluations.yaml',
      `kind: vulnerability-evaluation
records:
  - id: VE-001
    title: ACCEPT-2026-0001 in left-pad-acceptance 1.0.3
    status: approved
    advisory: ACCEPT-2026-0001
    soup: SOUP-001
    version: 1.0.3
    state: not_affected
    justification: vulnerable_code_not_in_execute_path
    impact: The padding function is not called.
    reviewer: Acceptance suite
    date: 2026-01-01
`,
    );
    const evaluated = dossier(gateArgs);
    assert.doesNotMatch(
      evaluated.stdout,
      /release\/vulnerability-unevaluated/,
      evaluated.stdout.slice(0, 4000),
    );
  });

  // @verifies SRS-003, RC-001
  test('[TC-004] the release gate blocks on a failed test result', () => {
    const dir = newProject('C');
    write(dir, 'records/releases/REL-001.md', RELEASE_RECORD);
    write(
      dir,
      'evidence/junit.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="2" failures="1" errors="0" skipped="0">
  <testsuite name="system" tests="2" failures="1" errors="0" skipped="0" timestamp="2026-01-01T00:00:00">
    <testcase classname="system" name="[TC-001] out-of-range parameters are rejected"><failure message="rate 0 accepted">rate 0 accepted</failure></testcase>
    <testcase classname="system" name="[TC-002] delivery fault stops therapy"/>
  </testsuite>
</testsuites>
`,
    );
    const imported = dossier(['evidence', 'import', 'evidence/junit.xml', '--version', '0.1.0', '-C', dir], {
      cwd: dir,
    });
    assert.equal(imported.status, 0, imported.output);
    const gate = dossier([
      'release',
      'check',
      '0.1.0',
      dir,
      '--format',
      'json',
      '--manifest',
      path.join(tempDir(), 'm.json'),
    ]);
    assert.notEqual(gate.status, 0, 'the release must be blocked');
    const report = json(gate);
    const blockers = JSON.stringify(report.blockers ?? report);
    assert.match(blockers, /TC-001/, 'a blocker names the failed test TC-001');
    assert.match(gate.stdout, /fail/i);
  });

  // @verifies SRS-005, RC-003
  test('[TC-005] a project is classified from its risk file', () => {
    const dir = newProject('A');
    const before = json(dossier(['classify', dir, '--format', 'json']));
    assert.equal(before.system.computedClass, 'A');
    const file = 'records/risk/hazardous-situations.yaml';
    const raised = read(dir, file)
      .replace(/severity: minor/g, 'severity: serious')
      .replace(/p2: remote/, 'p2: probable');
    write(dir, file, raised);
    const after = json(dossier(['classify', dir, '--format', 'json']));
    assert.equal(after.system.computedClass, 'C', 'a serious harm probable on failure is class C');
    assert.equal(after.system.declaredClass, 'A');
    const check = dossier(['check', dir, '--format', 'json']);
    assert.notEqual(check.status, 0, 'a declared class below the computed one fails the check');
    const classErrors = json(check).diagnostics.filter(
      (d) => d.severity === 'error' && d.code.startsWith('class/'),
    );
    assert.ok(classErrors.length > 0, check.stdout.slice(0, 3000));
  });

  // @verifies SRS-006, RC-002
  test('[TC-006] a record file that does not load fails closed', () => {
    const dir = newProject('C');
    const file = 'records/tests/system-tests.yaml';
    write(dir, file, `${read(dir, file)}  - id: TC-003\n    title: [unclosed\n`);
    const check = dossier(['check', dir]);
    assert.notEqual(check.status, 0);
    assert.match(check.output, /load\/yaml-syntax/);
    assert.match(check.output, /system-tests\.yaml/);
    const out = path.join(tempDir(), 'out');
    const build = dossier(['build', dir, '--out', out]);
    assert.equal(build.status, 2, build.output);
    assert.deepEqual(listFiles(out), [], 'build wrote nothing');
    const gate = dossier(['release', 'check', '0.1.0', dir]);
    assert.equal(gate.status, 2, gate.output);
  });

  // @verifies SRS-008, RC-006
  test('[TC-007] two builds of the same records are identical', () => {
    const dir = newProject('C');
    const outs = [path.join(tempDir(), 'a'), path.join(tempDir(), 'b')];
    for (const out of outs) {
      const build = dossier(['build', dir, '--out', out]);
      assert.equal(build.status, 0, build.output);
    }
    const [a, b] = outs.map(listFiles);
    assert.ok(a.length > 10, 'the build wrote its outputs');
    assert.deepEqual(a, b);
    const sha = (f) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    for (const rel of a) assert.equal(sha(path.join(outs[0], rel)), sha(path.join(outs[1], rel)), rel);
  });

  // @verifies SRS-007, RC-005
  test('[TC-008] a record edit keeps comments and text', () => {
    const dir = newProject('C');
    // Change SRS-001 so that TC-001's link to it becomes suspect.
    const srs = 'records/software/SRS-001.md';
    write(dir, srs, read(dir, srs).replace('configured limits', 'configured limits of the drug library'));
    const file = 'records/tests/system-tests.yaml';
    const withComment = read(dir, file).replace(
      '  - id: TC-001\n',
      '  - id: TC-001\n    # A comment the team wrote: keep it.\n',
    );
    write(dir, file, withComment);
    const suspectBefore = dossier(['suspect', dir, '--format', 'json']);
    assert.match(suspectBefore.stdout, /TC-001/);
    const clear = dossier(['suspect', dir, '--clear', 'TC-001', '--by', 'Acceptance suite']);
    assert.equal(clear.status, 0, clear.output);
    const after = read(dir, file);
    assert.notEqual(after, withComment, 'the stamp was written');
    // Everything but TC-001's link stamps is unchanged, the comment included.
    const withoutStamps = (text) => text.replace(/^ {6}- SRS-001 fp1:.*\n/m, '');
    assert.equal(withoutStamps(after), withoutStamps(withComment));
    assert.match(after, /# A comment the team wrote: keep it\./);
    const suspectAfter = dossier(['suspect', dir, '--format', 'json']);
    assert.doesNotMatch(suspectAfter.stdout, /"TC-001"/);
  });

  // @verifies SRS-009, RC-006
  test('[TC-009] markup in record text is escaped in the HTML documents', () => {
    const dir = newProject('C');
    const srs = 'records/software/SRS-001.md';
    write(dir, srs, `${read(dir, srs)}\nInjected: <script>alert("dossier-acceptance")</script>\n`);
    const out = path.join(tempDir(), 'out');
    const build = dossier(['build', dir, '--out', out]);
    assert.equal(build.status, 0, build.output);
    const html = fs.readFileSync(path.join(out, 'documents', 'SRS.html'), 'utf8');
    assert.match(html, /&lt;script&gt;alert\(/);
    assert.doesNotMatch(html, /<script>alert\(/);
  });

  // @verifies SRS-010, RC-007
  test('[TC-010] self-validation catches a command-line interface that always passes', () => {
    const out = tempDir();
    const run = dossier(['self-validate', '--out', out], {
      env: { DOSSIER_SELF_VALIDATE_CLI: path.join(FIXTURES, 'always-green.mjs') },
      timeout: 600_000,
    });
    assert.notEqual(
      run.status,
      0,
      `self-validate must fail against a CLI that always passes:\n${run.output.slice(0, 3000)}`,
    );
    const report = fs.readFileSync(path.join(out, 'tool-validation-report.md'), 'utf8');
    assert.match(report, /Result: \*\*FAIL\*\*/);
  });

  test('[TC-100] Dossier checks and builds its own validation dossier', () => {
    const project = path.join(PACKAGE_ROOT, 'validation');
    const check = dossier(['check', project, '--format', 'json']);
    assert.equal(check.status, 0, check.output.slice(0, 4000));
    assert.equal(json(check).summary.errors, 0);
    const out = path.join(tempDir(), 'out');
    // The build's release stage may say the version is blocked (exit 1) until this run's results are
    // imported as a test run; it must not refuse (2), and its check stage must be clean.
    const build = dossier(['build', project, '--out', out]);
    assert.notEqual(build.status, 2, build.output.slice(0, 4000));
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(out, 'check', 'report.json'), 'utf8')).summary.errors,
      0,
    );
    const report = fs.readFileSync(path.join(out, 'validation', 'tool-validation-report.md'), 'utf8');
    for (const id of ['SRS-001', 'SRS-005', 'SRS-010', 'TC-003']) assert.match(report, new RegExp(id));
    assert.ok(fs.existsSync(path.join(out, 'validation', 'tool-validation-report.html')));
  });
});
