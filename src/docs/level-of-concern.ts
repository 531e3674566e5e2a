/**
 * The Level of Concern statement (FDA "Guidance for the Content of Premarket Submissions for
 * Software Contained in Medical Devices", May 2005; superseded in June 2023 by "Content of Premarket
 * Submissions for Device Software Functions", which asks for a documentation level instead). Written
 * from the `levelOfConcern` questionnaire of dossier.yaml, answered before mitigation, with the level
 * Dossier derives from it (src/safety/documentation-level.ts: Major, Moderate or Minor). Without the
 * questionnaire the document says that no level is configured and why the statement is legacy; it
 * never states a level the project did not answer for. Pure over the context.
 */

import { type DocumentContext, documentOf } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';

/** The questionnaire of dossier.yaml, in the order of the 2005 guidance (Major, then Moderate). */
const QUESTIONS = [
  ['bloodEstablishmentSoftware', 'Major', 'Is the software Blood Establishment Computer Software?'],
  [
    'combinationWithDrugOrBiologic',
    'Major',
    'Is the device intended to be used in combination with a drug or biologic?',
  ],
  [
    'accessoryToMajorDevice',
    'Major',
    'Is the device an accessory to a medical device of Major level of concern?',
  ],
  [
    'failureCouldCauseDeathOrSeriousInjury',
    'Major',
    'Could a failure or latent design flaw of the software, before mitigation, result in death or serious injury to a patient or operator?',
  ],
  [
    'accessoryToModerateDevice',
    'Moderate',
    'Is the device an accessory to a medical device of Moderate level of concern?',
  ],
  [
    'failureCouldCauseMinorInjury',
    'Moderate',
    'Could a malfunction or latent design flaw, before mitigation, lead to an erroneous diagnosis or a delay in delivery of appropriate care that would likely lead to minor injury?',
  ],
] as const;

const LEGACY =
  'The Level of Concern comes from the FDA guidance "Guidance for the Content of Premarket Submissions for Software Contained in Medical Devices" (2005). FDA superseded it in June 2023 with "Content of Premarket Submissions for Device Software Functions", under which a submission states a documentation level (Basic or Enhanced) instead: see the Documentation Level Evaluation (DLE). A Level of Concern statement is needed only where a programme still refers to the 2005 guidance (a submission prepared under it, or a file that cites it).';

export function levelOfConcernStatement(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const config = analysis.project.config;
  const answers = config.levelOfConcern;
  const loc = analysis.safety.levelOfConcern;
  const blocks: Block[] = [{ kind: 'heading', level: 1, text: '1 Status of this statement' }];
  if (!answers || !loc) {
    blocks.push(
      {
        kind: 'paragraph',
        inlines: [
          { strong: 'No Level of Concern is stated.' },
          {
            text: ` dossier.yaml has no levelOfConcern questionnaire for ${config.device.name}, so no level is stated: the 2005 questions are the manufacturer's to answer, and Dossier does not derive a level from the risk records.`,
          },
        ],
      },
      { kind: 'paragraph', inlines: [{ text: LEGACY }] },
      {
        kind: 'not-recorded',
        what: 'the answers to the Level of Concern questions (levelOfConcern in dossier.yaml), needed only for a legacy programme',
        clause: 'FDA 2005 software guidance, Level of Concern',
      },
      {
        kind: 'paragraph',
        inlines: [
          { text: `The current documentation level of software version ${baseline} is ` },
          { strong: analysis.safety.documentationLevel.level },
          { text: ' (DLE).' },
        ],
      },
    );
    return documentOf(context, 'LOC', 'Level of Concern Statement', blocks, []);
  }
  blocks.push(
    { kind: 'paragraph', inlines: [{ text: LEGACY }] },
    { kind: 'heading', level: 1, text: '2 Level of Concern' },
    {
      kind: 'paragraph',
      inlines: [
        { text: `The software of ${config.device.name}, version ${baseline}, is of ` },
        { strong: `${loc.level} level of concern` },
        { text: '.' },
      ],
    },
    { kind: 'paragraph', inlines: [{ text: loc.rationale }] },
    { kind: 'heading', level: 1, text: '3 The questions, answered before mitigation' },
    {
      kind: 'table',
      columns: [
        { title: 'Question', width: 8 },
        { title: 'Leads to', width: 2 },
        { title: 'Answer', width: 1 },
      ],
      rows: QUESTIONS.map(([key, leadsTo, question]): Inline[][] => [
        [{ text: question }],
        [{ text: leadsTo }],
        answers[key] ? [{ strong: 'yes' }] : [{ text: 'no' }],
      ]),
    },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: 'Major if any Major question is answered yes; otherwise Moderate if any Moderate question is; otherwise Minor. The answers are those of dossier.yaml (levelOfConcern), given by the manufacturer; Dossier does not derive them from the risk records.',
        },
      ],
    },
    { kind: 'heading', level: 1, text: '4 Relation to the documentation level' },
    {
      kind: 'paragraph',
      inlines: [
        { text: 'The 2023 documentation level of the same software is ' },
        { strong: analysis.safety.documentationLevel.level },
        {
          text: ' (DLE). The two are not a mapping of each other: roughly, Minor and Moderate correspond to Basic and Major to Enhanced, but the 2023 guidance decides with a different test (a probable risk of death or serious injury before risk control).',
        },
      ],
    },
  );
  return documentOf(context, 'LOC', 'Level of Concern Statement', blocks, []);
}
