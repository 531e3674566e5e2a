import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { TraceGraph } from '../src/graph/graph.js';
import { configSchema, type DossierConfig } from '../src/model/config.js';
import type { DossierRecord } from '../src/model/record.js';
import { classRank, IEC_62304_ED1_1 } from '../src/safety/class-scheme.js';
import { documentationLevel, levelOfConcern } from '../src/safety/documentation-level.js';
import { evaluateRisks } from '../src/safety/risk-evaluation.js';
import { riskPolicy } from '../src/safety/risk-policy.js';
import { analyzeSafety } from '../src/safety/safety-analysis.js';
import { CONFIG, makeRecord } from './helpers.js';

const baseConfig = configSchema.parse(yaml.load(CONFIG)) as DossierConfig;
const config = (overrides: Partial<DossierConfig> = {}): DossierConfig => ({ ...baseConfig, ...overrides });

const rec = makeRecord;

/** The software system SI-001 (declared C in the base config). */
const system = (links: Record<string, string[]> = {}) =>
  rec('SI-001', 'software-item', { itemType: 'system' }, links);
const item = (id: string, fields: Record<string, unknown> = {}, links: Record<string, string[]> = {}) =>
  rec(id, 'software-item', { itemType: 'item', ...fields }, { partOf: ['SI-001'], ...links });
const situation = (id: string, fields: Record<string, unknown>) => rec(id, 'hazardous-situation', fields);
const control = (id: string, implementedIn: string, mitigates: string[]) =>
  rec(id, 'risk-control', { option: 'protective-measure', implementedIn }, { mitigates });

function classes(records: DossierRecord[], cfg = config()) {
  const safety = analyzeSafety(new TraceGraph(records), cfg);
  const byId = new Map([...(safety.system ? [safety.system] : []), ...safety.items].map((c) => [c.id, c]));
  return { safety, of: (id: string) => byId.get(id)! };
}

// Scales of the starter policy: severity negligible < minor < serious* < critical* < catastrophic*
// (* = death or serious injury); probability improbable < remote < occasional < probable < frequent.
// minor is unacceptable only when frequent; serious from probable; critical from occasional.

describe('classification scenarios (hand-worked)', () => {
  it('Q1 no: software that cannot contribute to a hazardous situation is class A', () => {
    const { of } = classes([
      system(),
      item('SI-002', { noContribution: 'It only formats text that no function reads.' }),
      situation('HS-001', { severity: 'catastrophic', p1: 'remote', p2: 'frequent' }),
    ]);
    expect(of('SI-001')).toMatchObject({ computedClass: 'A', basis: 'computed' });
    expect(of('SI-001').path[0]!.answer).toMatch(/^No/);
  });

  it('Q2 no: an external hardware control that makes the risk acceptable gives class A', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      situation('HS-001', {
        severity: 'serious',
        p1: 'occasional',
        p2: 'probable',
        withExternalControls: { probability: 'remote', credits: ['RC-001'], rationale: 'The clamp holds.' },
      }),
      control('RC-001', 'hardware', ['HS-001']),
    ]);
    expect(of('SI-001').computedClass).toBe('A');
    expect(of('SI-001').path[1]).toMatchObject({ step: 'Q2', controls: ['RC-001'] });
  });

  it('Q3: the worst harm non-serious gives class B', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      situation('HS-001', { severity: 'minor', p1: 'remote', p2: 'frequent' }),
    ]);
    expect(of('SI-001').computedClass).toBe('B');
    expect(of('SI-002')).toMatchObject({
      computedClass: 'B',
      basis: 'computed',
      bases: ['computed', 'inherited'],
    });
  });

  it('Q3: death or serious injury gives class C, and the system takes its highest class (4.3 f)', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      item('SI-003', {}, { contributesTo: ['HS-002'] }),
      situation('HS-001', { severity: 'minor', p1: 'remote', p2: 'frequent' }),
      situation('HS-002', { severity: 'critical', p1: 'remote', p2: 'occasional' }),
    ]);
    expect(of('SI-001')).toMatchObject({ computedClass: 'C', forcing: ['HS-002'] });
  });

  it('a segregated child under a C parent is classified on its own', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      item(
        'SI-003',
        { segregation: { rationale: 'Separate MPU region', mechanism: 'MPU' } },
        { contributesTo: ['HS-002'] },
      ),
      situation('HS-001', { severity: 'catastrophic', p2: 'probable' }),
      situation('HS-002', { severity: 'minor', p2: 'frequent' }),
    ]);
    expect(of('SI-001').computedClass).toBe('C');
    expect(of('SI-003')).toMatchObject({ computedClass: 'B', basis: 'computed', segregated: true });
    expect(of('SI-003').rationale).toContain('segregated from its parent SI-001');
  });

  it('a child without a segregation rationale inherits C even if its own risk is lower', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      item('SI-003', {}, { contributesTo: ['HS-002'] }),
      situation('HS-001', { severity: 'catastrophic', p2: 'probable' }),
      situation('HS-002', { severity: 'minor', p2: 'frequent' }),
    ]);
    expect(of('SI-003')).toMatchObject({ computedClass: 'C', basis: 'inherited', forcing: ['HS-001'] });
  });

  it('an item implementing a control for a C-level risk is class C even when segregated (7.2.2 b)', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      item(
        'SI-003',
        { segregation: { rationale: 'Independent monitor task', mechanism: 'MPU' } },
        { implements: ['SRS-001'] },
      ),
      rec(
        'SRS-001',
        'software-requirement',
        { category: 'alarms', riskControl: true },
        { implements: ['RC-001'] },
      ),
      control('RC-001', 'software', ['HS-001']),
      situation('HS-001', { severity: 'catastrophic', p2: 'probable' }),
    ]);
    expect(of('SI-003')).toMatchObject({ computedClass: 'C', basis: 'risk-control', forcing: ['HS-001'] });
  });

  it('an item outside the architecture defaults to class C (4.3 g)', () => {
    const { of } = classes([
      system(),
      rec('SI-009', 'software-item', { itemType: 'item' }),
      situation('HS-001', { severity: 'minor', p2: 'remote' }),
    ]);
    expect(of('SI-009')).toMatchObject({ computedClass: 'C', basis: 'default' });
  });

  it('without any hazard analysis everything is class C', () => {
    const { of } = classes([system(), item('SI-002')]);
    expect(of('SI-001')).toMatchObject({ computedClass: 'C', basis: 'default' });
    expect(of('SI-002')).toMatchObject({ computedClass: 'C', bases: ['inherited', 'default'] });
  });

  it('never credits a low probability of software failure: P1 is ignored, P2 decides', () => {
    // Initial risk: serious × (improbable × frequent = improbable) is acceptable,
    // but with the software failure taken as certain the risk is serious × frequent: class C.
    const { safety, of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      situation('HS-001', { severity: 'serious', p1: 'improbable', p2: 'frequent' }),
    ]);
    expect(safety.risks[0]!.initial).toMatchObject({ acceptable: true });
    expect(of('SI-001').computedClass).toBe('C');
  });

  it('never credits controls inside the software, even when written under withExternalControls', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      situation('HS-001', {
        severity: 'critical',
        p2: 'probable',
        withExternalControls: { probability: 'improbable', credits: ['RC-001'], rationale: 'It stops.' },
      }),
      control('RC-001', 'software', ['HS-001']),
    ]);
    expect(of('SI-001').computedClass).toBe('C');
  });

  it('a single probability without P2 is taken as certain harm when the software fails', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      situation('HS-001', { severity: 'serious', probability: 'improbable' }),
    ]);
    expect(of('SI-001').computedClass).toBe('C');
  });

  it('a hazardous situation without an estimate is treated as class C', () => {
    const { of } = classes([
      system(),
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      situation('HS-001', {}),
    ]);
    expect(of('SI-001').computedClass).toBe('C');
  });

  it('a recorded cause counts as a contribution (7.1.2)', () => {
    const { of } = classes([
      system(),
      item('SI-002', { causes: [{ situation: 'HS-001', category: 'soup', description: 'RTOS fault' }] }),
      situation('HS-001', { severity: 'minor', p2: 'frequent' }),
    ]);
    expect(of('SI-001').computedClass).toBe('B');
  });
});

describe('risk evaluation (ISO 14971)', () => {
  const policy = riskPolicy(baseConfig.risk!);

  it('combines P1 × P2 with the scale bounds', () => {
    const p = (k: string) => policy.probability(k)!;
    expect(policy.combine(p('occasional'), p('probable'))!.key).toBe('remote'); // 1e-3 × 1e-2 = 1e-5 ≤ 1e-4
    expect(policy.combine(p('frequent'), p('frequent'))!.key).toBe('frequent');
    expect(policy.combine(p('probable'), p('frequent'))!.key).toBe('probable');
    expect(policy.combine(p('remote'), p('probable'))!.key).toBe('improbable');
  });

  it('orders controls by ISO 14971 priority and flags unacceptable residual risk', () => {
    const records = [
      situation('HS-001', {
        severity: 'critical',
        p1: 'probable',
        p2: 'frequent',
        residualProbability: 'occasional',
      }),
      rec(
        'RC-003',
        'risk-control',
        { option: 'information-for-safety', implementedIn: 'labeling' },
        { mitigates: ['HS-001'] },
      ),
      rec(
        'RC-002',
        'risk-control',
        { option: 'protective-measure', implementedIn: 'software' },
        { mitigates: ['HS-001'] },
      ),
      rec(
        'RC-001',
        'risk-control',
        { option: 'inherent-safety', implementedIn: 'hardware' },
        { mitigates: ['HS-001'] },
      ),
      rec('TC-001', 'test', { level: 'system' }, { verifies: ['RC-002'], verifiesEffectiveness: ['RC-001'] }),
    ];
    const [risk] = evaluateRisks(new TraceGraph(records), policy);
    expect(risk!.initial).toMatchObject({ acceptable: false });
    expect(risk!.initial!.probability.key).toBe('probable');
    expect(risk!.controls.map((c) => c.control.id)).toEqual(['RC-001', 'RC-002', 'RC-003']);
    expect(risk!.residual).toMatchObject({ acceptable: false });
    expect(risk!.benefitRiskNeeded).toBe(true);
    expect(risk!.controls[1]!.implementation.map((t) => t.id)).toEqual(['TC-001']);
    expect(risk!.controls[0]!.effectiveness.map((t) => t.id)).toEqual(['TC-001']);
  });

  it('reports levels that the scales do not define', () => {
    const [risk] = evaluateRisks(
      new TraceGraph([situation('HS-001', { severity: 'severe', probability: 'rare' })]),
      policy,
    );
    expect(risk!.invalid.map((i) => i.value)).toEqual(['severe', 'rare']);
    expect(risk!.initial).toBeUndefined();
  });
});

describe('FDA documentation level and level of concern', () => {
  const policy = riskPolicy(baseConfig.risk!);
  const risksOf = (records: DossierRecord[]) => evaluateRisks(new TraceGraph(records), policy);

  it('Enhanced when software failure could probably cause death or serious injury before controls', () => {
    const risks = risksOf([
      item('SI-002', {}, { contributesTo: ['HS-001'] }),
      situation('HS-001', { severity: 'serious', p2: 'remote' }),
    ]);
    expect(documentationLevel(config(), policy, risks)).toMatchObject({
      level: 'Enhanced',
      situations: ['HS-001'],
    });
  });

  it('Basic when the serious harm is only hypothetical or the harm is not serious', () => {
    const risks = risksOf([
      item('SI-002', {}, { contributesTo: ['HS-001', 'HS-002'] }),
      situation('HS-001', { severity: 'serious', p2: 'improbable' }),
      situation('HS-002', { severity: 'minor', p2: 'frequent' }),
    ]);
    expect(documentationLevel(config(), policy, risks).level).toBe('Basic');
  });

  it('class III devices are Enhanced unless a rationale for Basic is given', () => {
    const device = { ...baseConfig.device, deviceClass: 'III' as const };
    expect(documentationLevel(config({ device }), policy, []).level).toBe('Enhanced');
    const basic = documentationLevel(
      config({ device, fda: { basicRationale: 'Software only displays data.' } }),
      policy,
      [],
    );
    expect(basic.level).toBe('Basic');
    expect(basic.rationale).toContain('Software only displays data.');
  });

  it('level of concern from the 2005 questionnaire', () => {
    const answers = {
      bloodEstablishmentSoftware: false,
      combinationWithDrugOrBiologic: false,
      accessoryToMajorDevice: false,
      failureCouldCauseDeathOrSeriousInjury: false,
      accessoryToModerateDevice: false,
      failureCouldCauseMinorInjury: false,
    };
    expect(levelOfConcern(config())).toBeUndefined();
    expect(levelOfConcern(config({ levelOfConcern: answers }))!.level).toBe('Minor');
    expect(
      levelOfConcern(config({ levelOfConcern: { ...answers, failureCouldCauseMinorInjury: true } }))!.level,
    ).toBe('Moderate');
    expect(
      levelOfConcern(
        config({
          levelOfConcern: {
            ...answers,
            failureCouldCauseMinorInjury: true,
            failureCouldCauseDeathOrSeriousInjury: true,
          },
        }),
      )!.level,
    ).toBe('Major');
  });
});

describe('classification properties', () => {
  const SEVERITIES = ['negligible', 'minor', 'serious', 'critical', 'catastrophic'];
  const PROBABILITIES = ['improbable', 'remote', 'occasional', 'probable', 'frequent'];

  const project = fc.record({
    situations: fc.array(
      fc.record({
        severity: fc.integer({ min: 0, max: 4 }),
        p2: fc.integer({ min: 0, max: 4 }),
        external: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    // item i (under the system, some segregated) contributes to a subset of situations
    items: fc.array(
      fc.record({ contributes: fc.array(fc.nat(5), { maxLength: 3 }), segregated: fc.boolean() }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
  });

  type Project = typeof project extends fc.Arbitrary<infer T> ? T : never;

  function build(p: Project): DossierRecord[] {
    const records: DossierRecord[] = [system()];
    p.situations.forEach((s, i) => {
      const id = `HS-${i + 1}`;
      records.push(
        situation(id, {
          severity: SEVERITIES[s.severity],
          p2: PROBABILITIES[s.p2],
          ...(s.external !== undefined
            ? {
                withExternalControls: {
                  probability: PROBABILITIES[s.external],
                  credits: [`RC-${i + 1}`],
                  rationale: 'r',
                },
              }
            : {}),
        }),
      );
      if (s.external !== undefined) records.push(control(`RC-${i + 1}`, 'hardware', [id]));
    });
    p.items.forEach((it, i) => {
      const targets = [...new Set(it.contributes.map((n) => `HS-${(n % p.situations.length) + 1}`))];
      records.push(
        item(
          `SI-${i + 2}`,
          {
            ...(it.segregated ? { segregation: { rationale: 'r', mechanism: 'm' } } : {}),
            ...(targets.length === 0 ? { noContribution: 'n' } : {}),
          },
          { contributesTo: targets },
        ),
      );
    });
    return records;
  }

  const rankOf = (records: DossierRecord[]) => {
    const { safety } = classes(records);
    return new Map(
      [safety.system!, ...safety.items].map((c) => [c.id, classRank(IEC_62304_ED1_1, c.computedClass)]),
    );
  };

  it('the computed class never drops when a hazardous situation becomes more severe', () => {
    fc.assert(
      fc.property(project, fc.nat(), (p, pick) => {
        const before = rankOf(build(p));
        const i = pick % p.situations.length;
        const worse = {
          ...p,
          situations: p.situations.map((s, j) =>
            j === i ? { ...s, severity: Math.min(4, s.severity + 1) } : s,
          ),
        };
        const after = rankOf(build(worse));
        for (const [id, rank] of before) expect(after.get(id)!).toBeGreaterThanOrEqual(rank);
      }),
      { numRuns: 300 },
    );
  });

  it('the computed class never drops when the hazard analysis of an item is removed (4.3 g)', () => {
    fc.assert(
      fc.property(project, fc.nat(), (p, pick) => {
        const records = build(p);
        const before = rankOf(records);
        const items = records.filter((r) => r.kind === 'software-item' && r.id !== 'SI-001');
        const target = items[pick % items.length]!;
        const { noContribution: _, ...fields } = target.fields;
        const silent = { ...target, fields, links: { partOf: ['SI-001'] } };
        const after = rankOf(records.map((r) => (r === target ? silent : r)));
        for (const [id, rank] of before) expect(after.get(id)!).toBeGreaterThanOrEqual(rank);
      }),
      { numRuns: 300 },
    );
  });

  it('the computed class never drops when a risk control is removed', () => {
    fc.assert(
      fc.property(project, fc.nat(), (p, pick) => {
        const records = build(p);
        const before = rankOf(records);
        const controls = records.filter((r) => r.kind === 'risk-control');
        if (controls.length === 0) return;
        const removed = controls[pick % controls.length]!;
        const after = rankOf(records.filter((r) => r !== removed));
        for (const [id, rank] of before) expect(after.get(id)!).toBeGreaterThanOrEqual(rank);
      }),
      { numRuns: 300 },
    );
  });
});

describe('class applicability (Annex A, Table A.1) as data', () => {
  it('encodes the class differences of AMD1', async () => {
    const { clausesFor } = await import('../src/safety/class-scheme.js');
    const a = clausesFor(IEC_62304_ED1_1, 'A').map((c) => c.clause);
    const b = clausesFor(IEC_62304_ED1_1, 'B').map((c) => c.clause);
    const c = clausesFor(IEC_62304_ED1_1, 'C').map((x) => x.clause);
    // AMD1 added system testing (5.7) for class A; segregation (5.3.5) and 5.5.4 are class C only.
    expect(a).toEqual(expect.arrayContaining(['5.7.1', '5.7.5', '5.8.1', '6.2.3', '7.4.1']));
    expect(a).not.toContain('5.3.1');
    expect(b).toContain('5.3.1');
    expect(b).not.toContain('5.3.5');
    expect(c.filter((x) => !b.includes(x))).toEqual(['5.1.4', '5.3.5', '5.4.2', '5.4.3', '5.4.4', '5.5.4']);
    // Deleted clauses apply to nobody; uncertain rows say so.
    expect(IEC_62304_ED1_1.applicability.find((x) => x.clause === '7.1.5')).toMatchObject({
      classes: [],
      deleted: true,
    });
    expect(IEC_62304_ED1_1.applicability.find((x) => x.clause === '5.8.3')?.confidence).toBe('check');
    expect(IEC_62304_ED1_1.applicabilityNotes['5.8.3']).toBeTruthy();
  });
});

describe('classification report: what the highest class adds', () => {
  it('lists only clauses Dossier applies at C and not at B (an uncertain row applies at every class)', async () => {
    const { renderClassification } = await import('../src/safety/classification-report.js');
    const safety = analyzeSafety(new TraceGraph([system()]), config());
    // An uncertain row encoded for class C only: until verified Dossier applies it at every class.
    const scheme = {
      ...safety.scheme,
      applicability: safety.scheme.applicability.map((row) =>
        row.clause === '5.8.3' ? { ...row, classes: ['C'], confidence: 'check' as const } : row,
      ),
    };
    const line = renderClassification({ ...safety, scheme }, 'markdown')
      .split('\n')
      .find((l) => l.includes('items add'));
    expect(line).toContain('Class C items add 5.1.4, 5.3.5, 5.4.2, 5.4.3, 5.4.4, 5.5.4.');
    expect(line).not.toContain('5.8.3');
  });
});
