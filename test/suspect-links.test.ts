/**
 * Suspect links (issue 13 section 1; docs/change-control.md): a tracked link remembers its target's
 * fingerprint in `linkReviews` on its source; a change of the target makes it suspect in check
 * (link/suspect) and at the release gate for class B and C (release/link-suspect);
 * `dossier suspect --clear` records the review.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { releaseGate } from '../src/evidence/release-gate.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { fingerprint } from '../src/model/fingerprint.js';
import { KINDS } from '../src/model/kinds.js';
import { formatStamp, parseStamp, stampFinder, stampIsFor } from '../src/model/link-stamp.js';
import { check, copyDir, EXAMPLE, releaseCheckJson, runCli, writeProject } from './helpers.js';

const STARTER = (safetyClass: 'A' | 'B' | 'C' = 'C') =>
  starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass, date: '2026-10-01' });

/** The starter project of a class with some files replaced. */
function project(overrides: Record<string, string> = {}, safetyClass: 'A' | 'B' | 'C' = 'C'): string {
  return writeProject({ ...STARTER(safetyClass), ...overrides }, false);
}

const SYS = 'records/system/SYS-001.md';
const SRS1 = 'records/software/SRS-001.md';
const TESTS = 'records/tests/system-tests.yaml';

/** The starter's SYS-001 with another statement. */
const editedSys = (files = STARTER()) =>
  files[SYS]!.replace('within the accuracy stated', 'within ±2 % of the accuracy stated');

const suspects = (dir: string) =>
  check(dir)
    .filter((d) => d.code === 'link/suspect')
    .map((d) => d.message);

function analysed(dir: string) {
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error('load');
  return analyze(loaded.project);
}

describe('which links are tracked is data', () => {
  it('every kind with a tracked link has `linkReviews`, and no other kind has it', () => {
    for (const kind of KINDS) {
      const tracked = kind.links.some((l) => l.suspect);
      expect(Object.hasOwn(kind.fields, 'linkReviews'), kind.name).toBe(tracked);
    }
    const tracked = KINDS.flatMap((k) => k.links.filter((l) => l.suspect).map((l) => `${k.name}.${l.field}`));
    expect(tracked.sort()).toEqual([
      'assurance-activity.assures',
      'hazardous-situation.arisesFrom',
      'risk-control.mitigates',
      'security-control.mitigates',
      'security-risk.leadsTo',
      'security-risk.threats',
      'software-item.implements',
      'software-requirement.derivesFrom',
      'software-requirement.implements',
      'system-requirement.derivesFrom',
      'test.verifies',
      'test.verifiesEffectiveness',
      'threat.threatModel',
      'vulnerability-evaluation.soup',
    ]);
  });
});

describe('the stamp is one plain string', () => {
  const fp = `fp1:${'0123456789abcdef'.repeat(4)}`;

  it('reads target, fingerprint, date, reviewer and an optional review id', () => {
    expect(parseStamp(`SYS-003 ${fp} 2026-11-25 A. Nowak`)).toEqual({
      target: 'SYS-003',
      fingerprint: fp,
      on: '2026-11-25',
      by: 'A. Nowak',
    });
    expect(parseStamp(`RC-012 ${fp} 2026-11-25 Anna M. Nowak-Weber [REV-004]`)).toEqual({
      target: 'RC-012',
      fingerprint: fp,
      on: '2026-11-25',
      by: 'Anna M. Nowak-Weber',
      review: 'REV-004',
    });
    // A bracket inside the name is part of the name; only a trailing bracketed word is the review.
    expect(parseStamp(`SYS-003 ${fp} 2026-11-25 A. [QA] Nowak`)?.by).toBe('A. [QA] Nowak');
    for (const bad of [
      `SYS-003 ${fp} 2026-11-25 `,
      `${fp} 2026-11-25 A. Nowak`,
      `SYS-003  ${fp} 2026-11-25 A. Nowak`,
      `SYS-003 ${fp.slice(0, -1)} 2026-11-25 A. Nowak`,
      `SYS-003 ${fp.toUpperCase()} 2026-11-25 A. Nowak`,
      `SYS-003 ${fp} 26-11-25 A. Nowak`,
      `SYS-003 ${fp} 2026-11-25 A. Nowak\nB`,
      { target: 'SYS-003', fingerprint: fp, by: 'A. Nowak', on: '2026-11-25' },
    ])
      expect(parseStamp(bad), JSON.stringify(bad)).toBeUndefined();
  });

  it('writes what it reads, and refuses parts that would not read back', () => {
    for (const stamp of [
      { target: 'SYS-003', fingerprint: fp, on: '2026-11-25', by: 'A. Nowak' },
      { target: 'SYS-003', fingerprint: fp, on: '2026-11-25', by: 'A. Nowak', review: 'REV-004' },
    ])
      expect(parseStamp(formatStamp(stamp))).toEqual(stamp);
    expect(
      formatStamp({
        target: 'SYS-003',
        fingerprint: fp,
        on: '2026-11-25',
        by: 'A. Nowak',
        review: 'REV-004',
      }),
    ).toBe(`SYS-003 ${fp} 2026-11-25 A. Nowak [REV-004]`);
    for (const bad of [
      { target: 'SYS-003', fingerprint: fp, on: '2026-11-25', by: 'A. Nowak [QA]' },
      { target: 'SYS 003', fingerprint: fp, on: '2026-11-25', by: 'A. Nowak' },
    ])
      expect(() => formatStamp(bad)).toThrow('not a link review stamp');
  });

  it('tells a current stamp by its target and fingerprint, without parsing', () => {
    const other = `fp1:${'f'.repeat(64)}`;
    const stamp = `SYS-003 ${fp} 2026-11-25 A. Nowak`;
    expect(stampIsFor(stamp, 'SYS-003', fp)).toBe(true);
    expect(stampIsFor(stamp, 'SYS-003', other)).toBe(false);
    // Another target with the same fingerprint, or a target whose id the stamp's only begins with.
    expect(stampIsFor(stamp, 'SYS-004', fp)).toBe(false);
    expect(stampIsFor(stamp, 'SYS-00', fp)).toBe(false);
    expect(stampIsFor(`SYS-003 ${fp}0 2026-11-25 A. Nowak`, 'SYS-003', fp)).toBe(false);
    expect(stampIsFor(undefined, 'SYS-003', fp)).toBe(false);
  });

  it('finds the stamp of each target in a short list and in a long one', () => {
    for (const count of [3, 40]) {
      const stamps: unknown[] = Array.from(
        { length: count },
        (_, i) => `SRS-${100 + i} ${fp} 2026-11-25 A. Nowak`,
      );
      // Items that are not text hold no stamp; the first stamp of a target is the one (a second is an error).
      stamps.push(42, `SRS-100 fp1:${'f'.repeat(64)} 2026-11-26 B. Later`);
      const find = stampFinder(stamps);
      expect(find('SRS-100'), String(count)).toBe(`SRS-100 ${fp} 2026-11-25 A. Nowak`);
      expect(find(`SRS-${100 + count - 1}`)).toBe(`SRS-${100 + count - 1} ${fp} 2026-11-25 A. Nowak`);
      expect(find('SRS-10')).toBeUndefined();
      expect(find('SRS-999')).toBeUndefined();
    }
  });
});

describe('link/suspect', () => {
  it('the starter project has no suspect links: dossier init stamps its links', () => {
    const dir = project();
    expect(suspects(dir)).toEqual([]);
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const sys = loaded.project.records.find((r) => r.id === 'SYS-001')!;
    expect(fs.readFileSync(path.join(dir, SRS1), 'utf8')).toContain(
      `linkReviews:\n  - SYS-001 ${fingerprint(sys)} 2026-10-01 dossier init\n---`,
    );
  });

  it('a link without a stamp is suspect: never reviewed (fail closed)', () => {
    const files = STARTER();
    const dir = project({ [SRS1]: files[SRS1]!.replace(/linkReviews:\n.*\n/, '') });
    const found = check(dir).filter((d) => d.code === 'link/suspect');
    expect(found.map((d) => d.message)).toEqual([
      'SRS-001 derivesFrom SYS-001 (Therapy delivery accuracy) is suspect: the link was never reviewed (no stamp for SYS-001 in `linkReviews`)',
    ]);
    expect(found[0]).toMatchObject({ severity: 'warning', file: SRS1, line: 6 });
    expect(found[0]!.clauses).toEqual(['8.2.2', 'ISO 13485 7.3.9']);
  });

  it('a change of the target makes every tracked link to it suspect, naming who reviewed it and when', () => {
    const dir = project({ [SYS]: editedSys() });
    const found = suspects(dir);
    expect(found).toHaveLength(3);
    expect(found.join('\n')).toContain(
      'SRS-001 derivesFrom SYS-001 (Therapy delivery accuracy) is suspect: SYS-001 changed since dossier init reviewed the link on 2026-10-01',
    );
    expect(found.some((m) => m.startsWith('SRS-002 derivesFrom SYS-001'))).toBe(true);
    expect(found.some((m) => m.startsWith('TC-001 verifies SYS-001'))).toBe(true);
    // Outside git, what changed cannot be told: said, not guessed.
    expect(found[0]).toContain('which parts changed is not known');
  });

  it('a change of the status or of the stamps is not a change of content', () => {
    const files = STARTER();
    const dir = project({ [SYS]: files[SYS]!.replace('status: draft', 'status: approved') });
    expect(suspects(dir)).toEqual([]);
  });

  it('a stamp for an id the record no longer links to is reported (link/review-orphaned, info)', () => {
    const files = STARTER();
    const extra = files[SRS1]!.replace(
      'linkReviews:\n',
      'linkReviews:\n  - SYS-009 fp1:0000000000000000000000000000000000000000000000000000000000000000 2026-01-01 T. Old [REV-009]\n',
    );
    const found = check(project({ [SRS1]: extra })).filter((d) => d.code === 'link/review-orphaned');
    expect(found.map((d) => `${d.severity} ${d.message}`)).toEqual([
      'info SRS-001 has a link review for SYS-009 (by T. Old on 2026-01-01), but no tracked link of SRS-001 names SYS-009',
    ]);
  });

  it('a malformed stamp is a schema error naming the file, the line and the format', () => {
    const files = STARTER();
    const stampLine = /( {2}- )SYS-001 fp1:[0-9a-f]{64} 2026-10-01 dossier init/;
    const fp = `fp1:${'a'.repeat(64)}`;
    for (const malformed of [
      'SYS-001 sha1:abc 2026-10-01 dossier init',
      `${fp} 2026-10-01 dossier init`,
      `SYS-001 ${fp} 2026-13-01 dossier init`,
      `SYS-001 ${fp} 2026-10-01`,
      `"SYS-001 ${fp}  2026-10-01 dossier init"`,
      `"SYS-001 ${fp} 2026-10-01 dossier init "`,
      // The mapping form of earlier drafts is not a stamp.
      `{target: SYS-001, fingerprint: ${fp}, by: dossier init, on: 2026-10-01}`,
    ]) {
      const bad = files[SRS1]!.replace(stampLine, `$1${malformed}`);
      expect(bad, malformed).not.toBe(files[SRS1]);
      const diagnostics = check(project({ [SRS1]: bad }));
      const errors = diagnostics.filter((d) => d.severity === 'error');
      // Fail closed: a stamp that does not read reviews nothing, so the link stays suspect.
      expect(
        diagnostics.some(
          (d) => d.code === 'link/suspect' && d.message.startsWith('SRS-001 derivesFrom SYS-001'),
        ),
        malformed,
      ).toBe(true);
      // The mapping form is a wrong type (a mapping, not text); every other one an invalid value.
      const code = malformed.startsWith('{') ? 'schema/wrong-type' : 'schema/invalid-value';
      expect(
        errors.map((d) => `${d.code} ${d.file}:${d.line}`),
        malformed,
      ).toEqual([`${code} ${SRS1}:8`]);
      expect(`${errors[0]!.message} ${errors[0]!.hint}`, malformed).toContain(
        '<target id> <fingerprint> <YYYY-MM-DD> <reviewer>',
      );
    }
  });

  it('a second stamp for the same target is a schema error at the second one', () => {
    const files = STARTER();
    const line = /( {2}- SYS-001 fp1:[0-9a-f]{64} 2026-10-01 dossier init\n)/;
    const bad = files[SRS1]!.replace(line, `$1  - SYS-001 fp1:${'b'.repeat(64)} 2026-10-02 B. Other\n`);
    expect(bad).not.toBe(files[SRS1]);
    const errors = check(project({ [SRS1]: bad })).filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`)).toEqual([
      `schema/invalid-value ${SRS1}:9 \`linkReviews.1\`: a second stamp for SYS-001: keep one stamp per link (delete the other; \`dossier suspect --clear\` then records a review if the link needs one)`,
    ]);
  });

  it('a linkReviews that is not a list of stamps is a schema error at the field', () => {
    const files = STARTER();
    const stamp = /linkReviews:\n {2}- (SYS-001) (fp1:.*)\n/;
    // The mapping by target id of early development versions: told how to rewrite it.
    const mapping = files[SRS1]!.replace(stamp, 'linkReviews:\n  $1: $2\n');
    const scalar = files[SRS1]!.replace(stamp, 'linkReviews: SYS-001\n');
    expect(mapping).not.toBe(files[SRS1]);
    const errorsOf = (text: string) =>
      check(project({ [SRS1]: text }))
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`);
    expect(errorsOf(mapping)).toEqual([
      `schema/invalid-value ${SRS1}:8 \`linkReviews\`: must be a list of stamps, one per link ("- SYS-003 fp1:… 2026-11-25 A. Nowak"), not a mapping by target id (the form of early development versions): write each "TARGET: STAMP" line as "- TARGET STAMP"`,
    ]);
    expect(errorsOf(scalar)).toEqual([
      `schema/wrong-type ${SRS1}:7 \`linkReviews\` must be a list, got text`,
    ]);
  });

  it('a stamp with a review id names the review in the finding', () => {
    const files = STARTER();
    const old = `fp1:${'0'.repeat(64)} 2026-09-15 T. Old [REV-007]`;
    const dir = project({
      [SRS1]: files[SRS1]!.replace(/( {2}- SYS-001 )fp1:[0-9a-f]{64} 2026-10-01 dossier init/, `$1${old}`),
    });
    expect(suspects(dir)).toEqual([
      expect.stringContaining(
        'SRS-001 derivesFrom SYS-001 (Therapy delivery accuracy) is suspect: SYS-001 changed since T. Old reviewed the link on 2026-09-15 (REV-007)',
      ),
    ]);
  });
});

describe('release/link-suspect', () => {
  it('blocks a release whose class C records have suspect links, one blocker per kind', () => {
    const blockers = releaseGate(analysed(project({ [SYS]: editedSys() })), '0.1.0').blockers.filter(
      (b) => b.code === 'release/link-suspect',
    );
    expect(blockers.map((b) => b.records!.map((r) => r.id))).toEqual([['SRS-001', 'SRS-002'], ['TC-001']]);
    expect(blockers[0]!.message).toContain('SRS-001 → SYS-001 (changed since 2026-10-01)');
    expect(blockers[0]!.clauses).toEqual(['8.2.3', '7.4.3', 'ISO 13485 7.3.9']);
  });

  it('blocks at class B too; at class A only check warns', () => {
    for (const [cls, blocks] of [
      ['B', true],
      ['A', false],
    ] as const) {
      const dir = project({ [SYS]: editedSys(STARTER(cls)) }, cls);
      const analysis = analysed(dir);
      const codes = releaseGate(analysis, '0.1.0').blockers.map((b) => b.code);
      expect(codes.includes('release/link-suspect'), cls).toBe(blocks);
      expect(analysis.diagnostics.filter((d) => d.code === 'link/suspect').length, cls).toBe(3);
    }
  });

  it('does not block without suspect links', () => {
    const codes = releaseGate(analysed(project()), '0.1.0').blockers.map((b) => b.code);
    expect(codes).not.toContain('release/link-suspect');
  });
});

describe('dossier suspect', () => {
  const BY = ['--by', 'R. Reviewer'];
  const TODAY = { DOSSIER_TODAY: '2026-11-02' };

  it('lists suspect links as text, JSON and Markdown; exit 1 when there are any', () => {
    const dir = project({ [SYS]: editedSys() });
    const text = runCli(['suspect', dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('3 suspect links\nSRS-001 derivesFrom SYS-001: changed since dossier init');
    const json = JSON.parse(runCli(['suspect', dir, '--format', 'json']).stdout);
    expect(json.count).toBe(3);
    expect(json.suspect[0]).toMatchObject({
      source: 'SRS-001',
      field: 'derivesFrom',
      target: 'SYS-001',
      state: 'changed',
      reviewed: { by: 'dossier init', on: '2026-10-01' },
      changed: { known: false, why: 'not-in-git' },
    });
    expect(runCli(['suspect', dir, '--format', 'markdown']).stdout).toContain(
      '| SRS-001 | derivesFrom | SYS-001 | Therapy delivery accuracy |',
    );
    expect(runCli(['suspect', project()]).code).toBe(0);
  });

  it('--clear SRC:TARGET stamps one link; --clear ID all links of a record; --all the rest', () => {
    const dir = project({ [SYS]: editedSys() });
    const one = runCli(['suspect', dir, '--clear', 'SRS-001:SYS-001', ...BY], REPO_CWD, TODAY);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe('recorded 1 link review in 1 record\n  SRS-001: reviewed SYS-001\n');
    expect(suspects(dir).map((m) => m.split(' ')[0])).toEqual(['SRS-002', 'TC-001']);
    const srs1 = fs.readFileSync(path.join(dir, SRS1), 'utf8');
    // One plain line per link: fingerprint, date, reviewer.
    expect(srs1).toMatch(/^ {2}- SYS-001 fp1:[0-9a-f]{64} 2026-11-02 R\. Reviewer$/m);

    expect(runCli(['suspect', dir, '--clear', 'SRS-002', ...BY], REPO_CWD, TODAY).code).toBe(0);
    expect(suspects(dir).map((m) => m.split(' ')[0])).toEqual(['TC-001']);
    const all = runCli(['suspect', dir, '--all', ...BY, '--review', 'REV-001'], REPO_CWD, TODAY);
    // The starter has no review records: a review that does not exist is refused, nothing written.
    expect(all.code).toBe(2);
    expect(all.stderr).toContain('--review REV-001: no record has that id (nothing was written)');
    expect(runCli(['suspect', dir, '--all', ...BY], REPO_CWD, TODAY).stdout).toBe(
      'recorded 1 link review in 1 record\n  TC-001: reviewed SYS-001\n',
    );
    expect(suspects(dir)).toEqual([]);
    // Clearing changes no fingerprint: the stamps are outside the content.
    expect(check(dir).filter((d) => d.severity !== 'warning' || d.code === 'link/suspect')).toEqual([]);
    expect(runCli(['suspect', dir, '--all', ...BY]).stdout).toBe(
      'nothing to clear: the chosen links are current\n',
    );
  });

  it('--dry-run says what it would record and writes nothing', () => {
    const dir = project({ [SYS]: editedSys() });
    const before = fs.readFileSync(path.join(dir, TESTS), 'utf8');
    const dry = runCli(['suspect', dir, '--all', ...BY, '-n']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would record 3 link reviews in 3 records (dry run: nothing written)');
    expect(fs.readFileSync(path.join(dir, TESTS), 'utf8')).toBe(before);
    expect(suspects(dir)).toHaveLength(3);
  });

  it('keeps comments, quoting and every other line of the file; drops stamps of removed links', () => {
    const files = STARTER();
    const commented = files[TESTS]!.replace(
      '    verifies: [SRS-001, SYS-001]\n',
      '    # verified on the simulator rig\n    verifies: [SRS-001, SYS-001]   # both levels\n',
    ).replace(/( {6}- SYS-001 fp1:)[0-9a-f]+/, `$1${'1'.repeat(64)}`);
    const dir = project({
      [TESTS]: commented,
      // A link removed by hand leaves its stamp behind: clearing the record drops it.
      [SRS1]: files[SRS1]!.replace(
        'derivesFrom: [SYS-001]',
        'derivesFrom: []\nsource: Clinical workshop 2026-03',
      ),
    });
    expect(check(dir).map((d) => d.code)).toEqual(
      expect.arrayContaining(['link/suspect', 'link/review-orphaned']),
    );
    const r = runCli(['suspect', dir, '--clear', 'TC-001', 'SRS-001', ...BY], REPO_CWD, TODAY);
    expect(r.stdout).toBe(
      // SRS-001 itself changed (a link less, a source more), so TC-001's link to it is suspect too.
      'recorded 2 link reviews in 2 records\n  SRS-001: dropped stamps of SYS-001 (no longer linked)\n  TC-001: reviewed SRS-001, SYS-001\n',
    );
    const after = fs.readFileSync(path.join(dir, TESTS), 'utf8');
    const changed = diffLines(commented, after);
    // Only TC-001's two stamp lines changed; every other line (comments included) is as it was.
    expect(changed.removed).toEqual([
      expect.stringMatching(/^ {6}- SRS-001 fp1:[0-9a-f]{64} 2026-10-01 dossier init$/),
      expect.stringMatching(/^ {6}- SYS-001 fp1:1{64} 2026-10-01 dossier init$/),
    ]);
    expect(changed.added).toEqual([
      expect.stringMatching(/^ {6}- SRS-001 fp1:[0-9a-f]{64} 2026-11-02 R\. Reviewer$/),
      expect.stringMatching(/^ {6}- SYS-001 fp1:[0-9a-f]{64} 2026-11-02 R\. Reviewer$/),
    ]);
    expect(after.split('\n')).toHaveLength(commented.split('\n').length);
    expect(after).toContain(
      '    # verified on the simulator rig\n    verifies: [SRS-001, SYS-001]   # both levels\n',
    );
    expect(fs.readFileSync(path.join(dir, SRS1), 'utf8')).not.toContain('linkReviews');
    // What is left: SI-002's link to the changed SRS-001, which this test did not clear.
    expect(
      check(dir)
        .filter((d) => d.code.startsWith('link/'))
        .map((d) => d.message.split(' is ')[0]),
    ).toEqual(['SI-002 implements SRS-001 (Validate therapy parameters)']);
  });

  it('refuses what it cannot do, writing nothing', () => {
    const dir = project({ [SYS]: editedSys() });
    const cases: [string[], string][] = [
      [['--clear', 'SRS-001'], 'say who reviewed the links: --by "NAME"'],
      [['--clear', 'SRS-404', ...BY], '--clear SRS-404: no record has that id'],
      [['--clear', 'UN-001', ...BY], 'UN-001 is a user-need, which has no tracked links'],
      [['--clear', 'SRS-001:SYS-002', ...BY], 'SRS-001 has no tracked link to SYS-002'],
      [['--clear', 'SRS-001', '--all', ...BY], 'give either --clear IDs or --all, not both'],
      [['--by', 'X'], '--by goes with --clear or --all'],
      // The stamp is one line read back by its pattern: a name it could not hold is refused.
      [['--all', '--by', 'A. Nowak [QA]'], 'a reviewer name does not end in a bracketed word'],
      [['--all', '--by', 'A.\nNowak'], 'a reviewer name is one line'],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['suspect', dir, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(suspects(dir)).toHaveLength(3);
  });

  it('refuses to rewrite a list of stamps that does not read: the stamps that are fine are kept', () => {
    const files = STARTER();
    const stamp = /^( {6}- )(SYS-001 fp1:[0-9a-f]{64} 2026-10-01 dossier init)$/m;
    expect(files[TESTS]).toMatch(stamp);
    for (const broken of [
      // A second, older stamp of SRS-001 beside the good ones.
      files[TESTS]!.replace(stamp, `$1$2\n$1SRS-001 fp1:${'0'.repeat(64)} 2026-01-01 T. Old`),
      // A stamp that is not one.
      files[TESTS]!.replace(stamp, '$1$2\n$1SRS-001 reviewed last week'),
    ]) {
      const dir = project({ [TESTS]: broken, [SRS1]: files[SRS1]!.replace('title:', 'title: Changed') });
      for (const args of [
        ['--clear', 'TC-001:SRS-001', ...BY],
        ['--clear', 'TC-001', ...BY],
        ['--all', ...BY],
      ]) {
        const r = runCli(['suspect', dir, ...args]);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toContain(
          'the link reviews of TC-001 do not read (see `dossier check`): fix them first',
        );
        expect(fs.readFileSync(path.join(dir, TESTS), 'utf8')).toBe(broken);
      }
    }
  });

  it('teaches in --help', () => {
    const help = runCli(['suspect', '--help']).stdout;
    for (const words of [
      'linkReviews',
      'link/suspect',
      'release/link-suspect',
      '--clear SRC:TARGET',
      '--dry-run',
    ])
      expect(help).toContain(words);
  });
});

describe('done when: the example (issue 13 section 1)', () => {
  it('editing a system requirement makes its derived requirements suspect with "text" changed, blocks 1.1.0, and --clear clears it', () => {
    const dir = copyDir(EXAMPLE);
    const git = (...args: string[]) => {
      const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ID } });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', 'the example as released');
    expect(suspects(dir)).toEqual([]);
    const file = path.join(dir, 'records/system/SYS-003.md');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/\n---\n([^\n]*)/, '\n---\n$1 (edited)'));

    const found = check(dir).filter((d) => d.code === 'link/suspect');
    const derived = found.filter((d) => /^SRS-\d+ derivesFrom SYS-003 /.test(d.message));
    expect(derived.map((d) => d.message.split(' ')[0]).sort()).toEqual([
      'SRS-003',
      'SRS-010',
      'SRS-017',
      'SRS-048',
    ]);
    for (const d of derived) {
      expect(d.message).toContain(
        'SYS-003 changed since A. Nowak reviewed the link on 2026-11-25; changed: text (reviewed version in commit',
      );
    }
    const blocked = gate(dir);
    expect(blocked.code).toBe(1);
    const suspect = blocked.blockers.filter((b) => b.code === 'release/link-suspect');
    expect(suspect.map((b) => b.message).join('\n')).toContain(
      'SRS-003 → SYS-003 (changed since 2026-11-25)',
    );

    const sources = [...new Set(found.map((d) => d.recordId!))];
    const cleared = runCli(['suspect', dir, '--clear', ...sources, '--by', 'A. Nowak'], REPO_CWD, {
      DOSSIER_TODAY: '2026-12-01',
    });
    expect(cleared.code).toBe(0);
    expect(suspects(dir)).toEqual([]);
    expect(gate(dir).blockers.filter((b) => b.code === 'release/link-suspect')).toEqual([]);
  });
});

const REPO_CWD = path.resolve(import.meta.dirname, '..');
const GIT_ID = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

const gate = (dir: string) => releaseCheckJson(dir, '1.1.0', path.join(dir, 'out', 'm.json'));

/** Lines only in `before` and only in `after` (files that differ by a few lines). */
function diffLines(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}
