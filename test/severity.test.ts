/** Issue 9 section 2: severity follows the class, from the applicability table (Annex A, Table A.1). */
import fs from 'node:fs';
import path from 'node:path';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { RULES } from '../src/rules/registry.js';
import { judgeFinding } from '../src/rules/severity.js';
import {
  type ClassScheme,
  classesOfClause,
  clausesFor,
  IEC_62304_ED1_1,
} from '../src/safety/class-scheme.js';
import { subjectClasses } from '../src/safety/subject-class.js';
import { check, EXAMPLE, REPO, runCli, writeProject } from './helpers.js';

type SafetyClass = 'A' | 'B' | 'C';

/** The starter project of a class, with files replaced or added. */
function starter(cls: SafetyClass, overrides: Record<string, string> = {}): string {
  return writeProject(
    { ...starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: cls }), ...overrides },
    false,
  );
}

/** The starter's file, with one text replaced (the text must be there). */
function edited(cls: SafetyClass, file: string, from: string, to: string): Record<string, string> {
  const original = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: cls })[file]!;
  if (!original.includes(from)) throw new Error(`${file} has no "${from}"`);
  return { [file]: original.replace(from, to) };
}

const find = (diagnostics: readonly Diagnostic[], code: string, recordId?: string) =>
  diagnostics.filter((d) => d.code === code && (recordId === undefined || d.recordId === recordId));

/** An item of the starter's system that contributes to HS-001; its class is the risk's. */
const contributingItem = (extra = '') =>
  `---\nid: SI-003\ntitle: Dose display\nitemType: item\npartOf: SI-001\nimplements: [SRS-001]\ncontributesTo: [HS-001]\n${extra}---\nShows the dose.\n`;

function addRules(dir: string, rules: string): void {
  fs.appendFileSync(path.join(dir, 'dossier.yaml'), `rules:\n${rules}`);
}

describe('the applicability table decides where an obligation applies', () => {
  it('the same finding is an error on a class C item and not reported on a class A item (7.1.2, B/C only)', () => {
    for (const cls of ['C', 'A'] as const) {
      const diagnostics = check(starter(cls, { 'records/architecture/SI-003.md': contributingItem() }));
      const found = find(diagnostics, 'risk/cause-missing', 'SI-003');
      if (cls === 'C') {
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({ severity: 'error', safetyClass: 'C' });
        expect(found[0]!.clauses).toEqual(['7.1.2', '7.1.4', '7.3.3']);
      } else {
        expect(found).toEqual([]);
      }
    }
  });

  it('uncertain rows (confidence not "high") apply at every class until verified in the data', () => {
    // 5.8.3 is encoded B, C with confidence "check": applied at A as well.
    const row = IEC_62304_ED1_1.applicability.find((r) => r.clause === '5.8.3')!;
    expect(row.classes).toEqual(['B', 'C']);
    expect(row.confidence).toBe('check');
    expect(classesOfClause(IEC_62304_ED1_1, '5.8.3').classes).toEqual(['A', 'B', 'C']);
    expect(clausesFor(IEC_62304_ED1_1, 'A').map((c) => c.clause)).toContain('5.8.3');

    // The data, not the code, decides: mark 7.1.2 and 7.1.4 uncertain and cause-missing fires at A.
    const rule = RULES.find((r) => r.code === 'risk/cause-missing')!;
    const finding = { code: rule.code, message: 'x', recordId: 'SI-003' };
    const atA = () => 'A';
    expect(judgeFinding(rule, finding, IEC_62304_ED1_1, atA)).toBeUndefined();
    const uncertain: ClassScheme = {
      ...IEC_62304_ED1_1,
      applicability: IEC_62304_ED1_1.applicability.map((r) =>
        r.clause === '7.1.2' ? { ...r, confidence: 'med' as const } : r,
      ),
    };
    expect(judgeFinding(rule, finding, uncertain, atA)).toEqual({
      severity: 'error',
      clauses: rule.clauses,
      safetyClass: 'A',
    });
  });

  it('a finding of a table rule is judged by its own clauses, never dropped by an empty list', () => {
    const rule = RULES.find((r) => r.code === 'soup/missing-content')!;
    const atA = () => 'A';
    const finding = (clauses?: string[]) => ({
      code: rule.code,
      message: 'x',
      recordId: 'SOUP-001',
      ...(clauses ? { clauses } : {}),
    });
    expect(judgeFinding(rule, finding(['5.3.3']), IEC_62304_ED1_1, atA)).toBeUndefined();
    expect(judgeFinding(rule, finding(['8.1.2 b']), IEC_62304_ED1_1, atA)?.clauses).toEqual(['8.1.2 b']);
    expect(judgeFinding(rule, finding([]), IEC_62304_ED1_1, atA)?.clauses).toEqual(rule.clauses);
  });

  it('maps clause references to table rows by prefix, and other standards by their own entries', () => {
    const classes = (ref: string) => classesOfClause(IEC_62304_ED1_1, ref);
    expect(classes('7.2.2 a')).toMatchObject({ classes: ['B', 'C'], source: 'table' });
    expect(classes('5.7.5 d').classes).toEqual(['A', 'B', 'C']);
    expect(classes('IEC 62304 5.3.3').classes).toEqual(['B', 'C']);
    expect(classes('5.5.4').classes).toEqual(['C']);
    // A group covers its rows: 7.4.1 applies at A.
    expect(classes('7.4').classes).toEqual(['A', 'B', 'C']);
    expect(classes('7.4').rows.map((r) => r.clause)).toEqual(['7.4.1', '7.4.2', '7.4.3']);
    // Deleted by AMD1: applies nowhere.
    expect(classes('7.1.5').classes).toEqual([]);
    expect(classes('ISO 14971 7.4')).toMatchObject({ classes: ['A', 'B', 'C'], source: 'other' });
    expect(classes('ISO 13485 7.3.7').source).toBe('other');
    expect(classes('FDA cybersecurity guidance').source).toBe('other');
    expect(classes('IEC 81001-5-1 5.7')).toMatchObject({ classes: ['A', 'B', 'C'], source: 'other' });
    expect(classes('AAMI SW96').source).toBe('other');
    // Nothing matches: every class, so an unmapped obligation is never dropped.
    expect(classes('IEC 60601-1 14.13')).toMatchObject({ classes: ['A', 'B', 'C'], source: 'unknown' });
    expect(classes('12.9')).toMatchObject({ classes: ['A', 'B', 'C'], source: 'unknown' });
  });

  it('every rule says how its severity is decided, and every table rule’s clauses are in the data', () => {
    for (const rule of RULES) {
      expect(['table', 'fixed'], rule.code).toContain(rule.applicability);
      if (rule.applicability !== 'table') continue;
      expect(rule.clauses.length, rule.code).toBeGreaterThan(0);
      for (const clause of rule.clauses) {
        const mapped = classesOfClause(IEC_62304_ED1_1, clause);
        expect(mapped.source, `${rule.code}: ${clause}`).not.toBe('unknown');
        expect(mapped.classes.length, `${rule.code}: ${clause}`).toBeGreaterThan(0);
      }
    }
  });

  it('the subject class: items computed, requirements and tests from their items, the rest the system, unknown C', () => {
    const loaded = loadProject(EXAMPLE);
    if (!loaded.ok) throw new Error('load');
    const { graph, safety } = analyze(loaded.project);
    const classOf = subjectClasses(graph, safety);
    expect(classOf('SI-030')).toBe('B'); // a class B item
    expect(classOf('SRS-072')).toBe('B'); // implemented only by SI-030
    expect(classOf('TC-109')).toBe('B'); // verifies SI-030 and SRS-072
    expect(classOf('SRS-001')).toBe('C');
    expect(classOf('HS-001')).toBe('C'); // risk records: the system's class
    expect(classOf('PR-005')).toBe('C');
    expect(classOf(undefined)).toBe('C'); // project-wide
    expect(classOf('NOPE-1')).toBe('C'); // 4.3 g: not determinable, never A
    // SOUP takes the class of the items that use it.
    const soup = safety.soup.find((s) => s.cls === 'B');
    if (soup) expect(classOf(soup.soup.id)).toBe('B');

    // A test that verifies nothing cannot be classified: class C, even in a class A project.
    const dir = starter('A', {
      'records/tests/orphan.yaml':
        'kind: test\nrecords:\n  - { id: TC-050, title: Orphan, level: system, procedure: p, expectedResults: e }\n',
    });
    const a = loadProject(dir);
    if (!a.ok) throw new Error('load');
    const analysis = analyze(a.project);
    expect(subjectClasses(analysis.graph, analysis.safety)('TC-050')).toBe('C');
    expect(subjectClasses(analysis.graph, analysis.safety)('SRS-001')).toBe('A');
  });
});

describe('the obligations the issue names are errors where their clauses apply', () => {
  it('risk-control/unimplemented (5.2.3): error at class C, not reported at class A', () => {
    for (const cls of ['C', 'A'] as const) {
      // No software requirement implements the software control RC-001 any more.
      const dir = starter(
        cls,
        edited(
          cls,
          'records/software/SRS-002.md',
          'riskControl: true\nderivesFrom: [SYS-001]\nimplements: [RC-001]\n',
          'derivesFrom: [SYS-001]\n',
        ),
      );
      const found = find(check(dir), 'risk-control/unimplemented', 'RC-001');
      expect(found.map((d) => d.severity)).toEqual(cls === 'C' ? ['error'] : []);
    }
  });

  it('risk-control/unverified (7.3.1): error at class C, not reported at class A', () => {
    for (const cls of ['C', 'A'] as const) {
      const dir = starter(
        cls,
        edited(cls, 'records/tests/system-tests.yaml', 'verifies: [SRS-002, RC-001]', 'verifies: [SYS-001]'),
      );
      const found = find(check(dir), 'risk-control/unverified', 'RC-001');
      expect(found.map((d) => d.severity)).toEqual(cls === 'C' ? ['error'] : []);
    }
  });

  it('evidence/run-incomplete (5.7.5 d, e): error at every class, class A included', () => {
    const run =
      'kind: test-run\nrecords:\n  - id: RUN-001\n    title: Run\n    version: 0.1.0\n    date: 2026-09-30\n    executedBy: J. Tester\n    results:\n      - { test: TC-001, outcome: passed }\n';
    for (const cls of ['C', 'A'] as const) {
      const found = find(
        check(starter(cls, { 'records/evidence/RUN-001.yaml': run })),
        'evidence/run-incomplete',
      );
      expect(found.map((d) => d.severity)).toEqual(['error']);
    }
  });

  it('ISO 14971 obligations are errors at class A too: residual risk and control effectiveness', () => {
    const dir = starter('A', {
      ...edited('A', 'records/risk/hazardous-situations.yaml', '    residualProbability: remote\n', ''),
      ...edited('A', 'records/tests/system-tests.yaml', '    verifiesEffectiveness: [RC-001]\n', ''),
      'records/risk/more.yaml':
        'kind: hazardous-situation\nrecords:\n  - { id: HS-002, title: U, arisesFrom: [HAZ-001], severity: critical, probability: remote, residualProbability: probable }\n',
      'records/risk/controls/RC-002.md':
        '---\nid: RC-002\ntitle: Label\noption: information-for-safety\nimplementedIn: labeling\nmitigates: [HS-002]\n---\nWarning label.\n',
    });
    const diagnostics = check(dir);
    for (const [code, id] of [
      ['risk/residual-unevaluated', 'HS-001'],
      ['risk/residual-unacceptable', 'HS-002'],
      ['risk-control/effectiveness-unverified', 'RC-001'],
    ] as const) {
      expect(
        find(diagnostics, code, id).map((d) => d.severity),
        code,
      ).toEqual(['error']);
    }
  });
});

describe('new obligations', () => {
  it('requirement/unallocated (5.3.1): every software requirement is allocated to an item', () => {
    const srs =
      '---\nid: SRS-003\ntitle: Log therapy changes\ncategory: data\nderivesFrom: [SYS-001]\n---\nThe software shall log every change of therapy parameters.\n';
    const test =
      'kind: test\nrecords:\n  - { id: TC-003, title: Log, level: system, verifies: [SRS-003], procedure: Change a parameter., expectedResults: Logged., acceptanceCriteria: All changes logged. }\n';
    const base = { 'records/software/SRS-003.md': srs, 'records/tests/log.yaml': test };
    const c = find(check(starter('C', base)), 'requirement/unallocated', 'SRS-003');
    expect(c).toMatchObject([{ severity: 'error', clauses: ['5.3.1'], safetyClass: 'C' }]);
    expect(c[0]!.message).toContain('not allocated to any software item');
    // 5.3.1 applies at B and C only.
    expect(find(check(starter('A', base)), 'requirement/unallocated')).toEqual([]);
    // Allocated to the system while the system has items: still not allocated to one of them.
    const onSystem = starter('C', {
      ...base,
      ...edited(
        'C',
        'records/architecture/SI-001.md',
        'itemType: system\n',
        'itemType: system\nimplements: [SRS-003]\n',
      ),
    });
    expect(find(check(onSystem), 'requirement/unallocated', 'SRS-003')[0]?.message).toContain(
      'only to the software system SI-001',
    );
    // Satisfied by an item that implements it.
    const allocated = starter('C', {
      ...base,
      ...edited(
        'C',
        'records/architecture/SI-002.md',
        'implements: [SRS-001, SRS-002]',
        'implements: [SRS-001, SRS-002, SRS-003]',
      ),
    });
    expect(find(check(allocated), 'requirement/unallocated')).toEqual([]);
  });

  it('item/interfaces-missing (5.3.2; units: unit/interface-design-missing, 5.4.3): an interfaces field or a "## Interfaces" section with text', () => {
    const item = (body: string, extra = '') =>
      `---\nid: SI-003\ntitle: Pressure monitor\nitemType: item\npartOf: SI-001\n${extra}---\n${body}`;
    const at = (cls: SafetyClass, body: string, extra = '') =>
      find(
        check(starter(cls, { 'records/architecture/SI-003.md': item(body, extra) })),
        'item/interfaces-missing',
        'SI-003',
      );
    expect(at('C', 'Monitors the line pressure.\n')).toMatchObject([
      { severity: 'error', clauses: ['5.3.2'], safetyClass: 'C' },
    ]);
    expect(
      at('C', 'Monitors.\n\n## Interfaces\n\nReads the force sensor over SPI; reports to therapy control.\n'),
    ).toEqual([]);
    expect(at('C', 'Monitors.\n\n## Interfaces\n\n## Design\n\nText.\n')).toHaveLength(1);
    expect(at('C', 'Monitors.\n', 'interfaces: Force sensor (SPI) in, occlusion flag out.\n')).toEqual([]);
    // A class C unit: 5.4.3 (detailed design of interfaces), reported by its own rule.
    const unitChecked = check(
      starter('C', {
        'records/architecture/SI-004.md':
          '---\nid: SI-004\ntitle: Filter\nitemType: unit\npartOf: SI-002\n---\nFilters the force.\n',
      }),
    );
    expect(find(unitChecked, 'unit/interface-design-missing', 'SI-004')).toMatchObject([
      { severity: 'error', clauses: ['5.4.3'] },
    ]);
    expect(find(unitChecked, 'item/interfaces-missing', 'SI-004')).toEqual([]);
    // The system and items of a class A project need no architecture (5.3 is B, C).
    expect(
      find(
        check(
          starter('A', {
            'records/architecture/SI-003.md': item(
              'Monitors.\n',
              'noContribution: It only displays the pressure trend; alarms come from the hardware monitor.\n',
            ),
          }),
        ),
        'item/interfaces-missing',
      ),
    ).toEqual([]);
  });

  it('a class C system test without acceptance criteria fails check (5.7.1)', () => {
    const dir = starter(
      'C',
      edited(
        'C',
        'records/tests/system-tests.yaml',
        '    acceptanceCriteria: All out-of-range values rejected; all in-range values accepted.\n',
        '',
      ),
    );
    const found = find(check(dir), 'test/incomplete', 'TC-001');
    expect(found).toMatchObject([{ severity: 'error', clauses: ['5.7.1'], safetyClass: 'C' }]);
    expect(found[0]!.message).toContain('`acceptanceCriteria`');
    const cli = runCli(['check', dir]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/error test\/incomplete TC-001 \(system test\) has no `acceptanceCriteria`/);
  });

  it('test/incomplete by level and class: unit criteria (5.5.3, B/C), integration content (5.6), system at A too', () => {
    const tests = `kind: test
records:
  - { id: TC-010, title: Unit, level: unit, verifies: [SI-002], procedure: p, expectedResults: e }
  - { id: TC-011, title: Integration, level: integration, verifies: [SI-002] }
  - { id: TC-012, title: System, level: system, verifies: [SRS-001], procedure: p, acceptanceCriteria: a }
  - { id: TC-013, title: Validation, level: validation, verifies: [UN-001] }
`;
    const byTest = (cls: SafetyClass) =>
      find(check(starter(cls, { 'records/tests/more.yaml': tests })), 'test/incomplete').map(
        (d) => `${d.recordId} ${d.clauses.join(',')}`,
      );
    expect(byTest('C')).toEqual([
      'TC-010 5.5.3',
      // Same position: ordered by message (acceptanceCriteria, expectedResults, procedure).
      'TC-011 5.6.4',
      'TC-011 5.6.7 b',
      'TC-011 5.6.5',
      'TC-012 5.7.1',
    ]);
    expect(byTest('A')).toEqual(['TC-012 5.7.1']);
  });

  it('user-need/unvalidated (ISO 13485 7.3.7): a warning, an error when the config raises it', () => {
    const other = starterFiles({ name: 'T', manufacturer: 'T', safetyClass: 'C' });
    const dir = starter('C', {
      'records/tests/validation-tests.yaml': other['records/tests/validation-tests.yaml']!.replace(
        'level: validation',
        'level: system',
      ),
    });
    expect(find(check(dir), 'user-need/unvalidated', 'UN-001')).toMatchObject([
      { severity: 'warning', clauses: ['ISO 13485 7.3.7'] },
    ]);
    addRules(dir, '  user-need/unvalidated: error\n');
    expect(find(check(dir), 'user-need/unvalidated', 'UN-001')).toMatchObject([{ severity: 'error' }]);
    // The starter's validation test satisfies it.
    expect(find(check(starter('C')), 'user-need/unvalidated')).toEqual([]);
  });

  it('problem/hazard-unlinked (9.2, 9.5): a safety-relevant problem names its hazardous situations', () => {
    const problem = (extra: string) =>
      `---\nid: PR-001\ntitle: Alarm late\nstate: open\nsafetyRelevant: true\naffects: [SI-002]\n${extra}---\nThe alarm came 3 s late.\n`;
    const unlinked = find(
      check(starter('A', { 'records/problems/PR-001.md': problem('') })),
      'problem/hazard-unlinked',
      'PR-001',
    );
    expect(unlinked).toMatchObject([{ severity: 'error', line: 5 }]); // at every class (clause 9)
    expect(
      find(
        check(starter('C', { 'records/problems/PR-001.md': problem('hazardousSituations: [HS-001]\n') })),
        'problem/hazard-unlinked',
      ),
    ).toEqual([]);
    // The link is typed: only hazardous situations.
    expect(
      find(
        check(starter('C', { 'records/problems/PR-001.md': problem('hazardousSituations: [RC-001]\n') })),
        'link/wrong-kind',
        'PR-001',
      ),
    ).toHaveLength(1);
  });
});

describe('dossier.yaml may raise any severity; lowering an obligation needs a reason that every report shows', () => {
  it('a lowering without a reason is a configuration error naming the rule, the line and the fix', () => {
    const dir = starter('C');
    addRules(dir, '  risk/cause-missing: warning\n');
    const loaded = loadProject(dir);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.findings[0]).toMatchObject({ code: 'config/invalid' });
    expect(loaded.findings[0]!.message).toContain('risk/cause-missing');
    expect(loaded.findings[0]!.message).toContain('without a reason');
    const r = runCli(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dossier\.yaml:\d+:\d+ error config\/invalid rules\.risk\/cause-missing/);
    expect(r.stderr).toContain('reason:');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace

    // Off is a lowering too; a blank reason is no reason.
    const off = starter('C');
    addRules(off, '  risk-control/unverified: { severity: off, reason: "  " }\n');
    expect(loadProject(off).ok).toBe(false);
  });

  it('raising needs no reason; a fixed rule may be lowered without one (and is still listed)', () => {
    const dir = starter('C');
    addRules(dir, '  user-need/unvalidated: error\n  requirement/risk-control-flag: info\n');
    const loaded = loadProject(dir);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(analyze(loaded.project).lowered).toEqual([
      { code: 'requirement/risk-control-flag', from: 'warning', to: 'info', findings: 0 },
    ]);
  });

  it('a lowering with a reason is shown in the text, JSON and SARIF reports', () => {
    const reason = 'Causes of SI-003 are analysed in the FMEA FM-12, linked from the risk file.';
    const dir = starter('C', {
      'records/architecture/SI-003.md': contributingItem('interfaces: Dose value in, display out.\n'),
    });
    addRules(dir, `  risk/cause-missing:\n    severity: warning\n    reason: "${reason}"\n`);

    const text = runCli(['check', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/warning risk\/cause-missing SI-003 contributes to HS-001/);
    expect(text.stdout).toContain(`  lowered from error in dossier.yaml: ${reason}`);
    expect(text.stdout).toContain(
      `lowered by dossier.yaml: risk/cause-missing lowered from error to warning (1 finding affected): ${reason}`,
    );

    const json = JSON.parse(runCli(['check', dir, '--format', 'json']).stdout);
    expect(json.lowered).toEqual([
      { code: 'risk/cause-missing', from: 'error', to: 'warning', reason, findings: 1 },
    ]);
    expect(json.diagnostics.find((d: Diagnostic) => d.code === 'risk/cause-missing')).toMatchObject({
      severity: 'warning',
      safetyClass: 'C',
      lowered: { from: 'error', reason },
    });

    const sarif = JSON.parse(runCli(['check', dir, '--format', 'sarif']).stdout);
    const ajv = new AjvDraft4.default({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    const schema = path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schema, 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'risk/cause-missing');
    expect(result.level).toBe('warning');
    expect(result.properties.lowered).toEqual({ from: 'error', reason });
    expect(result.message.text).toContain(`lowered from error in dossier.yaml: ${reason}`);
    expect(sarif.runs[0].invocations[0].ruleConfigurationOverrides).toEqual([
      expect.objectContaining({
        descriptor: expect.objectContaining({ id: 'risk/cause-missing' }),
        configuration: { level: 'warning' },
        properties: expect.objectContaining({ from: 'error', to: 'warning', reason }),
      }),
    ]);
  });

  it('the release gate lists what dossier.yaml lowered: its verdict relies on those reasons', () => {
    const reason = 'Causes of SI-003 are analysed in the FMEA FM-12, linked from the risk file.';
    const dir = starter('C', {
      'records/architecture/SI-003.md': contributingItem('interfaces: Dose in, display out.\n'),
      'records/releases/REL-001.md':
        '---\nid: REL-001\ntitle: Software 0.1.0\nversion: 0.1.0\ndate: 2026-10-01\n---\nFirst release.\n',
    });
    addRules(dir, `  risk/cause-missing: { severity: warning, reason: "${reason}" }\n`);
    const args = ['release', 'check', '0.1.0', '.', '--manifest', 'm.json'];
    const json = JSON.parse(runCli([...args, '--format', 'json'], dir).stdout);
    expect(json.lowered).toEqual([
      { code: 'risk/cause-missing', from: 'error', to: 'warning', reason, findings: 1 },
    ]);
    expect(runCli(args, dir).stdout).toContain(
      `Lowered by dossier.yaml (the verdict relies on these reasons):\n  - risk/cause-missing lowered from error to warning (1 finding affected): ${reason}`,
    );
  });

  it('a rule turned off with a reason still appears in the report, with how many findings it hides', () => {
    const reason = 'Causes are recorded in the FMEA; see RMF section 4.';
    const dir = starter('C', {
      'records/architecture/SI-003.md': contributingItem('interfaces: Dose in, display out.\n'),
    });
    addRules(dir, `  risk/cause-missing: { severity: off, reason: "${reason}" }\n`);
    const text = runCli(['check', dir]);
    expect(text.stdout).not.toMatch(/ risk\/cause-missing SI-003/);
    expect(text.stdout).toContain(
      `lowered by dossier.yaml: risk/cause-missing lowered from error to off (1 finding not shown): ${reason}`,
    );
    const sarif = JSON.parse(runCli(['check', dir, '--format', 'sarif']).stdout);
    expect(sarif.runs[0].invocations[0].ruleConfigurationOverrides[0].configuration).toEqual({
      enabled: false,
    });
  });
});
