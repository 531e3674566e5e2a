import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, codes, copyDir, EXAMPLE, runCli, starterProject } from './helpers.js';

const item = (id: string, extra: string) =>
  `---\nid: ${id}\ntitle: Item ${id}\nitemType: item\npartOf: SI-001\n${extra}---\nDoes things.\n`;

describe('risk and classification rules', () => {
  it('class/declared-too-low: an item declared B under a C parent without rationale names 4.3 and the situations', () => {
    const dir = starterProject({ 'records/architecture/SI-003.md': item('SI-003', 'safetyClass: B\n') });
    const d = check(dir).find((x) => x.code === 'class/declared-too-low');
    expect(d).toMatchObject({
      severity: 'error',
      recordId: 'SI-003',
      file: 'records/architecture/SI-003.md',
      line: 6,
    });
    expect(d!.message).toContain('IEC 62304 4.3');
    expect(d!.message).toContain('HS-001');
    expect(d!.clauses).toContain('4.3 d');
  });

  it('a segregation rationale accepts the lower class; without a mechanism under C it is an error (5.3.5)', () => {
    const segregated = starterProject({
      'records/architecture/SI-003.md': item(
        'SI-003',
        'safetyClass: A\nnoContribution: It only formats text that no function reads.\nsegregation:\n  rationale: Runs on the display processor and only formats text.\n',
      ),
    });
    const diagnostics = check(segregated);
    expect(codes(diagnostics)).not.toContain('class/declared-too-low');
    expect(diagnostics.find((d) => d.code === 'class/segregation-incomplete')).toMatchObject({
      severity: 'error',
      line: 8,
    });
  });

  it('class/higher-than-needed is information only', () => {
    const dir = starterProject({
      'records/architecture/SI-003.md': item(
        'SI-003',
        'safetyClass: C\nnoContribution: It only formats text that no function reads.\nsegregation:\n  rationale: Separate process.\n  mechanism: OS process isolation.\n',
      ),
    });
    expect(check(dir).find((d) => d.code === 'class/higher-than-needed')).toMatchObject({ severity: 'info' });
  });

  it('risk/incomplete-estimate: missing severity, and a level the scale does not define', () => {
    const dir = starterProject({
      'records/risk/more.yaml':
        'kind: hazardous-situation\nrecords:\n  - { id: HS-002, title: No severity, arisesFrom: [HAZ-001], probability: remote }\n  - { id: HS-003, title: Typo, arisesFrom: [HAZ-001], severity: critcal, probability: remote }\n',
    });
    const found = check(dir).filter((d) => d.code === 'risk/incomplete-estimate');
    expect(found.map((d) => d.recordId)).toEqual(['HS-002', 'HS-003']);
    expect(found[1]!.message).toContain('did you mean "critical"');
    expect(found[1]!.line).toBe(4);
  });

  it('risk/uncontrolled: unacceptable initial risk without a control', () => {
    const dir = starterProject({
      'records/risk/more.yaml':
        'kind: hazardous-situation\nrecords:\n  - { id: HS-002, title: T, arisesFrom: [HAZ-001], severity: critical, p1: probable, p2: frequent }\n',
    });
    expect(check(dir).find((d) => d.code === 'risk/uncontrolled')?.recordId).toBe('HS-002');
  });

  it('risk/residual-unevaluated and risk/residual-unacceptable', () => {
    const dir = starterProject({
      'records/risk/hazardous-situations.yaml':
        'kind: hazardous-situation\nrecords:\n  - { id: HS-001, title: T, arisesFrom: [HAZ-001], severity: serious, p1: occasional, p2: probable }\n  - { id: HS-002, title: U, arisesFrom: [HAZ-001], severity: critical, probability: remote, residualProbability: probable }\n',
      'records/risk/controls/RC-002.md':
        '---\nid: RC-002\ntitle: Label\noption: information-for-safety\nimplementedIn: labeling\nmitigates: [HS-002]\n---\nWarning label.\n',
    });
    const diagnostics = check(dir);
    expect(diagnostics.find((d) => d.code === 'risk/residual-unevaluated')?.recordId).toBe('HS-001');
    expect(diagnostics.find((d) => d.code === 'risk/residual-unacceptable')?.recordId).toBe('HS-002');
  });

  it('risk/external-credit: crediting external controls that do not exist', () => {
    const dir = starterProject({
      'records/risk/hazardous-situations.yaml':
        'kind: hazardous-situation\nrecords:\n  - id: HS-001\n    title: T\n    arisesFrom: [HAZ-001]\n    severity: serious\n    p1: occasional\n    p2: probable\n    residualProbability: remote\n    withExternalControls: { probability: improbable }\n',
    });
    expect(check(dir).find((d) => d.code === 'risk/external-credit')).toMatchObject({
      severity: 'error',
      line: 10,
    });
  });

  it('risk/cause-missing and risk/cause-reference', () => {
    const dir = starterProject({
      'records/architecture/SI-003.md': item(
        'SI-003',
        'contributesTo: [HS-001]\ncauses:\n  - situation: HS-009\n    category: soup\n    description: x\n    controls: [RC-001, TC-001]\n',
      ),
    });
    const diagnostics = check(dir);
    expect(diagnostics.find((d) => d.code === 'risk/cause-missing')).toMatchObject({
      recordId: 'SI-003',
      line: 6,
    });
    const refs = diagnostics.filter((d) => d.code === 'risk/cause-reference').map((d) => d.message);
    expect(refs.some((m) => m.includes('HS-009 is not a record'))).toBe(true);
    expect(refs.some((m) => m.includes('does not name the SOUP item'))).toBe(true);
    expect(refs.some((m) => m.includes('TC-001 is not a risk control'))).toBe(true);
  });

  it('risk-control/effectiveness-unverified', () => {
    const dir = starterProject({
      'records/tests/system-tests.yaml':
        'records:\n  - { id: TC-001, title: T, level: system, verifies: [SRS-001, SYS-001] }\n  - { id: TC-002, title: T, level: system, verifies: [SRS-002, RC-001] }\n',
    });
    expect(check(dir).find((d) => d.code === 'risk-control/effectiveness-unverified')?.recordId).toBe(
      'RC-001',
    );
  });

  it('class/system-record: the configured system must exist and agree', () => {
    const dir = starterProject();
    const file = path.join(dir, 'dossier.yaml');
    const text = fs.readFileSync(file, 'utf8').replace('system: SI-001', 'system: SI-404');
    fs.writeFileSync(file, text);
    expect(check(dir).find((d) => d.code === 'class/system-record')).toMatchObject({
      file: 'dossier.yaml',
      line: text.split('\n').findIndex((l) => l.includes('system: SI-404')) + 1,
    });
  });
});

describe('dossier classify and dossier risk', () => {
  it('classify --format json follows the contract on the example', () => {
    const r = runCli(['classify', EXAMPLE, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.system).toMatchObject({
      id: 'SI-001',
      declaredClass: 'C',
      computedClass: 'C',
      basis: 'computed',
    });
    const segregated = json.items.find((i: { segregated: boolean }) => i.segregated);
    expect(segregated).toMatchObject({
      id: 'SI-010',
      computedClass: 'B',
      declaredClass: 'B',
      basis: 'computed',
    });
    expect(segregated.rationale).toContain('segregated');
    expect(json.documentationLevel.level).toBe('Enhanced');
    for (const entry of [json.system, ...json.items]) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining([
          'id',
          'declaredClass',
          'computedClass',
          'basis',
          'bases',
          'segregated',
          'analysis',
          'path',
          'rationale',
        ]),
      );
      expect(['computed', 'risk-control', 'inherited', 'default']).toContain(entry.basis);
      expect(entry.bases[0]).toBe(entry.basis);
    }
  });

  it('lowering a declared class in the example fails check, citing 4.3 and the forcing situations', () => {
    const dir = copyDir(EXAMPLE);
    const file = path.join(dir, 'records/architecture/SI-014.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('safetyClass: C', 'safetyClass: B'));
    const r = runCli(['check', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /SI-014\.md:\d+:\d+ error class\/declared-too-low SI-014 is declared class B but must be class C \(IEC 62304 4\.3\).*HS-0\d\d/,
    );
  });

  it('risk prints every format and draws both matrices as SVG', () => {
    expect(runCli(['risk', EXAMPLE]).stdout).toContain('Risk matrix before risk control');
    expect(runCli(['risk', EXAMPLE, '--format', 'markdown']).stdout).toContain(
      '| Hazardous situation | Harm |',
    );
    expect(runCli(['risk', EXAMPLE, '--format', 'csv']).stdout.split('\r\n')[0]).toContain('Initial risk');
    const json = JSON.parse(runCli(['risk', EXAMPLE, '--format', 'json']).stdout);
    expect(json.situations.length).toBeGreaterThanOrEqual(15);
    const svg = runCli(['risk', EXAMPLE, '--format', 'svg', '--matrix', 'residual']).stdout;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('after risk control');
    const placed = [...svg.matchAll(/font-weight="bold" text-anchor="middle">(\d+)</g)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    expect(placed).toBe(json.situations.length);
  });

  it('SVG text is escaped', async () => {
    const { matrixSvg, riskMatrix } = await import('../src/safety/risk-report.js');
    const { riskPolicy } = await import('../src/safety/risk-policy.js');
    const policy = riskPolicy({
      severity: [
        { key: 'low', label: '<b>Low</b>', serious: false },
        { key: 'high', label: 'High & "bad"', serious: true },
      ],
      probability: [
        { key: 'rare', label: 'Rare', max: 0.01 },
        { key: 'often', label: 'Often', max: 1 },
      ],
      acceptability: { low: ['acceptable', 'acceptable'], high: ['acceptable', 'unacceptable'] },
    });
    const svg = matrixSvg(riskMatrix(policy, [], 'initial'), policy, 'Pump <script>alert(1)</script>');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;b&gt;Low&lt;/b&gt;');
    expect(svg).toContain('High &amp; &quot;bad&quot;');
  });
});

describe('software risk trace (7.3.3)', () => {
  it('links hazardous situation → item → cause → control → verification', async () => {
    const { analyze } = await import('../src/analyze.js');
    const { loadProject } = await import('../src/load/project.js');
    const loaded = loadProject(starterProject());
    if (!loaded.ok) throw new Error('load');
    const { safety } = analyze(loaded.project);
    expect(safety.softwareRiskTrace).toEqual([
      {
        situation: 'HS-001',
        item: 'SI-002',
        category: 'Software defect in the functionality of the item',
        clause: '7.1.2 b',
        cause: 'A defect in fault detection lets delivery continue after a fault.',
        controls: ['RC-001'],
        verifiedBy: ['TC-002'],
      },
    ]);
  });
});

describe('SOUP content by class', () => {
  const soup =
    'kind: soup\nrecords:\n  - { id: SOUP-001, title: RTOS, manufacturer: Vendor, version: "10.2" }\n';
  const usedBy = (cls: string) =>
    item(
      'SI-003',
      `safetyClass: ${cls}\nnoContribution: It only formats text that no function reads.\nsegregation:\n  rationale: Own MPU task.\n  mechanism: MPU region.\nuses: [SOUP-001]\n`,
    );

  it('class C use requires 5.3.3, 5.3.4 and 7.1.3 content (errors) and FDA support fields (warnings)', () => {
    const dir = starterProject({
      'records/soup.yaml': soup,
      'records/architecture/SI-003.md': item('SI-003', 'uses: [SOUP-001]\n'),
    });
    const found = check(dir).filter((d) => d.code === 'soup/missing-content');
    const byField = new Map(found.map((d) => [d.message.match(/`(\w+)`/)![1]!, d]));
    expect(Object.fromEntries([...byField].map(([k, d]) => [k, d.severity]))).toEqual({
      requirements: 'error',
      systemRequirements: 'error',
      anomalyReview: 'error',
      supportLevel: 'warning',
      endOfSupport: 'warning',
    });
    expect(byField.get('requirements')!.message).toContain('class C, used by SI-003');
    expect(byField.get('requirements')!.message).toContain('IEC 62304 5.3.3');
  });

  it('class A use requires only the FDA support fields', () => {
    const dir = starterProject({ 'records/soup.yaml': soup, 'records/architecture/SI-003.md': usedBy('A') });
    const found = check(dir).filter((d) => d.code === 'soup/missing-content');
    expect(found.map((d) => d.severity)).toEqual(['warning', 'warning']);
  });

  it('SOUP used by no item is reported and treated as class C', () => {
    const dir = starterProject({ 'records/soup.yaml': soup });
    const diagnostics = check(dir);
    expect(diagnostics.find((d) => d.code === 'soup/unused')?.recordId).toBe('SOUP-001');
    expect(
      diagnostics.filter((d) => d.code === 'soup/missing-content' && d.severity === 'error'),
    ).toHaveLength(3);
  });
});
