/**
 * Each evaluator of the gap scan, on fixtures that make it find evidence, find part of it, and find
 * none (two-valued evaluators, such as a setting of dossier.yaml, have no partial state and say so).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { releaseGate } from '../src/evidence/release-gate.js';
import { EVALUATOR_NAMES } from '../src/gap/catalog.js';
import { type GapContext, makeContext, scanVersion } from '../src/gap/context.js';
import { type ClauseStatus, evaluate } from '../src/gap/evaluators.js';
import type { EvaluatorSpec, Outcome } from '../src/gap/types.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { fingerprint } from '../src/model/fingerprint.js';
import { writeProject } from './helpers.js';

const TODAY = '2026-12-01';
/**
 * The starter project without plans, reviews or attestations (the starter may hold draft plans):
 * each test adds the ones its case needs.
 */
const STARTER = Object.fromEntries(
  Object.entries(starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' })).filter(
    ([, content]) => !/^(planType|reviewType|attestedBy):/m.test(content),
  ),
);

function contextOf(overrides: Record<string, string> = {}, without: readonly string[] = []): GapContext {
  const files: Record<string, string> = { ...STARTER, ...overrides };
  for (const f of without) delete files[f];
  const loaded = loadProject(writeProject(files, false));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
  const analysis = analyze(loaded.project, { today: TODAY });
  const version = scanVersion(analysis);
  return makeContext(analysis, version, version ? releaseGate(analysis, version.version) : undefined);
}

function outcomeOf(
  spec: EvaluatorSpec,
  overrides: Record<string, string> = {},
  options: { clause?: string; without?: readonly string[]; statuses?: Map<string, ClauseStatus> } = {},
): Outcome {
  const context = contextOf(overrides, options.without);
  return evaluate(spec, context, options.clause, options.statuses ?? new Map()).outcome;
}

const md = (front: string, body = 'Text.') => `---\n${front.trim()}\n---\n${body}\n`;

const CONFIG = STARTER['dossier.yaml']!;
const RELEASE = (fields = '') =>
  md(`id: REL-001\ntitle: Release 0.1.0\nstatus: approved\nversion: 0.1.0\ndate: 2026-11-01\n${fields}`);

const tested: Record<string, Outcome[]> = {};
const record = (name: string, outcome: Outcome) => {
  tested[name] = [...(tested[name] ?? []), outcome];
};

/** Asserts the outcome and remembers which outcomes each evaluator was shown to give. */
function expectOutcome(name: string, actual: Outcome, expected: Outcome) {
  expect(actual, name).toBe(expected);
  record(name, actual);
}

describe('attestation', () => {
  const att = (extra: string, status = 'approved') =>
    md(
      `id: ATT-001\ntitle: QMS certificate\nstatus: ${status}\nclauses: ["4.1"]\nreference: ISO 13485 certificate 123\nattestedBy: Q. Manager\ndate: 2026-01-10\n${extra}`,
      'The QMS is certified.',
    );
  const spec: EvaluatorSpec = { use: 'attestation' };
  it('found: approved and valid; partial: expired or draft; none: absent', () => {
    expectOutcome(
      'attestation',
      outcomeOf(spec, { 'records/ATT-001.md': att('validUntil: 2028-01-01') }, { clause: '4.1' }),
      'found',
    );
    expectOutcome(
      'attestation',
      outcomeOf(spec, { 'records/ATT-001.md': att('validUntil: 2026-06-30') }, { clause: '4.1' }),
      'partial',
    );
    expectOutcome(
      'attestation',
      outcomeOf(spec, { 'records/ATT-001.md': att('', 'draft') }, { clause: '4.1' }),
      'partial',
    );
    expectOutcome('attestation', outcomeOf(spec, {}, { clause: '4.1' }), 'none');
    // Another clause's attestation is not evidence for this one.
    expectOutcome(
      'attestation',
      outcomeOf(spec, { 'records/ATT-001.md': att('') }, { clause: '4.2' }),
      'none',
    );
  });
});

describe('any (alternatives: records in the dossier, or an attested document)', () => {
  const att = md(
    'id: ATT-001\ntitle: Threat model\nstatus: approved\nclauses: ["FDA cybersecurity: threat model"]\nreference: TM-1 rev A\nattestedBy: P. Security\ndate: 2026-01-10',
    'The threat model document.',
  );
  const model = (status: string) =>
    md(`id: TM-001\ntitle: Threat model\nstatus: ${status}\nmethod: STRIDE`, 'The whole system.');
  const spec: EvaluatorSpec = {
    use: 'any',
    of: [
      { use: 'records', kind: 'threat-model', what: 'threat models', approved: true, allClasses: true },
      { use: 'attestation', obligation: 'FDA cybersecurity: threat model' },
    ],
  };
  it('found: either alternative has evidence; partial: the best has part; none: neither, naming both', () => {
    expectOutcome('any', outcomeOf(spec, { 'records/TM-001.md': model('approved') }), 'found');
    expectOutcome('any', outcomeOf(spec, { 'records/ATT-001.md': att }), 'found');
    // One of two threat models still a draft is part of the evidence; an approved attestation is all of it.
    const two = {
      'records/TM-001.md': model('approved'),
      'records/TM-002.md': model('draft').replace('TM-001', 'TM-002'),
    };
    expectOutcome('any', outcomeOf(spec, two), 'partial');
    expectOutcome('any', outcomeOf(spec, { ...two, 'records/ATT-001.md': att }), 'found');
    expectOutcome('any', outcomeOf(spec), 'none');
    const missing = evaluate(spec, contextOf(), undefined, new Map()).missing;
    expect(missing).toEqual([
      'no threat models recorded',
      'no attestation names "FDA cybersecurity: threat model" in its `clauses`',
    ]);
  });
});

const DEV_PLAN = (status: string, sections: string[]) =>
  md(
    `id: PLAN-001\ntitle: Software development plan\nstatus: ${status}\nplanType: development`,
    sections.map((s) => `## ${s}\n\nWhat we do for ${s}, in detail.\n`).join('\n'),
  );
const ALL_511 = [
  'Life-cycle model',
  'Deliverables',
  'Traceability',
  'Configuration management',
  'Problem resolution',
];

describe('plan', () => {
  const spec: EvaluatorSpec = { use: 'plan', clause: '5.1.1' };
  it('found: every section in an approved plan; partial: draft, a missing or an empty section; none: no plan', () => {
    expectOutcome('plan', outcomeOf(spec, { 'records/PLAN-001.md': DEV_PLAN('approved', ALL_511) }), 'found');
    expectOutcome('plan', outcomeOf(spec, { 'records/PLAN-001.md': DEV_PLAN('draft', ALL_511) }), 'partial');
    expectOutcome(
      'plan',
      outcomeOf(spec, { 'records/PLAN-001.md': DEV_PLAN('approved', ALL_511.slice(0, 3)) }),
      'partial',
    );
    const empty = DEV_PLAN('approved', ALL_511).replace('What we do for Traceability, in detail.', 'TBD');
    expectOutcome('plan', outcomeOf(spec, { 'records/PLAN-001.md': empty }), 'partial');
    expectOutcome('plan', outcomeOf(spec), 'none');
  });
});

describe('plan-exists', () => {
  const spec: EvaluatorSpec = { use: 'plan-exists', planTypes: ['development'] };
  it('found: approved; partial: draft; none: absent', () => {
    expectOutcome(
      'plan-exists',
      outcomeOf(spec, { 'records/PLAN-001.md': DEV_PLAN('approved', ['Deliverables']) }),
      'found',
    );
    expectOutcome(
      'plan-exists',
      outcomeOf(spec, { 'records/PLAN-001.md': DEV_PLAN('draft', ['Deliverables']) }),
      'partial',
    );
    expectOutcome('plan-exists', outcomeOf(spec), 'none');
  });
});

describe('records', () => {
  const spec: EvaluatorSpec = {
    use: 'records',
    kind: 'software-requirement',
    what: 'software requirements',
    rules: ['requirement/no-source'],
  };
  const unsourced = (id: string) =>
    md(`id: ${id}\ntitle: Orphan\nstatus: draft\ncategory: functional`, 'The software shall log events.');
  it('found: records without findings; partial: some with findings; none: every one with a finding, or no record', () => {
    expectOutcome('records', outcomeOf(spec, {}, { clause: '5.2.1' }), 'found');
    expectOutcome(
      'records',
      outcomeOf(spec, { 'records/software/SRS-003.md': unsourced('SRS-003') }, { clause: '5.2.1' }),
      'partial',
    );
    expectOutcome(
      'records',
      outcomeOf(
        spec,
        {
          'records/software/SRS-001.md': unsourced('SRS-001'),
          'records/software/SRS-002.md': unsourced('SRS-002'),
        },
        { clause: '5.2.1' },
      ),
      'none',
    );
    expectOutcome(
      'records',
      outcomeOf({ use: 'records', kind: 'soup', what: 'SOUP items' }, {}, { clause: '8.1.2' }),
      'none',
    );
  });

  it('fields and approval count against a record; an optional evaluator with no records counts neither way', () => {
    const fields: EvaluatorSpec = {
      use: 'records',
      kind: 'software-item',
      what: 'items',
      fields: ['sourceFiles'],
    };
    expect(outcomeOf(fields)).toBe('none');
    const withSources = STARTER['records/architecture/SI-002.md']!.replace(
      'itemType: item',
      'itemType: item\nsourceFiles: [src/therapy/**]',
    );
    expect(outcomeOf(fields, { 'records/architecture/SI-002.md': withSources })).toBe('partial');
    expect(outcomeOf({ ...fields, approved: true, fields: [] })).toBe('none'); // the starter records are drafts
    expect(
      outcomeOf({ use: 'records', kind: 'change-request', what: 'change requests', optional: true }),
    ).toBe('na');
    expect(outcomeOf({ use: 'records', kind: 'change-request', what: 'change requests' })).toBe('none');
    expect(
      outcomeOf({
        use: 'records',
        kind: 'software-requirement',
        what: 'requirements',
        when: 'released',
        optional: true,
      }),
    ).toBe('na');
  });

  it('a rule turned off in dossier.yaml is not seen, so its records are at most partial (fail closed)', () => {
    const off = `${CONFIG}rules:\n  requirement/no-source: { severity: off, reason: Sources are in the legacy DOORS module. }\n`;
    const context = contextOf({ 'dossier.yaml': off });
    const result = evaluate(spec, context, '5.2.1', new Map());
    expect(result.outcome).toBe('partial');
    expect(result.missing.join('\n')).toMatch(/requirement\/no-source is off in dossier\.yaml/);
  });
});

describe('review', () => {
  const spec: EvaluatorSpec = {
    use: 'review',
    reviewType: 'requirements',
    kind: 'software-requirement',
    what: 'software requirements',
  };
  const fingerprints = () => {
    const loaded = loadProject(writeProject(STARTER, false));
    if (!loaded.ok) throw new Error('starter');
    const byId = new Map(loaded.project.records.map((r) => [r.id, fingerprint(r)]));
    return { 'SRS-001': byId.get('SRS-001')!, 'SRS-002': byId.get('SRS-002')! };
  };
  const review = (fp: Record<string, string>, outcome = 'passed') =>
    md(
      `id: REV-001\ntitle: Requirements review\nstatus: approved\nreviewType: requirements\ndate: 2026-11-02\nreviewed: [SRS-001, SRS-002]\noutcome: ${outcome}\nfingerprints:\n${Object.entries(
        fp,
      )
        .map(([id, f]) => `  ${id}: "${f}"`)
        .join('\n')}`,
    );
  it('found: every requirement in a passed review with a current fingerprint; partial: one changed since; none: no review or not passed', () => {
    const fp = fingerprints();
    expectOutcome(
      'review',
      outcomeOf(spec, { 'records/REV-001.md': review(fp) }, { clause: '5.2.6' }),
      'found',
    );
    const changed = STARTER['records/software/SRS-002.md']!.replace('within 1 s', 'within 2 s');
    expectOutcome(
      'review',
      outcomeOf(
        spec,
        { 'records/REV-001.md': review(fp), 'records/software/SRS-002.md': changed },
        { clause: '5.2.6' },
      ),
      'partial',
    );
    expectOutcome(
      'review',
      outcomeOf(spec, { 'records/REV-001.md': review({ 'SRS-001': fp['SRS-001'] }) }, { clause: '5.2.6' }),
      'partial',
    );
    expectOutcome(
      'review',
      outcomeOf(spec, { 'records/REV-001.md': review(fp, 'failed') }, { clause: '5.2.6' }),
      'none',
    );
    expectOutcome('review', outcomeOf(spec, {}, { clause: '5.2.6' }), 'none');
  });
});

describe('review-held', () => {
  const spec: EvaluatorSpec = { use: 'review-held', reviewType: 'design-review', independent: true };
  const review = (independent: boolean) =>
    md(
      `id: REV-001\ntitle: Design review 1\nstatus: approved\nreviewType: design-review\ndate: 2026-11-02\noutcome: passed\nparticipants:\n  - { name: A. Lead, role: software lead }\n  - { name: B. Other, role: QA, independent: ${independent} }`,
    );
  it('found: passed with an independent participant; partial: none independent; none: no review', () => {
    expectOutcome('review-held', outcomeOf(spec, { 'records/REV-001.md': review(true) }), 'found');
    expectOutcome('review-held', outcomeOf(spec, { 'records/REV-001.md': review(false) }), 'partial');
    expectOutcome('review-held', outcomeOf(spec), 'none');
  });
});

const RUN = (
  results: string[],
  extra = '    environment: Bench rig 1\n    tools: [rig software 2.0]\n',
) => `kind: test-run
records:
  - id: RUN-001
    title: System tests
    status: approved
    version: 0.1.0
    date: 2026-10-30
    executedBy: T. Tester
${extra}    level: system
    manual: true
    results:
${results.map((t) => `      - { test: ${t}, outcome: passed }`).join('\n')}
`;

describe('gate', () => {
  const spec: EvaluatorSpec = {
    use: 'gate',
    codes: ['release/requirement-unverified'],
    of: { kind: 'software-requirement', what: 'software requirements' },
  };
  it('found: no blocker about the records; partial: some blocked; none: all blocked, or nothing to judge', () => {
    expectOutcome(
      'gate',
      outcomeOf(spec, { 'records/evidence/RUN-001.yaml': RUN(['TC-001', 'TC-002']) }, { clause: '5.7.4' }),
      'found',
    );
    expectOutcome(
      'gate',
      outcomeOf(spec, { 'records/evidence/RUN-001.yaml': RUN(['TC-001']) }, { clause: '5.7.4' }),
      'partial',
    );
    expectOutcome('gate', outcomeOf(spec, {}, { clause: '5.7.4' }), 'none');
    const needsRelease: EvaluatorSpec = {
      use: 'gate',
      codes: ['release/anomaly-unlisted'],
      needsRelease: true,
    };
    expectOutcome('gate', outcomeOf(needsRelease), 'none');
    expect(outcomeOf(needsRelease, { 'records/REL-001.md': RELEASE() })).toBe('found');
  });
});

describe('tested-at-level', () => {
  const spec: EvaluatorSpec = {
    use: 'tested-at-level',
    kind: 'software-requirement',
    level: 'system',
    what: 'software requirements',
  };
  it('found: every record has a system test; partial: one has none; none: no system test at all', () => {
    expectOutcome('tested-at-level', outcomeOf(spec, {}, { clause: '5.7.1' }), 'found');
    const extra = md(
      'id: SRS-003\ntitle: Log\nstatus: draft\ncategory: data\nderivesFrom: [SYS-001]',
      'The software shall log.',
    );
    expectOutcome(
      'tested-at-level',
      outcomeOf(spec, { 'records/software/SRS-003.md': extra }, { clause: '5.7.1' }),
      'partial',
    );
    const integration = STARTER['records/tests/system-tests.yaml']!.replaceAll(
      'level: system',
      'level: integration',
    );
    expectOutcome(
      'tested-at-level',
      outcomeOf(spec, { 'records/tests/system-tests.yaml': integration }, { clause: '5.7.1' }),
      'none',
    );
  });
});

describe('runs', () => {
  const spec: EvaluatorSpec = { use: 'runs', level: 'system', rules: ['evidence/run-incomplete'] };
  it('found: a complete run on the version; partial: one of two incomplete; none: no run', () => {
    expectOutcome('runs', outcomeOf(spec, { 'records/evidence/RUN-001.yaml': RUN(['TC-001']) }), 'found');
    const second = RUN(['TC-002'], '').replace('RUN-001', 'RUN-002');
    expectOutcome(
      'runs',
      outcomeOf(spec, {
        'records/evidence/RUN-001.yaml': RUN(['TC-001']),
        'records/evidence/RUN-002.yaml': second,
      }),
      'partial',
    );
    expectOutcome('runs', outcomeOf(spec, { 'records/evidence/RUN-001.yaml': RUN(['TC-001'], '') }), 'none');
    expectOutcome('runs', outcomeOf(spec), 'none');
  });
});

describe('risk-policy and config (two-valued: a setting is there or not)', () => {
  it('found: dossier.yaml has it; none: it does not', () => {
    const noRisk = CONFIG.slice(0, CONFIG.indexOf('risk:'));
    expectOutcome('risk-policy', outcomeOf({ use: 'risk-policy' }), 'found');
    expectOutcome('risk-policy', outcomeOf({ use: 'risk-policy' }, { 'dossier.yaml': noRisk }), 'none');
    const spec: EvaluatorSpec = { use: 'config', path: 'device.intendedUse', what: 'the intended use' };
    expectOutcome('config', outcomeOf(spec), 'found');
    const noUse = CONFIG.replace(/ {2}intendedUse: >\n.*\n/, '');
    expect(noUse).not.toContain('intendedUse');
    expectOutcome('config', outcomeOf(spec, { 'dossier.yaml': noUse }), 'none');
  });
});

describe('release', () => {
  const spec: EvaluatorSpec = {
    use: 'release',
    fields: ['buildProcedure', 'buildEnvironment', 'configuration.commit'],
  };
  it('found: the release record has every field; partial: some; none: none of them, or no release record', () => {
    const all = `buildProcedure: make release\nbuildEnvironment: gcc 13\nconfiguration:\n  commit: ${'b'.repeat(40)}\n`;
    expectOutcome('release', outcomeOf(spec, { 'records/REL-001.md': RELEASE(all) }), 'found');
    expectOutcome(
      'release',
      outcomeOf(spec, { 'records/REL-001.md': RELEASE('buildProcedure: make release\n') }),
      'partial',
    );
    expectOutcome('release', outcomeOf(spec, { 'records/REL-001.md': RELEASE() }), 'none');
    expectOutcome('release', outcomeOf(spec), 'none');
  });
});

describe('software-risk-trace', () => {
  const spec: EvaluatorSpec = { use: 'software-risk-trace', part: 'full' };
  it('found: every cause controlled and verified; partial: a cause without a control; none: no cause recorded', () => {
    expectOutcome('software-risk-trace', outcomeOf(spec), 'found');
    const item = STARTER['records/architecture/SI-002.md']!;
    const uncontrolled = item.replace(
      '    controls: [RC-001]\n',
      '    controls: [RC-001]\n  - situation: HS-001\n    category: misuse\n    description: The user ignores the alarm.\n',
    );
    expectOutcome(
      'software-risk-trace',
      outcomeOf(spec, { 'records/architecture/SI-002.md': uncontrolled }),
      'partial',
    );
    const noCauses = item.replace(/causes:[\s\S]*?controls: \[RC-001\]\n/, '');
    expectOutcome(
      'software-risk-trace',
      outcomeOf(spec, { 'records/architecture/SI-002.md': noCauses }),
      'none',
    );
  });
});

describe('clauses (derived from clause statuses)', () => {
  const status = (clause: string, s: ClauseStatus['status']): [string, ClauseStatus] => [
    clause,
    { clause, title: clause, applies: s !== 'not-applicable', status: s, needsHumanAssessment: false },
  ];
  const spec: EvaluatorSpec = { use: 'clauses', clauses: ['5.7.4', '7.3.1'] };
  it('found: every clause evidenced; partial: one not; none: none evidenced; na: none applies', () => {
    const run = (a: ClauseStatus['status'], b: ClauseStatus['status']) =>
      outcomeOf(spec, {}, { statuses: new Map([status('5.7.4', a), status('7.3.1', b)]) });
    expectOutcome('clauses', run('evidence-found', 'evidence-found'), 'found');
    expectOutcome('clauses', run('evidence-found', 'no-evidence'), 'partial');
    expectOutcome('clauses', run('no-evidence', 'no-evidence'), 'none');
    expect(run('not-applicable', 'not-applicable')).toBe('na');
  });
});

describe('legacy (4.4)', () => {
  const legacy = (rationale: string) =>
    `${CONFIG}legacy:\n  version: 0.1.0\n${rationale ? `  rationale: ${rationale}\n` : ''}`;
  const spec: EvaluatorSpec = { use: 'legacy', part: 'rationale' };
  it('found: version documented and rationale given; partial: no rationale; none: no legacy software declared', () => {
    expectOutcome(
      'legacy',
      outcomeOf(spec, {
        'dossier.yaml': legacy('Five years in the field, no safety complaint.'),
        'records/REL-001.md': RELEASE(),
      }),
      'found',
    );
    expectOutcome(
      'legacy',
      outcomeOf(spec, { 'dossier.yaml': legacy(''), 'records/REL-001.md': RELEASE() }),
      'partial',
    );
    expectOutcome('legacy', outcomeOf(spec), 'none');
  });

  it('the other parts of the route: feedback, risk, gap analysis, gap closure', () => {
    const config = { 'dossier.yaml': legacy('In use since 2019.') };
    const complaint = md(
      'id: PR-001\ntitle: Complaint\nstatus: draft\nstate: open\norigin: complaint',
      'A user reports a late alarm.',
    );
    expect(outcomeOf({ use: 'legacy', part: 'feedback' }, config)).toBe('none');
    expect(
      outcomeOf({ use: 'legacy', part: 'feedback' }, { ...config, 'records/PR-001.md': complaint }),
    ).toBe('found');
    expect(outcomeOf({ use: 'legacy', part: 'risk' }, config)).toBe('found');
    expect(outcomeOf({ use: 'legacy', part: 'gap-analysis' }, config)).toBe('none');
    expect(
      outcomeOf(
        { use: 'legacy', part: 'gap-analysis' },
        { ...config, 'records/evidence/RUN-001.yaml': RUN(['TC-001']) },
      ),
    ).toBe('found');
    expect(outcomeOf({ use: 'legacy', part: 'gap-closure' }, config)).toBe('none');
    expect(
      outcomeOf(
        { use: 'legacy', part: 'gap-closure' },
        { ...config, 'records/PLAN-001.md': DEV_PLAN('draft', ['Deliverables']) },
      ),
    ).toBe('partial');
  });
});

describe('documentation-level', () => {
  const spec: EvaluatorSpec = { use: 'documentation-level' };
  it('found: every contributed situation estimated; partial: one without an estimate; none: no contribution recorded', () => {
    expectOutcome('documentation-level', outcomeOf(spec), 'found');
    const situations = `${STARTER['records/risk/hazardous-situations.yaml']!}  - id: HS-002\n    title: Alarm silenced\n    arisesFrom: [HAZ-001]\n`;
    const item = STARTER['records/architecture/SI-002.md']!.replace(
      'contributesTo: [HS-001]',
      'contributesTo: [HS-001, HS-002]',
    );
    expectOutcome(
      'documentation-level',
      outcomeOf(spec, {
        'records/risk/hazardous-situations.yaml': situations,
        'records/architecture/SI-002.md': item,
      }),
      'partial',
    );
    const none = STARTER['records/architecture/SI-002.md']!.replace('contributesTo: [HS-001]\n', '').replace(
      /causes:[\s\S]*?controls: \[RC-001\]\n/,
      '',
    );
    expectOutcome('documentation-level', outcomeOf(spec, { 'records/architecture/SI-002.md': none }), 'none');
  });
});

const PROBLEM = (id: string, extra: string) =>
  md(
    `id: ${id}\ntitle: Problem ${id}\nstatus: draft\nstate: resolved\ncriticality: minor\ninvestigation: Found the cause.\nsafetyRelevant: false\npartiesAdvised: Service team.\n${extra}`,
    'Something went wrong.',
  );
const CHANGE = md(
  'id: CR-001\ntitle: Fix\nstatus: draft\nstate: proposed\naddresses: [PR-001]',
  'Change the check.',
);

describe('problems-changed', () => {
  const spec: EvaluatorSpec = { use: 'problems-changed' };
  it('found: every resolved problem addressed by a change or with a rationale; partial: one neither; none: none', () => {
    expectOutcome(
      'problems-changed',
      outcomeOf(spec, { 'records/PR-001.md': PROBLEM('PR-001', ''), 'records/CR-001.md': CHANGE }),
      'found',
    );
    expectOutcome(
      'problems-changed',
      outcomeOf(spec, {
        'records/PR-001.md': PROBLEM('PR-001', ''),
        'records/CR-001.md': CHANGE,
        'records/PR-002.md': PROBLEM('PR-002', ''),
      }),
      'partial',
    );
    expectOutcome(
      'problems-changed',
      outcomeOf(spec, { 'records/PR-002.md': PROBLEM('PR-002', '') }),
      'none',
    );
    expectOutcome('problems-changed', outcomeOf(spec), 'none');
  });
});

describe('known-anomalies', () => {
  const spec: EvaluatorSpec = { use: 'known-anomalies', fields: ['origin', 'investigation', 'residualRisk'] };
  const open = (id: string, extra: string) =>
    md(`id: ${id}\ntitle: Anomaly ${id}\nstatus: draft\nstate: open\n${extra}`, 'A known anomaly.');
  const complete =
    'origin: internal-test\ninvestigation: Timer rounding.\nresidualRisk: Display only; no effect on therapy.';
  it('found: each known anomaly says how it was found, its cause and its residual risk; partial: one does not; none: none does', () => {
    const release = RELEASE('knownAnomalies: [PR-001, PR-002]\n');
    expectOutcome(
      'known-anomalies',
      outcomeOf(spec, {
        'records/REL-001.md': release,
        'records/PR-001.md': open('PR-001', complete),
        'records/PR-002.md': open('PR-002', complete),
      }),
      'found',
    );
    expectOutcome(
      'known-anomalies',
      outcomeOf(spec, {
        'records/REL-001.md': release,
        'records/PR-001.md': open('PR-001', complete),
        'records/PR-002.md': open('PR-002', ''),
      }),
      'partial',
    );
    expectOutcome(
      'known-anomalies',
      outcomeOf(spec, {
        'records/REL-001.md': release,
        'records/PR-001.md': open('PR-001', ''),
        'records/PR-002.md': open('PR-002', ''),
      }),
      'none',
    );
  });
});

describe('coverage of the fixtures', () => {
  const TWO_VALUED = new Set(['risk-policy', 'config']);
  it('every evaluator was shown to find evidence, part of it (unless two-valued) and none', () => {
    for (const name of EVALUATOR_NAMES) {
      const seen = new Set(tested[name] ?? []);
      expect(seen.has('found'), `${name}: found`).toBe(true);
      expect(seen.has('none'), `${name}: none`).toBe(true);
      if (!TWO_VALUED.has(name)) expect(seen.has('partial'), `${name}: partial`).toBe(true);
    }
  });
});
