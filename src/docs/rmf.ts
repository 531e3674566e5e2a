/**
 * The software part of the Risk Management File (ISO 14971:2019 4.5; IEC 62304 clause 7; FDA 2023
 * guidance element "Risk management file"): the risk management plan it follows (ISO 14971 4.4) and
 * its acceptability criteria, the hazards and hazardous situations with their sequences of events
 * (ISO 14971 5.4, 5.5), the software items that can contribute and the causes per item (62304
 * 7.1.1, 7.1.2 a–d, SOUP failures 7.1.2 c, 7.1.4), the risk control measures of each situation in
 * the priority order of ISO 14971 7.1, the verification of their implementation (62304 7.3.1) and
 * effectiveness (ISO 14971 7.2) with the test results on the baseline, the residual risk and where
 * needed the benefit–risk conclusion (ISO 14971 7.3, 7.4), the risk matrices before and after
 * control, and the software risk trace of 62304 7.3.3.
 *
 * Every estimate, the control order, the verification sets and the 7.3.3 trace come from
 * `analysis.safety` (src/safety/*), the same the risk stage of the build writes: nothing is computed
 * a second time here. What the records do not say is a not-recorded block. Pure over the context.
 */
import { plural } from '../diagnostics/format.js';
import { latestVerdicts, type Verdict, verdictsOn } from '../evidence/verdicts.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { RISK_CONTROL_OPTIONS, SOFTWARE_CAUSE_CATEGORIES } from '../model/vocabulary.js';
import { planCoverage } from '../plans/coverage.js';
import { analyseItems } from '../safety/hazard-analysis.js';
import {
  type ControlVerification,
  causesOf,
  type RiskEstimate,
  residualRiskOf,
  residualUnevaluatedBecause,
  type SituationRisk,
} from '../safety/risk-evaluation.js';
import { OPTION_LABEL, renderRisk } from '../safety/risk-report.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import { excerpt } from './excerpt.js';
import type { Block, DocumentModel, Inline } from './model.js';

const NOT_RECORDED: Inline = { strong: 'not recorded' };

/** Generated prose with `field` names: the names as code, the rest as text. */
function prose(words: string): Inline[] {
  return words
    .split(/(`[^`]+`)/)
    .filter((part) => part !== '')
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') ? { code: part.slice(1, -1) } : { text: part },
    );
}

const CATEGORY = new Map<string, { clause: string; label: string }>(
  SOFTWARE_CAUSE_CATEGORIES.map((c) => [c.key, c]),
);

const OPTION_TITLE: Record<string, string> = {
  'inherent-safety': 'Inherent safety by design (ISO 14971 7.1 a)',
  'protective-measure': 'Protective measures (ISO 14971 7.1 b)',
  'information-for-safety': 'Information for safety (ISO 14971 7.1 c)',
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** "Critical × Remote: acceptable (P1 Occasional × P2 Frequent)". */
function estimateInlines(e: RiskEstimate, basis = true): Inline[] {
  return [
    { text: `${e.severity.label} × ${e.probability.label}: ` },
    e.acceptable ? { text: 'acceptable' } : { strong: 'unacceptable' },
    ...(basis ? [{ text: ` (${e.basis})` }] : []),
  ];
}

/** Why the initial risk of a situation is not estimated, in words from the risk analysis. */
function initialUnevaluatedBecause(risk: SituationRisk, hasPolicy: boolean): string {
  if (!hasPolicy) return 'no risk scales in dossier.yaml (`risk:`)';
  const bad = risk.invalid.filter((i) => !i.field.startsWith('residual') && !i.field.startsWith('with'));
  if (bad.length > 0)
    return bad.map((i) => `\`${i.field}\` "${i.value}" is not a ${i.scale} level`).join('; ');
  if (risk.missing.length > 0) return `no ${risk.missing.join(' and no ')}`;
  return 'the estimate could not be placed on the scales of dossier.yaml';
}

export function riskManagementFile(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project, safety } = analysis;
  const device = project.config.device.name;
  const included = new Set<string>();
  const risks = [...safety.risks].sort((a, b) => compareById(a.situation, b.situation));
  const verificationOf = new Map<string, ControlVerification>();
  for (const risk of risks) for (const c of risk.controls) verificationOf.set(c.control.id, c);
  const hazards = graph.ofKind('hazard').filter(isActive).sort(compareById);
  const controls = graph.ofKind('risk-control').filter(isActive).sort(compareById);
  const runs = graph.ofKind('test-run').filter(isActive);
  const verdicts = verdictsOn(runs, baseline);
  const latest = latestVerdicts(runs);

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: prose(
        `This is the software part of the risk management file of ${device}, software version ${baseline} (ISO 14971:2019 4.5; IEC 62304 clause 7; FDA 2023 guidance element "Risk management file"). It holds ${plural(hazards.length, 'hazard')}, ${plural(risks.length, 'hazardous situation')} and ${plural(controls.length, 'risk control measure')}: the risk management plan followed, the hazards and hazardous situations with their sequences of events, the software items that can contribute and their causes (7.1), the risk control measures in the priority order of ISO 14971 7.1, the verification of their implementation (7.3.1) and effectiveness with the test results on ${baseline}, the residual risks, the risk matrices before and after control, and the software risk trace (7.3.3). The risk estimates are those of the project's risk analysis (\`dossier risk\`), evaluated against the acceptability criteria of section 2.2.`,
      ),
    },
  ];

  // 2 Plan and criteria (ISO 14971 4.4).
  blocks.push(
    { kind: 'heading', level: 1, text: '2 Risk management plan and acceptability criteria' },
    { kind: 'heading', level: 2, text: '2.1 Risk management plan (ISO 14971 4.4)' },
  );
  const planType = planCoverage({ graph, safety }).types.find((t) => t.planType === 'risk-management');
  const holders = planType?.holders ?? [];
  if (holders.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: 'a risk management plan (a plan record with planType risk-management, or a plan that covers it)',
      clause: 'ISO 14971 4.4; IEC 62304 4.2',
    });
  }
  for (const holder of holders) {
    const plan = holder.plan;
    included.add(plan.id);
    blocks.push(
      {
        kind: 'fields',
        rows: [
          ['Plan', [{ ref: plan.id }, { text: ` ${plan.title}` }]],
          [
            'Holds the risk management plan',
            [{ text: holder.holding === 'own' ? 'as its own plan type' : 'as sections of a plan it covers' }],
          ],
          [
            'Document number',
            text(plan.fields.documentNumber)
              ? [{ text: String(plan.fields.documentNumber) }]
              : [NOT_RECORDED],
          ],
          [
            'Revision',
            text(plan.fields.revision) ? [{ text: String(plan.fields.revision) }] : [NOT_RECORDED],
          ],
          ['Status', holder.approved ? [{ text: 'approved' }] : [{ strong: `${plan.status}: not approved` }]],
        ],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Section of the plan', width: 4 },
          { title: 'Clause', width: 2 },
          { title: 'In the plan', width: 4 },
        ],
        rows: holder.sections.map((s) => [
          [{ text: s.title }],
          [{ text: s.clause }],
          s.state === 'found'
            ? [
                {
                  text: s.place
                    ? `found: ${s.place.source === 'heading' ? 'heading' : 'field'} "${s.place.name}"`
                    : 'found',
                },
              ]
            : s.state === 'empty'
              ? [{ strong: 'empty (placeholder only)' }]
              : [{ strong: s.applies ? 'not recorded' : 'not recorded (not required at this class)' }],
        ]),
      },
    );
  }
  blocks.push({ kind: 'heading', level: 2, text: '2.2 Risk acceptability criteria (ISO 14971 4.4 d)' });
  const policy = safety.policy;
  const riskConfig = project.config.risk;
  if (!policy || !riskConfig) {
    blocks.push({
      kind: 'not-recorded',
      what: 'the severity and probability scales and the acceptability matrix (risk: in dossier.yaml): no risk can be evaluated',
      clause: 'ISO 14971 4.4 d, 5.5, 6',
    });
  } else {
    blocks.push(
      {
        kind: 'paragraph',
        inlines: prose(
          'From `risk:` in dossier.yaml, the one source of the classification, the risk report and the release gate. Severity, least to most severe:',
        ),
      },
      {
        kind: 'table',
        columns: [
          { title: 'Severity', width: 2 },
          { title: 'Description', width: 6 },
          { title: 'Serious injury or death', width: 2 },
        ],
        rows: riskConfig.severity.map((s) => [
          [{ text: s.label }],
          s.description ? [{ text: s.description }] : [NOT_RECORDED],
          [{ text: s.serious ? 'yes' : 'no' }],
        ]),
      },
      {
        kind: 'paragraph',
        inlines: [{ text: 'Probability of harm, least to most likely:' }],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Probability', width: 2 },
          { title: 'Upper bound (per use)', width: 3 },
        ],
        rows: policy.probabilities.map((p) => [
          [{ text: p.label }],
          p.max !== undefined ? [{ text: String(p.max) }] : [NOT_RECORDED],
        ]),
      },
      { kind: 'paragraph', inlines: [{ text: 'Acceptability of each combination:' }] },
      {
        kind: 'table',
        columns: [
          { title: 'Severity / probability', width: 2 },
          ...policy.probabilities.map((p) => ({ title: p.label })),
        ],
        rows: [...policy.severities]
          .reverse()
          .map((s) => [
            [{ strong: s.label }],
            ...policy.probabilities.map((p): Inline[] =>
              policy.acceptability(s, p) === 'acceptable'
                ? [{ text: 'acceptable' }]
                : [{ strong: 'unacceptable' }],
            ),
          ]),
      },
    );
  }

  // 3 Hazards (ISO 14971 5.4).
  blocks.push({ kind: 'heading', level: 1, text: '3 Hazards (ISO 14971 5.4)' });
  if (hazards.length === 0) blocks.push({ kind: 'not-recorded', what: 'no hazard', clause: 'ISO 14971 5.4' });
  hazards.forEach((hazard, i) => {
    included.add(hazard.id);
    const situations = graph.sources(hazard, 'arisesFrom', 'hazardous-situation').filter(isActive);
    blocks.push(
      { kind: 'heading', level: 2, text: `3.${i + 1} ${hazard.id} ${hazard.title}`, anchor: hazard.id },
      {
        kind: 'fields',
        rows: [
          [
            'Category',
            text(hazard.fields.category) ? [{ text: String(hazard.fields.category) }] : [NOT_RECORDED],
          ],
          [
            'Hazardous situations',
            situations.length > 0 ? refs(situations) : [{ strong: 'no hazardous situation recorded' }],
          ],
        ],
      },
      hazard.text.trim() === ''
        ? { kind: 'not-recorded', what: `the description of ${hazard.id}`, clause: 'ISO 14971 5.4' }
        : { kind: 'record-text', recordId: hazard.id, markdown: hazard.text },
    );
  });

  // 4 Hazardous situations (ISO 14971 5.4, 5.5, 7; IEC 62304 7.1.1, 7.2.1).
  blocks.push({
    kind: 'heading',
    level: 1,
    text: '4 Hazardous situations, risk estimation and risk control (ISO 14971 5.4, 5.5, 7)',
  });
  if (risks.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: 'no hazardous situation',
      clause: 'ISO 14971 5.4; IEC 62304 7.1.1',
    });
  risks.forEach((risk, i) => {
    blocks.push(...situationBlocks(context, risk, i + 1, included));
  });

  // 5 Software items and causes (IEC 62304 7.1).
  blocks.push(...itemBlocks(context, included));

  // 6 Risk controls and their verification.
  blocks.push(
    {
      kind: 'heading',
      level: 1,
      text: '6 Risk control measures and their verification (ISO 14971 7.1, 7.2; IEC 62304 7.2, 7.3.1)',
    },
    {
      kind: 'paragraph',
      inlines: prose(
        `Risk control measures in the priority order of ISO 14971 7.1: inherent safety by design, then protective measures, then information for safety. Each is verified for its implementation (IEC 62304 7.3.1: tests of the measure or of the software requirements that implement it) and for its effectiveness (ISO 14971 7.2: tests linked with \`verifiesEffectiveness\`). Results are each test's latest run on ${baseline}.`,
      ),
    },
  );
  if (controls.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: 'no risk control measure',
      clause: 'ISO 14971 7.1; IEC 62304 7.2.1',
    });
  if (controls.length > 0 && !runs.some((r) => String(r.fields.version) === baseline))
    blocks.push({
      kind: 'not-recorded',
      what:
        runs.length === 0
          ? 'test results: no test-run record, so no verification of a risk control has a result'
          : `test results on ${baseline}: no test run of this version is recorded (each result below names the latest run on another version)`,
      clause: '7.3.1; ISO 14971 7.2',
    });
  blocks.push({
    kind: 'not-recorded',
    what: 'the review of each risk control measure for new hazardous situations it could introduce (the records have no field for it; state it in the text of the measure)',
    clause: '7.3.1; ISO 14971 7.5',
  });
  const result = (testId: string): Inline[] => {
    const verdict = verdicts.get(testId);
    if (verdict) {
      included.add(verdict.runId);
      return verdictInlines(verdict);
    }
    const last = latest.get(testId);
    if (last) {
      included.add(last.runId);
      return [
        { strong: `not run on ${baseline}` },
        { text: ` (last ${last.outcome} on ${last.version}, ${last.runId})` },
      ];
    }
    return [{ strong: 'no result recorded' }];
  };
  const groups = [
    ...RISK_CONTROL_OPTIONS.map((option) => ({
      title: OPTION_TITLE[option]!,
      members: controls.filter((c) => c.fields.option === option),
    })),
    {
      title: 'Without a risk control option',
      members: controls.filter((c) => !RISK_CONTROL_OPTIONS.some((o) => o === c.fields.option)),
    },
  ].filter((g) => g.members.length > 0);
  groups.forEach((group, g) => {
    blocks.push({ kind: 'heading', level: 2, text: `6.${g + 1} ${group.title}` });
    if (group.title.startsWith('Without'))
      blocks.push({
        kind: 'not-recorded',
        what: 'the ISO 14971 7.1 option of these measures',
        clause: 'ISO 14971 7.1',
      });
    for (const control of group.members)
      blocks.push(...controlBlocks(context, control, verificationOf.get(control.id), result, included));
  });

  // 7 Residual risk (ISO 14971 7.3, 7.4) and the matrices.
  blocks.push(...residualBlocks(context, risks, included));

  // 8 The 7.3.3 trace.
  blocks.push({ kind: 'heading', level: 1, text: '8 Software risk traceability (IEC 62304 7.3.3)' });
  const trace = safety.softwareRiskTrace;
  if (trace.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: 'no software cause of a hazardous situation (field causes of a software item), so there is no software risk trace',
      clause: '7.1.2, 7.3.3',
    });
  } else {
    blocks.push(
      {
        kind: 'paragraph',
        inlines: [
          {
            text: 'Hazardous situation → software item → cause (7.1.2) → risk control measure → verification, one row per recorded cause (the full causes are in section 5).',
          },
        ],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Hazardous situation', width: 2 },
          { title: 'Software item', width: 2 },
          { title: 'Cause (7.1.2)', width: 6 },
          { title: 'Risk controls', width: 2 },
          { title: 'Verification', width: 3 },
        ],
        rows: trace.map((row) => {
          const cause: Inline[] = [{ text: `${row.clause}: ${excerpt(row.cause, 100)}` }];
          if (row.soup) cause.push({ text: ' (SOUP ' }, { ref: row.soup }, { text: ')' });
          return [
            [{ ref: row.situation }],
            [{ ref: row.item }],
            cause,
            row.controls.length > 0 ? idRefs(row.controls) : [{ strong: 'no risk control recorded' }],
            row.verifiedBy.length > 0 ? idRefs(row.verifiedBy) : [{ strong: 'no verification recorded' }],
          ];
        }),
      },
    );
    for (const row of trace)
      for (const id of [row.situation, row.item, ...row.controls, ...row.verifiedBy]) included.add(id);
  }
  return documentOf(context, 'RMF', 'Risk Management File (software)', blocks, included);
}

/** Ids as links, comma-separated, in the order given. */
function idRefs(ids: readonly string[]): Inline[] {
  return ids.flatMap((id, i) => (i === 0 ? [{ ref: id }] : [{ text: ', ' }, { ref: id }]));
}

function verdictInlines(v: Verdict): Inline[] {
  const where = ` (${v.runId}, ${v.date})`;
  return v.outcome === 'passed'
    ? [{ text: `passed${where}` }]
    : [{ strong: v.outcome }, { text: `${where}${v.message ? `: ${v.message}` : ''}` }];
}

function situationBlocks(
  context: DocumentContext,
  risk: SituationRisk,
  n: number,
  included: Set<string>,
): Block[] {
  const { graph, safety } = context.analysis;
  const s = risk.situation;
  included.add(s.id);
  const hazards = graph.targets(s, 'arisesFrom');
  for (const r of [...hazards, ...risk.contributors, ...risk.controls.map((c) => c.control)])
    included.add(r.id);
  const harm = text(s.fields.harm);
  const residual = residualRiskOf(risk);
  const benefitRisk = text(s.fields.benefitRisk);
  const needed = residual !== undefined && !residual.acceptable;
  const problems = graph.sources(s, 'hazardousSituations', 'problem-report').filter(isActive);
  const anomalies = graph.sources(s, 'hazardousSituations', 'vulnerability-evaluation').filter(isActive);
  for (const r of [...problems, ...anomalies]) included.add(r.id);
  const rows: (readonly [string, readonly Inline[]])[] = [
    ['Hazards', hazards.length > 0 ? refs(hazards) : [NOT_RECORDED]],
    ['Harm', harm ? [{ text: harm }] : [NOT_RECORDED]],
    [
      'Initial risk (ISO 14971 5.5, 6)',
      risk.initial
        ? estimateInlines(risk.initial)
        : [
            { strong: 'not evaluated' },
            ...prose(`: ${initialUnevaluatedBecause(risk, safety.policy !== undefined)}`),
          ],
    ],
    [
      'Software items that can contribute (7.1.1)',
      risk.contributors.length > 0
        ? refs(risk.contributors)
        : [{ text: 'no software item records a contribution' }],
    ],
    [
      'Residual risk (ISO 14971 7.3)',
      residual
        ? [
            ...estimateInlines(residual, false),
            ...(risk.residual ? [] : [{ text: ' (no risk control: the initial risk)' }]),
          ]
        : [{ strong: 'not evaluated' }, ...prose(`: ${residualUnevaluatedBecause(risk)}`)],
    ],
    [
      'Benefit–risk (ISO 14971 7.4)',
      benefitRisk
        ? [{ text: benefitRisk }]
        : needed
          ? [NOT_RECORDED]
          : residual
            ? [{ text: 'not needed: the residual risk is acceptable' }]
            : [{ text: 'not determined: the residual risk is not evaluated' }],
    ],
  ];
  // With controls, the table below lists them in priority order with their verification.
  if (risk.controls.length === 0)
    rows.splice(4, 0, [
      'Risk control measures (ISO 14971 7.1)',
      risk.initial?.acceptable
        ? [{ text: 'none recorded (the initial risk is acceptable)' }]
        : [{ strong: 'no risk control recorded' }],
    ]);
  if (problems.length > 0) rows.push(['Problem reports (9.5)', refs(problems)]);
  if (anomalies.length > 0) rows.push(['SOUP anomaly evaluations (7.1.3)', refs(anomalies)]);
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: `4.${n} ${s.id} ${s.title}`, anchor: s.id },
    { kind: 'fields', rows },
  ];
  if (!risk.initial)
    blocks.push({
      kind: 'not-recorded',
      what: `the initial risk estimate of ${s.id}`,
      clause: 'ISO 14971 5.5',
    });
  if (needed && !benefitRisk)
    blocks.push({
      kind: 'not-recorded',
      what: `the benefit–risk conclusion of ${s.id}, whose residual risk is unacceptable (field benefitRisk)`,
      clause: 'ISO 14971 7.4',
    });
  const sequence = Array.isArray(s.fields.sequenceOfEvents)
    ? (s.fields.sequenceOfEvents as unknown[]).filter(
        (e): e is string => typeof e === 'string' && e.trim() !== '',
      )
    : [];
  if (sequence.length > 0) {
    blocks.push(
      { kind: 'paragraph', inlines: [{ text: 'Sequence of events (ISO 14971 Annex C):' }] },
      { kind: 'list', items: sequence.map((e, i) => [{ text: `(${i + 1}) ${e}` }]) },
    );
  } else {
    blocks.push({
      kind: 'not-recorded',
      what: `the sequence of events that leads to ${s.id} (field sequenceOfEvents)`,
      clause: 'ISO 14971 5.4, Annex C',
    });
  }
  if (s.text.trim() !== '') blocks.push({ kind: 'record-text', recordId: s.id, markdown: s.text });
  if (risk.controls.length > 0) {
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Risk control measure', width: 4 },
        { title: 'Option (ISO 14971 7.1)', width: 2 },
        { title: 'Implemented in', width: 2 },
        { title: 'Implementation verified by (7.3.1)', width: 3 },
        { title: 'Effectiveness verified by (ISO 14971 7.2)', width: 3 },
      ],
      rows: risk.controls.map((c) => {
        for (const t of [...c.implementation, ...c.effectiveness]) included.add(t.id);
        return [
          [{ ref: c.control.id }, { text: ` ${c.control.title}` }],
          [{ text: OPTION_LABEL[String(c.control.fields.option)] ?? 'not recorded' }],
          [{ text: implementedIn(c.control) }],
          c.implementation.length > 0 ? refs(c.implementation) : [{ strong: 'no test recorded' }],
          c.effectiveness.length > 0 ? refs(c.effectiveness) : [{ strong: 'no test recorded' }],
        ];
      }),
    });
  }
  return blocks;
}

function implementedIn(control: DossierRecord): string {
  const where = text(control.fields.implementedIn);
  if (!where) return 'not recorded';
  return where === 'software'
    ? 'software (inside the software system)'
    : `${where} (outside the software system)`;
}

function itemBlocks(context: DocumentContext, included: Set<string>): Block[] {
  const { graph, safety } = context.analysis;
  const analysed = analyseItems(graph, safety.risks);
  const items = [...analysed.keys()].sort(compareById);
  const blocks: Block[] = [
    {
      kind: 'heading',
      level: 1,
      text: '5 Software items that can contribute and their causes (IEC 62304 7.1.1, 7.1.2, 7.1.4)',
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'The outcome of the hazard analysis of each software item (7.1.1): the hazardous situations it can contribute to, or why it cannot. Silence is never read as "cannot contribute".',
        },
      ],
    },
  ];
  if (items.length === 0) {
    blocks.push({ kind: 'not-recorded', what: 'no software item', clause: '5.3.1, 7.1.1' });
    return blocks;
  }
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Software item', width: 4 },
      { title: 'Outcome of the hazard analysis', width: 3 },
      { title: 'Hazardous situations, or why none', width: 5 },
    ],
    rows: items.map((item) => {
      included.add(item.id);
      const a = analysed.get(item)!;
      const outcome: Inline[] =
        a.outcome === 'contributes'
          ? [{ text: 'can contribute' }]
          : a.outcome === 'no-contribution'
            ? [{ text: 'cannot contribute' }]
            : a.outcome === 'composite'
              ? [{ text: 'composite: answered by its parts' }]
              : [{ strong: 'not analysed' }];
      return [
        [{ ref: item.id }, { text: ` ${item.title}` }],
        outcome,
        a.outcome === 'contributes'
          ? refs(a.situations)
          : a.noContribution !== undefined
            ? [{ text: a.noContribution }]
            : a.outcome === 'composite'
              ? refs(graph.childrenOf(item).filter(isActive))
              : [{ strong: 'neither contributions nor noContribution recorded (4.3 a)' }],
      ];
    }),
  });
  const notAnalysed = items.filter((i) => analysed.get(i)!.outcome === 'not-analysed');
  if (notAnalysed.length > 0)
    blocks.push({
      kind: 'not-recorded',
      what: `the hazard analysis outcome of ${notAnalysed.map((i) => i.id).join(', ')}`,
      clause: '4.3 a, 7.1.1',
    });
  const contributing = items.filter(
    (i) => analysed.get(i)!.outcome === 'contributes' || causesOf(i).length > 0,
  );
  contributing.forEach((item, n) => {
    const causes = causesOf(item);
    const situations = analysed.get(item)!.situations;
    blocks.push({ kind: 'heading', level: 2, text: `5.${n + 1} ${item.id} ${item.title}`, anchor: item.id });
    if (causes.length > 0) {
      blocks.push({
        kind: 'table',
        columns: [
          { title: 'Hazardous situation', width: 2 },
          { title: 'Cause category (7.1.2)', width: 3 },
          { title: 'Cause', width: 7 },
          { title: 'Risk controls (7.2.1)', width: 2 },
        ],
        rows: causes.map((cause) => {
          const category = CATEGORY.get(cause.category);
          const description: Inline[] = [{ text: cause.description }];
          if (cause.soup) {
            included.add(cause.soup);
            const soup = graph.get(cause.soup);
            description.push(
              { text: ' SOUP: ' },
              { ref: cause.soup },
              ...(soup ? [{ text: ` ${soup.title}` }] : []),
            );
          }
          for (const id of cause.controls ?? []) included.add(id);
          return [
            [{ ref: cause.situation }],
            [{ text: category ? `${category.clause}: ${category.label}` : cause.category }],
            description,
            (cause.controls ?? []).length > 0
              ? idRefs(cause.controls!)
              : [{ strong: 'no risk control recorded' }],
          ];
        }),
      });
      const soupWithout = causes.filter((c) => c.category === 'soup' && !c.soup);
      if (soupWithout.length > 0)
        blocks.push({
          kind: 'not-recorded',
          what: `the SOUP item of ${plural(soupWithout.length, 'SOUP cause')} of ${item.id}`,
          clause: '7.1.2 c',
        });
    }
    const uncaused = situations.filter((s) => !causes.some((c) => c.situation === s.id));
    if (uncaused.length > 0)
      blocks.push({
        kind: 'not-recorded',
        what: `the causes by which ${item.id} can contribute to ${uncaused.map((s) => s.id).join(', ')} (field causes)`,
        clause: '7.1.2, 7.1.4',
      });
  });
  return blocks;
}

function controlBlocks(
  context: DocumentContext,
  control: DossierRecord,
  verification: ControlVerification | undefined,
  result: (testId: string) => Inline[],
  included: Set<string>,
): Block[] {
  const { graph } = context.analysis;
  included.add(control.id);
  const mitigates = graph.targets(control, 'mitigates').filter(isActive);
  const requirements = graph.requirementsImplementing(control).filter(isActive).sort(compareById);
  for (const r of [...mitigates, ...requirements]) included.add(r.id);
  const inSoftware = control.fields.implementedIn === 'software';
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: `${control.id} ${control.title}`, anchor: control.id },
    {
      kind: 'fields',
      rows: [
        ['Option (ISO 14971 7.1)', [{ text: OPTION_LABEL[String(control.fields.option)] ?? 'not recorded' }]],
        ['Implemented in', [{ text: implementedIn(control) }]],
        [
          'Mitigates',
          mitigates.length > 0 ? refs(mitigates) : [{ strong: 'no hazardous situation recorded' }],
        ],
        [
          'Software requirements (7.2.2 a, 5.2.3)',
          requirements.length > 0
            ? refs(requirements)
            : inSoftware
              ? [NOT_RECORDED]
              : [{ text: 'not applicable: implemented outside the software system' }],
        ],
      ],
    },
  ];
  if (inSoftware && requirements.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: `the software requirement that implements ${control.id}`,
      clause: '7.2.2 a, 5.2.3',
    });
  blocks.push(
    control.text.trim() === ''
      ? {
          kind: 'not-recorded',
          what: `the description of ${control.id}`,
          clause: 'ISO 14971 7.1; IEC 62304 7.2.1',
        }
      : { kind: 'record-text', recordId: control.id, markdown: control.text },
  );
  if (!verification) {
    blocks.push({
      kind: 'not-recorded',
      what: `the verification of ${control.id}: it mitigates no active hazardous situation, so the risk analysis does not evaluate it`,
      clause: '7.3.1; ISO 14971 7.2',
    });
    return blocks;
  }
  const tests = [
    ...new Map(
      [...verification.implementation, ...verification.effectiveness].map((t) => [t.id, t]),
    ).values(),
  ].sort(compareById);
  if (tests.length > 0) {
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Test', width: 5 },
        { title: 'Verifies', width: 3 },
        { title: `Result on ${context.baseline}`, width: 4 },
      ],
      rows: tests.map((t) => {
        included.add(t.id);
        const what = [
          ...(verification.implementation.includes(t) ? ['implementation'] : []),
          ...(verification.effectiveness.includes(t) ? ['effectiveness'] : []),
        ];
        return [[{ ref: t.id }, { text: ` ${t.title}` }], [{ text: what.join(', ') }], result(t.id)];
      }),
    });
  }
  if (verification.implementation.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: `a test that verifies the implementation of ${control.id}`,
      clause: '7.3.1',
    });
  if (verification.effectiveness.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: `a test that shows ${control.id} is effective (field verifiesEffectiveness of a test)`,
      clause: 'ISO 14971 7.2',
    });
  return blocks;
}

function residualBlocks(
  context: DocumentContext,
  risks: readonly SituationRisk[],
  included: Set<string>,
): Block[] {
  const { analysis } = context;
  const { safety } = analysis;
  const device = analysis.project.config.device.name;
  const residuals = risks.map((r) => ({ risk: r, residual: residualRiskOf(r) }));
  const acceptable = residuals.filter((r) => r.residual?.acceptable).length;
  const unacceptable = residuals.filter((r) => r.residual && !r.residual.acceptable);
  const unevaluated = residuals.filter((r) => !r.residual).length;
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '7 Residual risk (ISO 14971 7.3, 7.4)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `Of ${plural(risks.length, 'hazardous situation')}, ${acceptable} ${acceptable === 1 ? 'has' : 'have'} an acceptable residual risk, ${unacceptable.length} an unacceptable one and ${unevaluated} no evaluated residual risk.`,
        },
      ],
    },
  ];
  if (risks.length > 0) {
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Hazardous situation', width: 5 },
        { title: 'Initial risk', width: 3 },
        { title: 'Residual risk', width: 3 },
        { title: 'Benefit–risk (7.4)', width: 3 },
      ],
      rows: residuals.map(({ risk, residual }) => {
        included.add(risk.situation.id);
        const recorded = text(risk.situation.fields.benefitRisk) !== undefined;
        return [
          [{ ref: risk.situation.id }, { text: ` ${risk.situation.title}` }],
          risk.initial ? estimateInlines(risk.initial, false) : [{ strong: 'not evaluated' }],
          residual ? estimateInlines(residual, false) : [{ strong: 'not evaluated' }],
          recorded
            ? [{ text: 'recorded (section 4)' }]
            : residual && !residual.acceptable
              ? [NOT_RECORDED]
              : residual
                ? [{ text: 'not needed' }]
                : [{ text: 'not determined' }],
        ];
      }),
    });
  }
  if (unevaluated > 0)
    blocks.push({
      kind: 'not-recorded',
      what: `the residual risk of ${residuals
        .filter((r) => !r.residual)
        .map((r) => r.risk.situation.id)
        .join(', ')}`,
      clause: 'ISO 14971 7.3',
    });
  const missingBenefit = unacceptable.filter((r) => text(r.risk.situation.fields.benefitRisk) === undefined);
  if (missingBenefit.length > 0)
    blocks.push({
      kind: 'not-recorded',
      what: `the benefit–risk conclusion of ${missingBenefit.map((r) => r.risk.situation.id).join(', ')}`,
      clause: 'ISO 14971 7.4',
    });
  blocks.push({ kind: 'heading', level: 2, text: '7.1 Risk matrices before and after risk control' });
  if (!safety.policy) {
    blocks.push({
      kind: 'not-recorded',
      what: 'the risk matrices: no risk scales and acceptability matrix in dossier.yaml (risk:)',
      clause: 'ISO 14971 4.4 d',
    });
  } else {
    blocks.push(
      {
        kind: 'diagram',
        name: 'matrix-initial',
        svg: renderRisk(safety, 'svg', device, 'initial'),
        caption:
          'Initial risk: hazardous situations per severity and probability of harm, before risk control (ISO 14971 5.5, 6)',
      },
      {
        kind: 'diagram',
        name: 'matrix-residual',
        svg: renderRisk(safety, 'svg', device, 'residual'),
        caption:
          'Residual risk: hazardous situations per severity and probability of harm after risk control (ISO 14971 7.3); a situation without a residual estimate is listed as not evaluated',
      },
    );
  }
  blocks.push({
    kind: 'not-recorded',
    what: 'the overall residual risk evaluation and the risk management review: the records of this project do not hold them (the risk management report does)',
    clause: 'ISO 14971 8, 9',
  });
  return blocks;
}
