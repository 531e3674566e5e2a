/**
 * Issue 9 section 3: the software safety class never comes out lower because something is missing
 * (IEC 62304 4.3 a, d, g; 7.2.2 b; AMD1 decision flow).
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { TraceGraph } from '../src/graph/graph.js';
import { configSchema, type DossierConfig } from '../src/model/config.js';
import type { DossierRecord } from '../src/model/record.js';
import { creditedExternalControls } from '../src/safety/external-credit.js';
import { analyzeSafety } from '../src/safety/safety-analysis.js';
import {
  CONFIG,
  check,
  codes,
  copyDir,
  EXAMPLE,
  makeRecord as rec,
  runCli,
  starterProject,
} from './helpers.js';

const baseConfig = configSchema.parse(yaml.load(CONFIG)) as DossierConfig;

const system = (fields: Record<string, unknown> = {}) =>
  rec('SI-001', 'software-item', { itemType: 'system', ...fields });
const item = (id: string, fields: Record<string, unknown> = {}, links: Record<string, string[]> = {}) =>
  rec(id, 'software-item', { itemType: 'item', ...fields }, { partOf: ['SI-001'], ...links });
const situation = (id: string, fields: Record<string, unknown>) => rec(id, 'hazardous-situation', fields);
const control = (id: string, implementedIn: string, mitigates: string[], option = 'protective-measure') =>
  rec(id, 'risk-control', { option, implementedIn }, { mitigates });
const test = (id: string, links: Record<string, string[]>) => rec(id, 'test', { level: 'system' }, links);
const NONE = { noContribution: 'It only formats text for the display; no function reads its output.' };

function classes(records: DossierRecord[], cfg: DossierConfig = baseConfig) {
  const safety = analyzeSafety(new TraceGraph(records), cfg);
  const byId = new Map([...(safety.system ? [safety.system] : []), ...safety.items].map((c) => [c.id, c]));
  return { safety, of: (id: string) => byId.get(id)! };
}

/** A starter-project item file (Markdown with front matter) under SI-001. */
const itemFile = (id: string, extra: string, partOf = 'SI-001') =>
  `---\nid: ${id}\ntitle: Item ${id}\nitemType: item\npartOf: ${partOf}\n${extra}---\nDoes things.\n`;

const errorsOf = (dir: string) => check(dir).filter((d) => d.severity === 'error');

describe('every software item records the outcome of its hazard analysis', () => {
  it('removing every contribution link from the class C starter project does not yield class A with a clean check', () => {
    const dir = starterProject();
    const si002 = path.join(dir, 'records/architecture/SI-002.md');
    fs.writeFileSync(
      si002,
      fs
        .readFileSync(si002, 'utf8')
        .replace(/contributesTo:.*\n/, '')
        .replace(/causes:[\s\S]*?(?=---)/, ''),
    );
    const srs002 = path.join(dir, 'records/software/SRS-002.md');
    fs.writeFileSync(srs002, fs.readFileSync(srs002, 'utf8').replace('implements: [RC-001]\n', ''));

    const json = JSON.parse(runCli(['classify', '.', '--format', 'json'], dir).stdout);
    expect(json.system.computedClass).toBe('C');
    const errors = errorsOf(dir);
    expect(errors.length).toBeGreaterThan(0);
    const notAnalysed = errors.find((d) => d.code === 'class/item-not-analysed');
    expect(notAnalysed).toMatchObject({ recordId: 'SI-002', file: 'records/architecture/SI-002.md' });
    expect(notAnalysed!.hint).toContain('noContribution');
    expect(notAnalysed!.clauses).toEqual(expect.arrayContaining(['4.3 a', '4.3 g']));
    expect(runCli(['check', '.'], dir).code).toBe(1);
  });

  it('an item with neither contributions nor noContribution is class C (4.3 g), and says what to record', () => {
    const { of } = classes([
      system(),
      item('SI-002'),
      situation('HS-001', { severity: 'minor', p2: 'remote' }),
    ]);
    expect(of('SI-002')).toMatchObject({ computedClass: 'C', analysis: 'not-analysed' });
    expect(of('SI-002').bases).toContain('default');
    expect(of('SI-002').rationale).toMatch(/neither .*contributesTo.*noContribution/);
    expect(of('SI-001')).toMatchObject({ computedClass: 'C', basis: 'default' });
  });

  it('an explicit noContribution with a rationale answers Q1 "no": class A', () => {
    const { of } = classes([
      system(),
      item('SI-002', NONE),
      situation('HS-001', { severity: 'minor', p2: 'remote' }),
    ]);
    expect(of('SI-002')).toMatchObject({
      computedClass: 'A',
      analysis: 'no-contribution',
      basis: 'computed',
    });
    expect(of('SI-001')).toMatchObject({ computedClass: 'A', analysis: 'composite', basis: 'computed' });
    expect(of('SI-002').path[0]!.answer).toContain(NONE.noContribution);
  });

  it('a composite item whose parts are all analysed is analysed; one unanalysed part makes every ancestor C', () => {
    const records = [
      system(),
      item('SI-002', {}, {}),
      rec('SI-003', 'software-item', { itemType: 'unit', ...NONE }, { partOf: ['SI-002'] }),
      rec('SI-004', 'software-item', { itemType: 'unit' }, { partOf: ['SI-002'], contributesTo: ['HS-001'] }),
      situation('HS-001', { severity: 'minor', p2: 'frequent' }),
    ];
    expect(classes(records).of('SI-002')).toMatchObject({ computedClass: 'B', analysis: 'composite' });
    const unanalysed = records.map((r) =>
      r.id === 'SI-003' ? rec('SI-003', 'software-item', { itemType: 'unit' }, { partOf: ['SI-002'] }) : r,
    );
    const { of } = classes(unanalysed);
    expect(of('SI-001')).toMatchObject({ computedClass: 'C', bases: ['default'], notAnalysed: ['SI-003'] });
    expect(of('SI-002')).toMatchObject({ computedClass: 'C', bases: ['inherited', 'default'] });
    expect(of('SI-001').rationale).toContain('SI-003');
  });

  it('check reports only the item that lacks an analysis, not its ancestors', () => {
    const dir = starterProject({
      'records/architecture/SI-003.md': itemFile('SI-003', ''),
      'records/architecture/SI-004.md': itemFile('SI-004', '', 'SI-003').replace(
        'itemType: item',
        'itemType: unit',
      ),
    });
    const found = check(dir).filter((d) => d.code === 'class/item-not-analysed');
    expect(found.map((d) => d.recordId)).toEqual(['SI-004']);
  });

  it('noContribution next to recorded contributions is an error, and the contributions count', () => {
    const dir = starterProject({
      'records/architecture/SI-003.md': itemFile(
        'SI-003',
        'noContribution: Only formats text.\ncontributesTo: [HS-001]\ncauses:\n  - { situation: HS-001, category: defect, description: Wrong text }\n',
      ),
    });
    const d = check(dir).find((x) => x.code === 'class/analysis-conflict');
    expect(d).toMatchObject({ severity: 'error', recordId: 'SI-003', line: 6 });
    const json = JSON.parse(runCli(['classify', '.', '--format', 'json'], dir).stdout);
    expect(json.items.find((i: { id: string }) => i.id === 'SI-003').analysis).toBe('contributes');
  });

  it('noContribution is a documented field of the schema', () => {
    const dir = starterProject({
      'records/architecture/SI-003.md': itemFile('SI-003', `noContribution: ${NONE.noContribution}\n`),
    });
    expect(codes(check(dir)).filter((c) => c.startsWith('schema/'))).toEqual([]);
    const empty = starterProject({
      'records/architecture/SI-003.md': itemFile('SI-003', 'noContribution: ""\n'),
    });
    expect(codes(check(empty))).toContain('schema/invalid-value');
  });
});

describe('items outside the system tree', () => {
  const orphan = rec('SI-009', 'software-item', { itemType: 'item' }, { contributesTo: ['HS-001'] });

  it('still count toward the system class (4.3 a)', () => {
    const { of } = classes([
      system(),
      item('SI-002', NONE),
      orphan,
      situation('HS-001', { severity: 'critical', p2: 'probable' }),
    ]);
    expect(of('SI-001').computedClass).toBe('C');
    expect(of('SI-001').forcing).toEqual(['HS-001']);
    expect(of('SI-009')).toMatchObject({
      computedClass: 'C',
      bases: ['computed', 'default'],
      outsideTree: true,
    });
  });

  it('are an error in check, naming the missing partOf', () => {
    const dir = starterProject({
      'records/architecture/SI-009.md':
        '---\nid: SI-009\ntitle: Loose item\nitemType: item\ncontributesTo: [HS-001]\ncauses:\n  - { situation: HS-001, category: defect, description: Wrong value }\n---\nText.\n',
    });
    const d = check(dir).find((x) => x.code === 'class/item-outside-tree');
    expect(d).toMatchObject({
      severity: 'error',
      recordId: 'SI-009',
      file: 'records/architecture/SI-009.md',
    });
    expect(d!.message).toContain('partOf');
    expect(d!.clauses).toContain('4.3 a');
  });
});

describe('declared classes', () => {
  it('a declared class lower than a default (4.3 g) class is a check error, as classify says TOO LOW', () => {
    const dir = starterProject({
      'records/architecture/SI-009.md':
        '---\nid: SI-009\ntitle: Loose item\nitemType: item\nsafetyClass: A\nnoContribution: Reads nothing.\n---\nText.\n',
    });
    expect(runCli(['classify', '.'], dir).stdout).toMatch(/SI-009 .*TOO LOW/);
    const d = check(dir).find((x) => x.code === 'class/declared-too-low');
    expect(d).toMatchObject({ severity: 'error', recordId: 'SI-009', line: 5 });
  });

  it('the system class declared only in dossier.yaml is checked there', () => {
    const dir = starterProject({
      'records/architecture/SI-001.md':
        '---\nid: SI-001\ntitle: Device software system\nitemType: system\n---\nThe system.\n',
      'records/architecture/SI-003.md': itemFile('SI-003', ''),
    });
    const config = path.join(dir, 'dossier.yaml');
    const text = fs.readFileSync(config, 'utf8').replace('safetyClass: C', 'safetyClass: B');
    fs.writeFileSync(config, text);
    const d = check(dir).find((x) => x.code === 'class/declared-too-low' && x.recordId === 'SI-001');
    const line = text.split('\n').findIndex((l) => l.includes('safetyClass: B')) + 1;
    expect(d).toMatchObject({ severity: 'error', file: 'dossier.yaml', line });
  });

  it('a child declared lower than its parent’s declared class needs a segregation rationale (4.3 d)', () => {
    // SI-002 contributes only to a minor risk (computed B) but is declared C; SI-003 below it is declared B
    // and computes B too, so only the declared classes show the missing segregation.
    const starter = {
      'records/risk/hazardous-situations.yaml':
        'kind: hazardous-situation\nrecords:\n  - { id: HS-001, title: T, arisesFrom: [HAZ-001], severity: minor, p1: occasional, p2: frequent, residualProbability: remote }\n',
      'records/software/SRS-002.md':
        '---\nid: SRS-002\ntitle: Stop therapy\ncategory: alarms\nderivesFrom: [SYS-001]\n---\nThe software shall stop.\n',
      'records/risk/controls/RC-001.md':
        '---\nid: RC-001\ntitle: Clamp\noption: protective-measure\nimplementedIn: hardware\nmitigates: [HS-001]\n---\nA clamp.\n',
      'records/architecture/SI-003.md': `${itemFile('SI-003', `safetyClass: B\nnoContribution: ${NONE.noContribution}\n`, 'SI-002')}`,
    };
    const dir = starterProject(starter);
    const si002 = path.join(dir, 'records/architecture/SI-002.md');
    fs.writeFileSync(
      si002,
      fs.readFileSync(si002, 'utf8').replace('partOf: SI-001', 'safetyClass: C\npartOf: SI-001'),
    );
    const config = path.join(dir, 'dossier.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('safetyClass: C', 'safetyClass: B'));
    const si001 = path.join(dir, 'records/architecture/SI-001.md');
    fs.writeFileSync(si001, fs.readFileSync(si001, 'utf8').replace('safetyClass: C', 'safetyClass: B'));
    const d = check(dir).find((x) => x.code === 'class/segregation-missing');
    expect(d).toMatchObject({ severity: 'error', recordId: 'SI-003', line: 6 });
    expect(d!.message).toContain('SI-002');
    expect(codes(check(dir))).not.toContain('class/declared-too-low');

    const segregated = starterProject({
      ...starter,
      'records/architecture/SI-003.md': itemFile(
        'SI-003',
        `safetyClass: B\nnoContribution: ${NONE.noContribution}\nsegregation:\n  rationale: Separate process.\n  mechanism: OS process isolation.\n`,
        'SI-002',
      ),
    });
    const s2 = path.join(segregated, 'records/architecture/SI-002.md');
    fs.writeFileSync(
      s2,
      fs.readFileSync(s2, 'utf8').replace('partOf: SI-001', 'safetyClass: C\npartOf: SI-001'),
    );
    expect(codes(check(segregated))).not.toContain('class/segregation-missing');
  });
});

describe('credit for risk control external to the software', () => {
  const serious = (extra: Record<string, unknown> = {}) =>
    situation('HS-001', {
      severity: 'serious',
      p2: 'probable',
      withExternalControls: { probability: 'remote', rationale: 'The clamp stops free flow.', ...extra },
    });

  it('names the controls it relies on: without `credits` nothing is credited', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      serious(),
      control('RC-001', 'hardware', ['HS-001']),
    ]);
    expect(of('SI-001').computedClass).toBe('C');
  });

  it('credits a named, verified hardware control', () => {
    const records = [
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      serious({ credits: ['RC-001'] }),
      control('RC-001', 'hardware', ['HS-001']),
      test('TC-001', { verifies: ['RC-001'], verifiesEffectiveness: ['RC-001'] }),
    ];
    const { safety, of } = classes(records);
    expect(of('SI-001').computedClass).toBe('A');
    expect(of('SI-001').rationale).toMatch(
      /no unacceptable risk remains after risk control measures external/,
    );
    expect(of('SI-001').rationale).not.toContain('no injury or damage to health is possible');
    expect(creditedExternalControls(safety)).toEqual([
      expect.objectContaining({
        controlId: 'RC-001',
        situations: ['HS-001'],
        applied: true,
        implementationTests: ['TC-001'],
        effectivenessTests: ['TC-001'],
        status: 'verified',
        problems: [],
      }),
    ]);
    const unverified = creditedExternalControls(classes(records.slice(0, 4)).safety);
    expect(unverified[0]).toMatchObject({ status: 'unverified', applied: true });
  });

  it('each credited control must be outside the software, mitigate the situation and the credit needs a rationale', () => {
    const dir = starterProject({
      'records/risk/hazardous-situations.yaml':
        'kind: hazardous-situation\nrecords:\n  - id: HS-001\n    title: T\n    arisesFrom: [HAZ-001]\n    severity: serious\n    p1: occasional\n    p2: probable\n    residualProbability: remote\n    withExternalControls:\n      probability: remote\n      credits: [RC-001, RC-002, RC-404]\n',
      'records/risk/controls/RC-002.md':
        '---\nid: RC-002\ntitle: Clamp\noption: protective-measure\nimplementedIn: hardware\nmitigates: [HS-001]\n---\nA clamp.\n',
    });
    const found = check(dir).filter((d) => d.code === 'risk/external-credit');
    const messages = found.map((d) => d.message).join('\n');
    expect(found.every((d) => d.severity === 'error')).toBe(true);
    expect(messages).toMatch(/RC-001 is implemented in the software/);
    expect(messages).toMatch(/RC-404 is not a risk control/);
    expect(messages).toMatch(/no rationale/);
    const unverified = check(dir).find((d) => d.code === 'risk/external-credit-unverified');
    expect(unverified).toMatchObject({ severity: 'error', recordId: 'RC-002' });
    const json = JSON.parse(runCli(['classify', '.', '--format', 'json'], dir).stdout);
    expect(json.system.computedClass).toBe('C');
  });

  it('says that no control mitigates the situation instead of "every control is implemented in the software"', () => {
    const dir = starterProject({
      'records/risk/hazardous-situations.yaml':
        'kind: hazardous-situation\nrecords:\n  - { id: HS-001, title: T, arisesFrom: [HAZ-001], severity: serious, p1: occasional, p2: probable, residualProbability: remote }\n  - id: HS-002\n    title: U\n    arisesFrom: [HAZ-001]\n    severity: minor\n    probability: remote\n    residualProbability: remote\n    withExternalControls: { probability: improbable, rationale: Someone watches. }\n',
    });
    const d = check(dir).find((x) => x.code === 'risk/external-credit' && x.recordId === 'HS-002');
    expect(d!.message).not.toContain('every control');
    expect(d!.message).toContain('no risk control mitigates HS-002');
  });

  it('information for safety does not lower the class unless dossier.yaml allows it, and then the rationale says so', () => {
    const records = [
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      serious({ credits: ['RC-001'] }),
      control('RC-001', 'labeling', ['HS-001'], 'information-for-safety'),
      test('TC-001', { verifies: ['RC-001'], verifiesEffectiveness: ['RC-001'] }),
    ];
    expect(classes(records).of('SI-001').computedClass).toBe('C');
    const allowed = {
      ...baseConfig,
      classification: {
        creditInformationForSafety: { rationale: 'RMP-7 §4: validated warnings may be credited.' },
      },
    } as DossierConfig;
    const { of } = classes(records, allowed);
    expect(of('SI-001').computedClass).toBe('A');
    expect(of('SI-001').rationale).toMatch(/information for safety \(RC-001\) is credited/i);
    expect(of('SI-001').rationale).toContain('RMP-7 §4: validated warnings may be credited.');
  });

  it('check warns that a credited labeling control is ignored without the configuration', () => {
    const dir = starterProject({
      'records/risk/hazardous-situations.yaml':
        'kind: hazardous-situation\nrecords:\n  - id: HS-001\n    title: T\n    arisesFrom: [HAZ-001]\n    severity: serious\n    p1: occasional\n    p2: probable\n    residualProbability: remote\n    withExternalControls:\n      probability: remote\n      credits: [RC-002]\n      rationale: Users clamp the line.\n',
      'records/risk/controls/RC-002.md':
        '---\nid: RC-002\ntitle: Label\noption: information-for-safety\nimplementedIn: labeling\nmitigates: [HS-001]\n---\nClamp before removing.\n',
    });
    const d = check(dir).find((x) => x.code === 'risk/credit-information-for-safety');
    expect(d).toMatchObject({ severity: 'warning', recordId: 'HS-001' });
    expect(d!.message).toContain('classification.creditInformationForSafety');
  });
});

describe('bases of a class and their precedence', () => {
  const c = (id: string) => situation(id, { severity: 'catastrophic', p2: 'probable' });

  it('reports every basis that forces the class, the item’s own contribution first', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'], implements: ['SRS-001'] }),
      rec(
        'SRS-001',
        'software-requirement',
        { category: 'alarms', riskControl: true },
        { implements: ['RC-001'] },
      ),
      control('RC-001', 'software', ['HS-001']),
      c('HS-001'),
    ]);
    expect(of('SI-002')).toMatchObject({
      computedClass: 'C',
      basis: 'computed',
      bases: ['computed', 'risk-control', 'inherited'],
    });
    expect(of('SI-002').rationale).toMatch(/7\.2\.2 b/);
    expect(of('SI-002').rationale).toMatch(/inherit/);
  });

  it('7.2.2 b comes before inheritance, and inheritance before default', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      item('SI-003', NONE, { implements: ['SRS-001'] }),
      item('SI-004'),
      rec(
        'SRS-001',
        'software-requirement',
        { category: 'alarms', riskControl: true },
        { implements: ['RC-001'] },
      ),
      control('RC-001', 'software', ['HS-001']),
      c('HS-001'),
    ]);
    expect(of('SI-003')).toMatchObject({ basis: 'risk-control', bases: ['risk-control', 'inherited'] });
    expect(of('SI-004')).toMatchObject({ basis: 'inherited', bases: ['inherited', 'default'] });
  });

  it('a segregated item keeps its own bases and says it is segregated', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      item('SI-003', { segregation: { rationale: 'MPU', mechanism: 'MPU' } }, { contributesTo: ['HS-002'] }),
      c('HS-001'),
      situation('HS-002', { severity: 'minor', p2: 'frequent' }),
    ]);
    expect(of('SI-003')).toMatchObject({ computedClass: 'B', basis: 'computed', segregated: true });
  });
});

describe('messages name the right cause', () => {
  it('risk/incomplete-estimate does not claim the worst case when P2 is used for classification', () => {
    const dir = starterProject({
      'records/risk/more.yaml':
        'kind: hazardous-situation\nrecords:\n  - { id: HS-002, title: No P1, arisesFrom: [HAZ-001], severity: minor, p2: remote }\n  - { id: HS-003, title: No severity, arisesFrom: [HAZ-001], probability: remote }\n',
    });
    const found = check(dir).filter((d) => d.code === 'risk/incomplete-estimate');
    const p2 = found.find((d) => d.recordId === 'HS-002')!.message;
    expect(p2).not.toContain('worst case');
    expect(p2).toContain('P2');
    expect(found.find((d) => d.recordId === 'HS-003')!.message).toContain('class C');
  });
});

describe('the bundled example', () => {
  it('records why SI-029 cannot contribute, and names the external controls its classification credits', () => {
    const json = JSON.parse(runCli(['classify', EXAMPLE, '--format', 'json']).stdout);
    const byId = new Map([json.system, ...json.items].map((e: { id: string }) => [e.id, e]));
    expect(byId.get('SI-029')).toMatchObject({ analysis: 'no-contribution' });
    expect(byId.get('SI-001')).toMatchObject({ analysis: 'composite', basis: 'computed' });
    expect(byId.get('SI-002')).toMatchObject({
      basis: 'computed',
      bases: ['computed', 'risk-control', 'inherited'],
    });
    expect(byId.get('SI-010')).toMatchObject({ computedClass: 'B', segregated: true });
  });

  it('lowering the credit of HS-015 to a software control fails check', () => {
    const dir = copyDir(EXAMPLE);
    const file = path.join(dir, 'records/risk/hazardous-situations.yaml');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('credits: [RC-019, RC-025]');
    fs.writeFileSync(file, text.replace('credits: [RC-019, RC-025]', 'credits: [RC-019, RC-001]'));
    const r = runCli(['check', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error risk\/external-credit .*RC-001/);
  });
});
