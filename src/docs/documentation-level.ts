/**
 * The Documentation Level Evaluation (FDA "Content of Premarket Submissions for Device Software
 * Functions", June 2023, section V and element VI.A): the level, Basic or Enhanced, for the whole
 * device, and its rationale, as Dossier computes it (src/safety/documentation-level.ts): Enhanced
 * when a failure or latent flaw of any device software function could present a hazardous
 * situation with a probable risk of death or serious injury, assessed before risk control; the
 * device facts FDA says generally warrant Enhanced (class III, combination product, blood
 * establishment software); the hazardous situations the evaluation rests on, with their severity
 * and probability of harm when the software fails; and the IEC 62304 software safety class beside
 * it (4.3: a different question). What the records do not say (a situation without an estimate,
 * device facts not given) is said. Pure over the context.
 */

import { compareById, type DossierRecord } from '../model/record.js';
import { probableThreshold } from '../safety/documentation-level.js';
import type { SituationRisk } from '../safety/risk-evaluation.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import { excerpt } from './soup-baseline.js';

const NOT_RECORDED: Inline[] = [{ strong: 'not recorded' }];

export function documentationLevelEvaluation(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { project, safety } = analysis;
  const config = project.config;
  const level = safety.documentationLevel;
  const policy = safety.policy;
  const included = new Set<string>();
  const threshold = probableThreshold(config, policy);
  const yesNo = (value: boolean | undefined, field: string, absent = 'not recorded'): Inline[] =>
    value === undefined
      ? [{ strong: absent }, { text: ` (${field} in dossier.yaml)` }]
      : [{ text: value ? 'yes' : 'no' }];

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This evaluation states the documentation level of the software of ${config.device.name}, version ${baseline}, and its rationale (FDA guidance "Content of Premarket Submissions for Device Software Functions", 2023, section V; documentation element A). The level is one for the whole device. It is Enhanced when a failure or latent flaw of any device software function could present a hazardous situation with a probable risk of death or serious injury to a patient, user or bystander, assessed before risk control measures; otherwise Basic.`,
        },
      ],
    },
    { kind: 'heading', level: 1, text: '2 Documentation level' },
    { kind: 'paragraph', inlines: [{ text: 'Documentation level: ' }, { strong: level.level }] },
    { kind: 'paragraph', inlines: [{ text: level.rationale }] },
    { kind: 'heading', level: 1, text: '3 What the evaluation considers' },
    {
      kind: 'fields',
      rows: [
        [
          'Severities that are death or serious injury',
          policy
            ? [
                {
                  text:
                    policy.severities
                      .filter((s) => s.serious)
                      .map((s) => s.label)
                      .join(', ') || 'none',
                },
              ]
            : NOT_RECORDED,
        ],
        [
          'Lowest probability that counts as "probable"',
          threshold
            ? [
                {
                  text: `${threshold.label} (${config.fda?.probableThreshold ? 'fda.probableThreshold in dossier.yaml' : 'the default: the second level of the probability scale'})`,
                },
              ]
            : NOT_RECORDED,
        ],
        [
          'FDA device class',
          config.device.deviceClass
            ? [{ text: config.device.deviceClass }]
            : yesNo(undefined, 'device.deviceClass'),
        ],
        [
          'Constituent of a combination product',
          yesNo(config.device.combinationProduct, 'device.combinationProduct'),
        ],
        [
          'Blood establishment computer software',
          yesNo(config.device.bloodEstablishmentSoftware, 'device.bloodEstablishmentSoftware'),
        ],
        [
          'Cyber device (cybersecurity is part of the assessment)',
          yesNo(config.device.cyberDevice, 'device.cyberDevice', 'not declared'),
        ],
        [
          'Rationale for Basic despite the device facts',
          config.fda?.basicRationale
            ? [{ text: config.fda.basicRationale }]
            : [{ text: 'none given (fda.basicRationale)' }],
        ],
      ],
    },
  ];
  if (!policy)
    blocks.push({
      kind: 'not-recorded',
      what: 'the risk policy (severity and probability scales, `risk:` in dossier.yaml), so no risk can be estimated and the level cannot rest on the risk analysis',
      clause: 'ISO 14971 4.2, 5.5; FDA 2023 guidance section V',
    });
  for (const [value, field, what] of [
    [config.device.deviceClass, 'device.deviceClass', 'the FDA device class'],
    [
      config.device.combinationProduct,
      'device.combinationProduct',
      'whether the device is a constituent of a combination product',
    ],
    [
      config.device.bloodEstablishmentSoftware,
      'device.bloodEstablishmentSoftware',
      'whether the software is blood establishment computer software',
    ],
  ] as const) {
    if (value === undefined)
      blocks.push({
        kind: 'not-recorded',
        what: `${what} (${field} in dossier.yaml); the evaluation takes it as not so`,
        clause: 'FDA 2023 guidance section V',
      });
  }

  // The risk records the evaluation rests on.
  const software = [...safety.risks]
    .filter((r) => r.contributors.length > 0)
    .sort((a, b) => compareById(a.situation, b.situation));
  const others = safety.risks.length - software.length;
  const counted = new Set(level.situations);
  blocks.push(
    { kind: 'heading', level: 1, text: '4 The hazardous situations the evaluation rests on' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `The evaluation reads every active hazardous situation to which a software item can contribute (contributesTo, or a recorded cause, IEC 62304 7.1): ${software.length} of ${safety.risks.length}. The software failure is taken as certain, so the probability is that of harm once the hazardous situation occurs (P2), before any risk control.${others > 0 ? ` ${others} other hazardous situation${others === 1 ? '' : 's'} no software item contributes to ${others === 1 ? 'does' : 'do'} not bear on the level.` : ''}`,
        },
      ],
    },
  );
  if (software.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: 'any hazardous situation a software item contributes to (contributesTo or causes of the software items): the level rests on the device facts alone',
      clause: 'IEC 62304 7.1; ISO 14971 5.4',
    });
  else
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Hazardous situation', width: 2 },
        { title: 'Title', width: 5 },
        { title: 'Severity', width: 2 },
        { title: 'Probability of harm, software failed', width: 3 },
        { title: 'Probable death or serious injury', width: 2 },
        { title: 'Software items', width: 3 },
      ],
      rows: software.map((r) => situationRow(r, counted, included)),
    });
  const unestimated = software.filter((r) => r.softwareFailureUncontrolled === undefined);
  if (unestimated.length > 0)
    blocks.push({
      kind: 'not-recorded',
      what: `a risk estimate (severity, and P2 or the probability of harm) for ${unestimated.map((r) => r.situation.id).join(', ')}: until it is recorded, a probable risk of death or serious injury cannot be ruled out`,
      clause: 'ISO 14971 5.5',
    });

  // The software safety class: a different question.
  const system = safety.system;
  blocks.push(
    { kind: 'heading', level: 1, text: '5 Software safety class (IEC 62304 4.3)' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'The software safety class answers a different question (what harm the software can contribute to after risk control measures external to the software) and sets the IEC 62304 activities; the documentation level sets what is submitted to FDA. Neither follows from the other.',
        },
      ],
    },
  );
  if (system) {
    const record = analysis.graph.get(system.id);
    if (record) included.add(record.id);
    const byClass = new Map<string, number>();
    for (const item of safety.items)
      byClass.set(item.computedClass, (byClass.get(item.computedClass) ?? 0) + 1);
    blocks.push({
      kind: 'fields',
      rows: [
        ['Software system', [{ ref: system.id }, { text: ` ${system.title}` }]],
        [
          'Class of the system',
          [
            { text: `${system.computedClass} as computed` },
            { text: system.declaredClass ? `; declared ${system.declaredClass}` : '; none declared' },
          ],
        ],
        [
          'Software items by class',
          [
            {
              text:
                [...byClass]
                  .sort()
                  .map(([c, n]) => `class ${c}: ${n}`)
                  .join(', ') || 'no items',
            },
          ],
        ],
        ['Basis of the class', [{ text: system.bases.join(', ') }]],
        [
          'Hazardous situations that force it',
          system.forcing.length > 0
            ? refs(system.forcing.flatMap((id) => analysis.graph.get(id) ?? []))
            : [{ text: 'none' }],
        ],
      ],
    });
  } else {
    blocks.push({
      kind: 'not-recorded',
      what: `the software system record ${config.software.system} (software.system in dossier.yaml names no active software item)`,
      clause: 'IEC 62304 4.3',
    });
  }
  blocks.push(
    { kind: 'heading', level: 1, text: '6 What the level changes' },
    {
      kind: 'list',
      items: [
        [
          { strong: 'F Software design specification:' },
          { text: ' submitted at Enhanced; at Basic kept in the design history file (FDA may ask for it).' },
        ],
        [
          { strong: 'G Development, configuration management and maintenance practices:' },
          {
            text: ' at Enhanced, the complete configuration management and maintenance plans, or a declaration of conformity to IEC 62304 covering a broader set of clauses.',
          },
        ],
        [
          { strong: 'H Software testing:' },
          { text: ' at Enhanced, also the unit and integration test protocols and reports.' },
        ],
        [
          {
            text: 'The other elements (A to E, I, J) are the same at both levels. The level changes what is submitted, not what is kept: the design file holds every document the software safety class requires.',
          },
        ],
      ],
    },
  );
  return documentOf(context, 'DLE', 'Documentation Level Evaluation', blocks, included);
}

function situationRow(r: SituationRisk, counted: ReadonlySet<string>, included: Set<string>): Inline[][] {
  included.add(r.situation.id);
  for (const item of r.contributors) included.add(item.id);
  const e = r.softwareFailureUncontrolled;
  const title: DossierRecord = r.situation;
  return [
    [{ ref: r.situation.id }],
    [{ text: excerpt(title.title) }],
    e ? [{ text: e.severity.label }] : NOT_RECORDED,
    e ? [{ text: e.probability.label }] : [{ strong: 'not estimated' }],
    !e
      ? [{ strong: 'cannot be ruled out' }]
      : counted.has(r.situation.id)
        ? [{ strong: 'yes' }]
        : [{ text: 'no' }],
    refs(r.contributors),
  ];
}
