/**
 * Reviews of design outputs (issue 11 §1): the review rules, the coverage rules and their release
 * gate checks, the detailed design of class C units, and `dossier review fingerprint`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { releaseGate } from '../src/evidence/release-gate.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { fingerprint } from '../src/model/fingerprint.js';
import type { SafetyClass } from '../src/model/vocabulary.js';
import { acquireProjectLock } from '../src/util/project-lock.js';
import { INTEGRATION, RELEASE } from './gate-fixtures.js';
import {
  approved,
  approvedStarterProject,
  check,
  EXAMPLE,
  reviewsOfProject,
  runCli,
  starterProject,
  writeProject,
} from './helpers.js';

const REQUIREMENTS_CRITERIA = `criteria:
  implementsSystemRequirements: { met: true, note: Traced to SYS-001. }
  noContradiction: { met: true }
  unambiguous: { met: true }
  testable: { met: true }
  uniquelyIdentified: { met: true }
  traceable: { met: true }
`;

/** A requirements review of the starter's requirements, as people write it before fingerprinting. */
function requirementsReview(extra = '', criteria = REQUIREMENTS_CRITERIA, id = 'REV-001'): string {
  return `---
id: ${id}
title: Requirements review
status: in-review
reviewType: requirements
date: 2026-05-04
participants:
  - { name: A. Author, role: software lead }
  - { name: B. Checker, role: V&V, independent: true }
reviewed: [SRS-001, SRS-002]
${criteria}outcome: passed
${extra}---
Review of the software requirements.
`;
}

const found = (diagnostics: readonly Diagnostic[], code: string) =>
  diagnostics.filter((d) => d.code === code);

/** The starter project (class C unless said) with files added, the reviews fingerprinted as written now. */
function reviewed(files: Record<string, string>, cls: SafetyClass = 'C'): string {
  const starter = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: cls });
  return writeProject({ ...starter, ...files }, false);
}

function fingerprintReviews(dir: string, ...ids: string[]) {
  return runCli(['review', 'fingerprint', ...ids, '-C', dir]);
}

describe('review record rules', () => {
  it('review/incomplete: a review without date, participants or outcome', () => {
    const dir = reviewed({
      'records/reviews/REV-001.md': requirementsReview()
        .replace('date: 2026-05-04\n', '')
        .replace('outcome: passed\n', ''),
    });
    const incomplete = found(check(dir), 'review/incomplete');
    expect(incomplete).toMatchObject([{ severity: 'error', clauses: ['5.2.6'], safetyClass: 'C' }]);
    expect(incomplete[0]!.message).toBe(
      'REV-001 (software requirements verification, Requirements review) has no `date`, `outcome`',
    );
    expect(
      found(check(reviewed({ 'records/reviews/REV-001.md': requirementsReview() })), 'review/incomplete'),
    ).toEqual([]);
    const nothing = check(
      reviewed({
        'records/reviews/REV-001.md': requirementsReview().replace('reviewed: [SRS-001, SRS-002]\n', ''),
      }),
    );
    expect(found(nothing, 'review/incomplete').map((d) => d.message)).toEqual([
      'REV-001 (software requirements verification, Requirements review) has no `reviewed` records',
    ]);
  });

  it('review/criteria-missing and review/criterion-unmet: the 5.2.6 criteria one by one, none unmet when passed', () => {
    const missing = found(
      check(
        reviewed({
          'records/reviews/REV-001.md': requirementsReview(
            '',
            REQUIREMENTS_CRITERIA.replace('  testable: { met: true }\n', ''),
          ),
        }),
      ),
      'review/criteria-missing',
    );
    expect(missing).toMatchObject([{ severity: 'error', clauses: ['5.2.6 d'] }]);
    expect(missing[0]!.message).toContain(
      '`testable` (5.2.6 d: test criteria can be set and tests performed)',
    );

    const unmet = requirementsReview(
      '',
      REQUIREMENTS_CRITERIA.replace(
        'unambiguous: { met: true }',
        'unambiguous: { met: false, note: SRS-002 says "promptly". }',
      ),
    );
    expect(
      found(check(reviewed({ 'records/reviews/REV-001.md': unmet })), 'review/criterion-unmet'),
    ).toMatchObject([{ severity: 'error', clauses: ['5.2.6 c'] }]);
    // The same review with outcome failed, or passed with actions, is consistent.
    const failed = unmet.replace('outcome: passed', 'outcome: failed');
    const diagnostics = check(reviewed({ 'records/reviews/REV-001.md': failed }));
    expect(found(diagnostics, 'review/criterion-unmet')).toEqual([]);
    expect(found(diagnostics, 'review/criteria-missing')).toEqual([]);
  });

  it('review/finding-open and review/finding-not-problem-report: each finding resolved or a problem report', () => {
    const findings = `findings:
  - description: SRS-002 does not say which alarm priority.
  - description: SRS-001 limits unclear.
    resolution: Limits named in the text.
  - description: TC-002 timing tolerance missing.
    problemReport: PR-001
  - description: Wrong reference.
    problemReport: TC-001
  - description: Unknown reference.
    problemReport: PR-404
`;
    const dir = reviewed({
      'records/reviews/REV-001.md': requirementsReview(findings).replace(
        'outcome: passed',
        'outcome: passed-with-actions',
      ),
      'records/problems/PR-001.md':
        '---\nid: PR-001\ntitle: TC-002 timing tolerance\nstate: open\nreported: 2026-05-04\norigin: review\ncriticality: minor\n---\nFound in REV-001.\n',
    });
    const diagnostics = check(dir);
    const open = found(diagnostics, 'review/finding-open');
    expect(open).toMatchObject([{ severity: 'error', clauses: ['5.2.6', '9.1'] }]);
    expect(open[0]!.message).toContain('finding 1 ("SRS-002 does not say which alarm priority.")');
    expect(found(diagnostics, 'review/finding-not-problem-report').map((d) => d.message)).toEqual([
      'REV-001 finding 4 names TC-001 as its problem report, but TC-001 is a test',
      'REV-001 finding 5 names PR-404 as its problem report, but no record has that id',
    ]);
  });

  it('review/independence-missing: only where a plan lists the review type in independentReview', () => {
    const alone = requirementsReview().replace(
      '  - { name: B. Checker, role: V&V, independent: true }\n',
      '',
    );
    // No plan asks for independence: nothing is required.
    expect(
      found(check(reviewed({ 'records/reviews/REV-001.md': alone })), 'review/independence-missing'),
    ).toEqual([]);
    const plan = (types: string) =>
      `---\nid: PLAN-001\ntitle: Software development plan\nplanType: development\nindependentReview: [${types}]\n---\nThe plan.\n`;
    const asked = check(
      reviewed({
        'records/reviews/REV-001.md': alone,
        'records/plans/PLAN-001.md': plan('requirements, architecture'),
      }),
    );
    const missing = found(asked, 'review/independence-missing');
    expect(missing).toMatchObject([{ severity: 'error', clauses: ['5.1.6', '5.2.6'] }]);
    expect(missing[0]!.message).toContain('which PLAN-001 asks for in software requirements verifications');
    // Another review type in the plan, or an independent participant: satisfied.
    expect(
      found(
        check(
          reviewed({
            'records/reviews/REV-001.md': alone,
            'records/plans/PLAN-001.md': plan('architecture'),
          }),
        ),
        'review/independence-missing',
      ),
    ).toEqual([]);
    expect(
      found(
        check(
          reviewed({
            'records/reviews/REV-001.md': requirementsReview(),
            'records/plans/PLAN-001.md': plan('requirements'),
          }),
        ),
        'review/independence-missing',
      ),
    ).toEqual([]);
  });

  it('review/fingerprint-missing until dossier review fingerprint records what was reviewed', () => {
    const dir = reviewed({ 'records/reviews/REV-001.md': requirementsReview() });
    expect(found(check(dir), 'review/fingerprint-missing').map((d) => d.message)).toEqual([
      'REV-001 reviewed SRS-001 but holds no fingerprint of it, so what it reviewed cannot be told from a later version',
      'REV-001 reviewed SRS-002 but holds no fingerprint of it, so what it reviewed cannot be told from a later version',
    ]);
    expect(fingerprintReviews(dir, 'REV-001').code).toBe(0);
    expect(found(check(dir), 'review/fingerprint-missing')).toEqual([]);
  });

  it('a review is judged at the highest class of what it reviewed: a detailed design review of a class B unit is not held to 5.4.4', () => {
    const unit = (cls: string) =>
      `---\nid: SI-003\ntitle: Filter\nitemType: unit\nsafetyClass: ${cls}\npartOf: SI-002\nnoContribution: Filters the trend display only.\ninterfaces: In, out.\ndesign: A filter.\n---\nFilters.\n`;
    const review = `---\nid: REV-002\ntitle: DD review\nreviewType: detailed-design\nreviewed: [SI-003]\n---\nx\n`;
    const atB = check(
      reviewed({
        'records/architecture/SI-003.md': unit('B').replace(
          'partOf: SI-002',
          'partOf: SI-002\nsegregation: { rationale: Own partition., mechanism: MPU. }',
        ),
        'records/reviews/REV-002.md': review,
      }),
    );
    expect(found(atB, 'review/incomplete')).toEqual([]);
    const atC = check(
      reviewed({ 'records/architecture/SI-003.md': unit('C'), 'records/reviews/REV-002.md': review }),
    );
    expect(found(atC, 'review/incomplete')).toMatchObject([{ clauses: ['5.4.4'], safetyClass: 'C' }]);
  });
});

describe('stale reviews and coverage', () => {
  it('a requirement edited after its review is reported stale in check and unreviewed at the release gate', () => {
    const dir = approvedStarterProject({
      'records/tests/integration.yaml': approved(INTEGRATION),
      'records/releases/REL-001.md': RELEASE,
    });
    const gate = () => {
      const loaded = loadProject(dir);
      if (!loaded.ok) throw new Error('load');
      return releaseGate(analyze(loaded.project), '0.1.0').blockers.filter((b) =>
        b.code.endsWith('-unreviewed'),
      );
    };
    expect(found(check(dir), 'review/stale')).toEqual([]);
    expect(gate()).toEqual([]);

    const file = path.join(dir, 'records/software/SRS-001.md');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('configured limits', 'configured safety limits'),
    );
    const diagnostics = check(dir);
    const stale = found(diagnostics, 'review/stale');
    expect(stale).toMatchObject([
      { severity: 'warning', clauses: ['5.2.6'], safetyClass: 'C', file: 'records/reviews.yaml' },
    ]);
    expect(stale[0]!.message).toMatch(
      /^SRS-001 \(Validate therapy parameters\) changed after REV-901 \(software requirements verification of 2026-06-01\) reviewed it: fingerprint fp1:[0-9a-f]{12}…, reviewed fp1:[0-9a-f]{12}…$/,
    );
    expect(found(diagnostics, 'requirement/unreviewed')).toMatchObject([
      {
        severity: 'warning',
        recordId: 'SRS-001',
        message: expect.stringContaining('REV-901 reviewed an earlier content: it changed since'),
      },
    ]);
    expect(gate()).toMatchObject([
      { code: 'release/requirement-unreviewed', recordId: 'SRS-001', clauses: ['5.2.6'] },
    ]);

    // A new review of the current content supersedes the stale one: nothing reported.
    fs.writeFileSync(
      path.join(dir, 'records/reviews-2.yaml'),
      reviewsOfProject(dir, '2026-07-01').replace(/REV-90/g, 'REV-80'),
    );
    expect(found(check(dir), 'review/stale')).toEqual([]);
    expect(found(check(dir), 'requirement/unreviewed')).toEqual([]);
    expect(gate()).toEqual([]);
  });

  it('a reviewed record made obsolete is not reported stale, and --check calls it settled', () => {
    const dir = reviewed({ 'records/reviews/REV-001.md': requirementsReview() });
    fingerprintReviews(dir, 'REV-001');
    const srs = path.join(dir, 'records/software/SRS-002.md');
    fs.writeFileSync(srs, fs.readFileSync(srs, 'utf8').replace('within 1 s', 'within 500 ms'));
    expect(found(check(dir), 'review/stale')).toHaveLength(1);
    fs.writeFileSync(srs, fs.readFileSync(srs, 'utf8').replace('status: draft', 'status: obsolete'));
    expect(found(check(dir), 'review/stale')).toEqual([]);
    const r = runCli(['review', 'fingerprint', 'REV-001', '-C', dir, '--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('; it is obsolete now');
  });

  it('the gate counts only passed reviews dated on or before the release', () => {
    const base = {
      'records/tests/integration.yaml': approved(INTEGRATION),
      'records/releases/REL-001.md': RELEASE,
    };
    const gateOf = (dir: string) => {
      const loaded = loadProject(dir);
      if (!loaded.ok) throw new Error('load');
      return releaseGate(analyze(loaded.project), '0.1.0').blockers.filter((b) =>
        b.code.endsWith('-unreviewed'),
      );
    };
    const late = approvedStarterProject(base);
    fs.writeFileSync(path.join(late, 'records/reviews.yaml'), reviewsOfProject(late, '2026-10-02'));
    const blockers = gateOf(late);
    expect(blockers.map((b) => `${b.code} ${b.recordId}`)).toEqual([
      'release/requirement-unreviewed SRS-001',
      'release/requirement-unreviewed SRS-002',
      'release/architecture-unreviewed SI-001',
      'release/architecture-unreviewed SI-002',
    ]);
    expect(blockers[0]!.message).toContain('REV-901 is dated 2026-10-02, after the release date 2026-10-01');

    const failed = approvedStarterProject(base);
    const file = path.join(failed, 'records/reviews.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/outcome: passed/g, 'outcome: failed'));
    expect(gateOf(failed)[0]!.message).toContain('REV-901 has outcome failed');
    // Check warns about the same records (a warning: work to do before the release).
    expect(found(check(failed), 'requirement/unreviewed')).toMatchObject([
      { severity: 'warning' },
      { severity: 'warning' },
    ]);
  });

  it('coverage follows Table A.1: requirements at every class, architecture at B and C, detailed design at C', () => {
    // A unit whose class follows its parent's: it contributes to the parent's hazardous situation.
    const unit =
      '---\nid: SI-003\ntitle: Filter\nitemType: unit\npartOf: SI-002\ncontributesTo: [HS-001]\ninterfaces: Force in, filtered force out.\ndesign: FIR filter.\n---\nFilters.\n';
    const codesAt = (cls: SafetyClass) =>
      check(reviewed({ 'records/architecture/SI-003.md': unit }, cls))
        .filter((d) => d.code.endsWith('-unreviewed') || d.code === 'requirement/unreviewed')
        .map((d) => `${d.code} ${d.recordId}`);
    expect(codesAt('A')).toEqual(['requirement/unreviewed SRS-001', 'requirement/unreviewed SRS-002']);
    expect(codesAt('B')).toEqual([
      'item/architecture-unreviewed SI-001',
      'item/architecture-unreviewed SI-002',
      'requirement/unreviewed SRS-001',
      'requirement/unreviewed SRS-002',
    ]);
    expect(codesAt('C')).toEqual([
      'item/architecture-unreviewed SI-001',
      'item/architecture-unreviewed SI-002',
      'unit/design-unreviewed SI-003',
      'requirement/unreviewed SRS-001',
      'requirement/unreviewed SRS-002',
    ]);
  });
});

describe('detailed design of class C units (5.4.2, 5.4.3)', () => {
  const unit = (extra: string, body = 'Filters the force.\n') =>
    `---\nid: SI-003\ntitle: Filter\nitemType: unit\npartOf: SI-002\n${extra}---\n${body}`;
  const codes = (files: Record<string, string>, cls: SafetyClass = 'C') =>
    check(reviewed(files, cls))
      .filter((d) => d.code.startsWith('unit/') && d.code !== 'unit/design-unreviewed')
      .map((d) => `${d.code} ${d.clauses.join(',')} ${d.severity}`);

  it('a class C unit without design or interface design is an error each', () => {
    expect(codes({ 'records/architecture/SI-003.md': unit('') })).toEqual([
      'unit/design-missing 5.4.2 error',
      'unit/interface-design-missing 5.4.3 error',
    ]);
  });

  it('the `design` and `interfaces` fields, or "## Design" and "## Interfaces" headings with text, satisfy them', () => {
    expect(
      codes({ 'records/architecture/SI-003.md': unit('design: 100-tap FIR.\ninterfaces: Force in.\n') }),
    ).toEqual([]);
    expect(
      codes({
        'records/architecture/SI-003.md': unit(
          '',
          'Filters.\n\n## Design\n\n100-tap FIR in Q31.\n\n## Interfaces\n\nForce in, filtered force out.\n',
        ),
      }),
    ).toEqual([]);
    // A heading with nothing under it is no design.
    expect(
      codes({
        'records/architecture/SI-003.md': unit(
          'interfaces: Force in.\n',
          'Filters.\n\n## Design\n\n## Notes\n\nx\n',
        ),
      }),
    ).toEqual(['unit/design-missing 5.4.2 error']);
  });

  it('units of class A and B are not held to 5.4.2 and 5.4.3; items keep item/interfaces-missing (5.3.2)', () => {
    expect(codes({ 'records/architecture/SI-003.md': unit('contributesTo: [HS-001]\n') }, 'B')).toEqual([]);
    expect(codes({ 'records/architecture/SI-003.md': unit('contributesTo: [HS-001]\n') }, 'A')).toEqual([]);
    const item = check(
      reviewed({
        'records/architecture/SI-003.md':
          '---\nid: SI-003\ntitle: Monitor\nitemType: item\npartOf: SI-001\n---\nx\n',
      }),
    );
    expect(found(item, 'item/interfaces-missing')).toMatchObject([{ clauses: ['5.3.2'] }]);
    expect(found(item, 'unit/interface-design-missing')).toEqual([]);
  });
});

describe('dossier review fingerprint', () => {
  const COMMENTED = requirementsReview().replace(
    'reviewed: [SRS-001, SRS-002]',
    '# the records on screen in the meeting\nreviewed: [SRS-001, SRS-002] # both',
  );

  it('writes the current fingerprint of every reviewed record, keeps comments, and is idempotent', () => {
    const dir = reviewed({ 'records/reviews/REV-001.md': COMMENTED });
    const file = path.join(dir, 'records/reviews/REV-001.md');
    const before = fs.readFileSync(file, 'utf8');
    const r = fingerprintReviews(dir, 'REV-001');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('REV-001: wrote the fingerprints of 2 reviewed records: added SRS-001, SRS-002\n');
    const after = fs.readFileSync(file, 'utf8');
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const byId = new Map(loaded.project.records.map((rec) => [rec.id, rec]));
    expect(byId.get('REV-001')!.fields.fingerprints).toEqual({
      'SRS-001': fingerprint(byId.get('SRS-001')!),
      'SRS-002': fingerprint(byId.get('SRS-002')!),
    });
    // Everything people wrote is still there, byte for byte; only the fingerprints are added.
    expect(
      after.startsWith(before.slice(0, before.indexOf('outcome: passed\n') + 'outcome: passed\n'.length)),
    ).toBe(true);
    expect(after).toContain('# the records on screen in the meeting\nreviewed: [SRS-001, SRS-002] # both\n');
    expect(after.endsWith('---\nReview of the software requirements.\n')).toBe(true);

    const again = fingerprintReviews(dir, 'REV-001');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      'REV-001: the fingerprints of its 2 reviewed records are current; nothing changed\n',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(after);
  });

  it('--check reports missing and stale fingerprints and writes nothing; exit 1 until they are current', () => {
    const dir = reviewed({ 'records/reviews/REV-001.md': requirementsReview() });
    const file = path.join(dir, 'records/reviews/REV-001.md');
    const unfingerprinted = runCli(['review', 'fingerprint', 'REV-001', '-C', dir, '--check']);
    expect(unfingerprinted.code).toBe(1);
    expect(unfingerprinted.stdout).toBe(
      'REV-001: 2 reviewed records, 2 not current\n  SRS-001  no fingerprint recorded\n  SRS-002  no fingerprint recorded\n',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(requirementsReview());
    fingerprintReviews(dir, 'REV-001');
    expect(runCli(['review', 'fingerprint', 'REV-001', '-C', dir, '--check']).code).toBe(0);
    const srs = path.join(dir, 'records/software/SRS-002.md');
    fs.writeFileSync(srs, fs.readFileSync(srs, 'utf8').replace('within 1 s', 'within 500 ms'));
    const stale = runCli(['review', 'fingerprint', 'REV-001', '-C', dir, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('SRS-002  changed since the review (which fields changed is not known');
  });

  it('--check names the fields that changed when git holds the reviewed version', () => {
    const dir = reviewed({ 'records/reviews/REV-001.md': requirementsReview() });
    fingerprintReviews(dir, 'REV-001');
    const git = (...args: string[]) =>
      spawnSync('git', args, {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@x',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@x',
        },
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'reviewed');
    const srs = path.join(dir, 'records/software/SRS-002.md');
    fs.writeFileSync(
      srs,
      fs
        .readFileSync(srs, 'utf8')
        .replace('within 1 s', 'within 500 ms')
        .replace('category: alarms', 'category: functional'),
    );
    git('commit', '-qam', 'edited after the review');
    const r = runCli(['review', 'fingerprint', 'REV-001', '-C', dir, '--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      / {2}SRS-002 {2}changed since the review: text, category \(the reviewed version is in commit [0-9a-f]{12}\)\n/,
    );
  });

  it('refuses while the project is locked, an approved review, an unknown id and a reviewed id that is no record', () => {
    const dir = reviewed({ 'records/reviews/REV-001.md': requirementsReview() });
    const file = path.join(dir, 'records/reviews/REV-001.md');
    const lock = acquireProjectLock(dir, 'another dossier command', () => {});
    try {
      const locked = fingerprintReviews(dir, 'REV-001');
      expect(locked.code).toBe(2);
      expect(locked.stderr).toContain('the project is locked by another dossier command');
      expect(fs.readFileSync(file, 'utf8')).toBe(requirementsReview());
    } finally {
      lock.release();
    }

    fs.writeFileSync(file, requirementsReview().replace('status: in-review', 'status: approved'));
    const approvedReview = fingerprintReviews(dir, 'REV-001');
    expect(approvedReview.code).toBe(2);
    expect(approvedReview.stderr).toContain(
      'REV-001 is approved, and what it reviewed is part of what was approved; nothing was written',
    );

    const unknown = fingerprintReviews(dir, 'REV-009');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('dossier: no record has id REV-009 (reviews: REV-001)\n');
    expect(fingerprintReviews(dir, 'SRS-001').stderr).toContain(
      'SRS-001 is a software-requirement, not a review',
    );

    fs.writeFileSync(file, requirementsReview().replace('reviewed: [SRS-001, SRS-002]\n', ''));
    expect(fingerprintReviews(dir, 'REV-001').stderr).toBe(
      'dossier: REV-001 names no record in `reviewed`; list what was reviewed first (nothing was written)\n',
    );

    fs.writeFileSync(file, requirementsReview().replace('[SRS-001, SRS-002]', '[SRS-001, SRS-099]'));
    const dangling = fingerprintReviews(dir, 'REV-001');
    expect(dangling.code).toBe(2);
    expect(dangling.stderr).toContain('REV-001 names SRS-099 in `reviewed`, but no record has that id');
    expect(fs.readFileSync(file, 'utf8')).toBe(
      requirementsReview().replace('[SRS-001, SRS-002]', '[SRS-001, SRS-099]'),
    );
  });

  it('several reviews are written all or none: one approved review stops them all', () => {
    const dir = reviewed({
      'records/reviews/REV-001.md': requirementsReview(),
      'records/reviews/REV-002.md': requirementsReview('', REQUIREMENTS_CRITERIA, 'REV-002').replace(
        'status: in-review',
        'status: approved',
      ),
    });
    expect(fingerprintReviews(dir, 'REV-001', 'REV-002').code).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'records/reviews/REV-001.md'), 'utf8')).toBe(requirementsReview());
  });

  it('has a --help with an example', () => {
    const help = runCli(['review', 'fingerprint', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('dossier review fingerprint REV-004 -C examples/infusion-pump');
    expect(help.stdout).toContain('--check');
  });
});

describe('the starter project', () => {
  it('checks without errors; its requirements and items are reported as not yet reviewed', () => {
    const diagnostics = check(starterProject());
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.recordId}`)).toEqual([
      'warning item/architecture-unreviewed SI-001',
      'warning item/architecture-unreviewed SI-002',
      'warning requirement/unreviewed SRS-001',
      'warning requirement/unreviewed SRS-002',
    ]);
  });
});

describe('the bundled example', () => {
  const loaded = loadProject(EXAMPLE);
  if (!loaded.ok) throw new Error('the example must load');
  const analysis = analyze(loaded.project, { today: '2026-12-01' });
  const graph = analysis.graph;

  it('reviews its requirements, architecture and class C unit designs, with an independent participant each time', () => {
    const reviews = graph.ofKind('review');
    expect(new Set(reviews.map((r) => r.fields.reviewType))).toEqual(
      new Set(['requirements', 'architecture', 'detailed-design', 'code', 'design-review', 'plan']),
    );
    for (const review of reviews) {
      const participants = review.fields.participants as { independent?: boolean }[];
      expect(
        participants.some((p) => p.independent === true),
        review.id,
      ).toBe(true);
      expect(review.status, review.id).toBe('approved');
    }
    // Findings are resolved or linked to the problem reports the example already has.
    const linked = reviews.flatMap((r) =>
      ((r.fields.findings as { problemReport?: string }[] | undefined) ?? []).flatMap(
        (f) => f.problemReport ?? [],
      ),
    );
    expect(linked.sort()).toEqual(['PR-004', 'PR-005', 'PR-006']);
    const codes = analysis.diagnostics.map((d) => d.code);
    for (const code of [
      'requirement/unreviewed',
      'item/architecture-unreviewed',
      'unit/design-unreviewed',
      'review/stale',
    ])
      expect(codes).not.toContain(code);
  });

  it('keeps the reviews of 1.0.0 whose records changed later: superseded by the reviews of the change requests', () => {
    const r = runCli(['review', 'fingerprint', 'REV-001', 'REV-003', '-C', EXAMPLE, '--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'REV-001: 68 reviewed records, 2 not current, each reviewed again later or obsolete',
    );
    expect(r.stdout).toContain('SRS-005  changed since the review');
    expect(r.stdout).toContain('its current content was reviewed again in REV-005');
    expect(r.stdout).toContain('SI-014  changed since the review');
  });

  it('every class C unit has its detailed design (5.4.2) and interface design (5.4.3)', () => {
    const units = graph.ofKind('software-item').filter((i) => i.fields.itemType === 'unit');
    const classOf = new Map(analysis.safety.items.map((c) => [c.id, c.computedClass]));
    const classC = units.filter((u) => classOf.get(u.id) === 'C');
    expect(classC.length).toBeGreaterThanOrEqual(18);
    for (const unit of classC) {
      expect(String(unit.fields.design ?? '').length, unit.id).toBeGreaterThan(300);
      expect(String(unit.fields.interfaces ?? '').length, unit.id).toBeGreaterThan(0);
    }
  });
});
