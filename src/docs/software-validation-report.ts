/**
 * Software Validation Report (FDA Computer Software Assurance; ISO 13485:2016 4.1.6, 7.5.6): the
 * record of the validation of one version of production or quality system software for its intended
 * use, in the order the guidance asks for it (V.A(6)): the intended use, the risk-based analysis
 * (each feature's process risk and why), the assurance activities and their results, the issues
 * found and their disposition, the conclusion, who decided and when. Built only for
 * `profile: production-software` projects (src/docs/registry.ts), from the one assessment the rules
 * use (src/csa/assurance.ts); what the records do not say is said, never left out.
 */
import {
  type AssuranceEvidence,
  assessCsa,
  CSA_ASSURANCE,
  decisionFor,
  type FeatureAssurance,
  intendedUseOf,
  systemName,
} from '../csa/assurance.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type DocumentContext, documentOf, refs } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import { labelledText } from './verification-common.js';

export const SVR_KEY = 'SVR';
export const SVR_TITLE = 'Software Validation Report';

const METHOD_LABEL: Readonly<Record<string, string>> = {
  scripted: 'scripted testing',
  unscripted: 'unscripted testing',
  'ad-hoc': 'ad-hoc testing',
  'vendor-evidence': 'vendor evidence',
};

const para = (...inlines: Inline[]): Block => ({ kind: 'paragraph', inlines });
const heading = (level: 1 | 2 | 3, text: string, anchor?: string): Block => ({
  kind: 'heading',
  level,
  text,
  ...(anchor ? { anchor } : {}),
});
const field = (record: DossierRecord, name: string): Inline[] => {
  const value = record.fields[name];
  return value === undefined || value === '' ? [{ strong: 'not recorded' }] : [{ text: String(value) }];
};
const evidenceCell = (evidence: readonly AssuranceEvidence[]): Inline[] =>
  evidence.length === 0
    ? [{ strong: 'none' }]
    : evidence.flatMap((e, i) => [
        ...(i > 0 ? [{ text: '; ' }] : []),
        { ref: e.id },
        e.counts
          ? { text: ` (${METHOD_LABEL[e.method]}): ${e.note}` }
          : { strong: ` (${METHOD_LABEL[e.method]}): ${e.note}` },
      ]);
const statusCell = (f: FeatureAssurance): Inline[] =>
  f.missing.length === 0 ? [{ text: 'complete' }] : [{ strong: `MISSING: ${f.missing.join('; ')}` }];

export function softwareValidationReport(context: DocumentContext): DocumentModel {
  const { graph, project } = context.analysis;
  const config = project.config;
  const version = config.software.version ?? context.baseline;
  const assessment = assessCsa(graph, version);
  const intendedUse = intendedUseOf(graph, config.software.system);
  const decision = decisionFor(graph, version);
  const included = new Set<string>();
  const blocks: Block[] = [
    heading(1, '1 Purpose and scope'),
    para({
      text: `This report records the validation of ${systemName(graph, config.software.system)} version ${version}, software used by ${config.device.manufacturer} in production or in the quality system for ${config.device.name}, for its intended use. It follows the risk-based approach of the FDA guidance "${CSA_ASSURANCE.guidance}" and meets ISO 13485:2016 4.1.6 and 7.5.6 (incorporated by 21 CFR 820, which replaced 820.70(i)): each feature's assurance is chosen by its process risk, and no more evidence is kept than the risk needs.`,
    }),
    heading(1, '2 Intended use'),
  ];
  if (!intendedUse) {
    blocks.push({
      kind: 'not-recorded',
      what: `an intended-use record (dossier.yaml software.system is ${config.software.system})`,
      clause: 'FDA CSA V.A(1)',
    });
  } else {
    included.add(intendedUse.id);
    blocks.push(
      { kind: 'record-text', recordId: intendedUse.id, markdown: intendedUse.text },
      {
        kind: 'fields',
        rows: [
          ['Record', [{ ref: intendedUse.id }]],
          ['Supplier', field(intendedUse, 'supplier')],
          ['Deployment', field(intendedUse, 'deployment')],
          ['Processes', field(intendedUse, 'processes')],
          ['Users and reviews of its output', field(intendedUse, 'users')],
          ['Version validated', [{ text: version }]],
        ],
      },
    );
  }

  blocks.push(
    heading(1, '3 Risk-based analysis'),
    para({
      text: `A feature has high process risk when its failure may cause a quality problem that foreseeably compromises safety; every other feature is not high (FDA CSA V.A(2)). High: ${CSA_ASSURANCE.levels.high.why} Not high: ${CSA_ASSURANCE.levels['not-high'].why}`,
    }),
  );
  if (assessment.features.length === 0) {
    blocks.push({ kind: 'not-recorded', what: 'no feature record', clause: 'FDA CSA V.A(2)' });
  } else {
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Feature', width: 3 },
        { title: 'Process risk', width: 1 },
        { title: 'Rationale', width: 5 },
        { title: 'Assurance chosen', width: 2 },
      ],
      rows: assessment.features.map((f) => [
        [{ ref: f.feature.id }, { text: ` ${f.feature.title}` }],
        f.risk ? [{ text: f.risk }] : [{ strong: 'NOT DETERMINED' }],
        f.rationale ? [{ text: f.rationale.trim() }] : [{ strong: 'not recorded' }],
        f.planned.length > 0
          ? [{ text: f.planned.map((m) => METHOD_LABEL[m]).join(', ') }]
          : [{ strong: 'not recorded' }],
      ]),
    });
  }

  blocks.push(
    heading(1, '4 Assurance activities and results'),
    para({
      text: `Assurance recorded for each feature on version ${version}, and what its risk level still needs.`,
    }),
  );
  if (assessment.features.length > 0)
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Feature', width: 2 },
        { title: 'Risk', width: 1 },
        { title: 'Evidence', width: 6 },
        { title: 'Status', width: 3 },
      ],
      rows: assessment.features.map((f) => [
        [{ ref: f.feature.id }],
        [{ text: f.risk ?? 'not determined' }],
        evidenceCell(f.evidence),
        statusCell(f),
      ]),
    });
  for (const f of assessment.features) {
    included.add(f.feature.id);
    blocks.push(heading(2, `${f.feature.id} ${f.feature.title}`, f.feature.id), {
      kind: 'record-text',
      recordId: f.feature.id,
      markdown: f.feature.text,
    });
  }
  blocks.push(...scriptedTests(context, version, included), ...activities(context, included));

  blocks.push(heading(1, '5 Issues found and their disposition'), ...issues(context, assessment.features));

  blocks.push(heading(1, '6 Conclusion'));
  const incomplete = assessment.features.filter((f) => f.missing.length > 0);
  blocks.push(
    para(
      { text: 'Assurance on the records: ' },
      incomplete.length === 0 && assessment.features.length > 0 && intendedUse
        ? { text: `complete: every feature has the assurance its process risk needs on ${version}.` }
        : {
            strong: `INCOMPLETE: ${[
              intendedUse ? undefined : 'no intended use',
              assessment.features.length === 0 ? 'no feature' : undefined,
              incomplete.length > 0
                ? `${incomplete.map((f) => f.feature.id).join(', ')} lack assurance`
                : undefined,
            ]
              .filter(Boolean)
              .join('; ')}.`,
          },
    ),
  );
  if (!decision) {
    blocks.push({
      kind: 'not-recorded',
      what: `a validation-decision record for version ${version}`,
      clause: 'FDA CSA V.A(6)',
    });
  } else {
    included.add(decision.id);
    blocks.push(
      {
        kind: 'fields',
        rows: [
          ['Decision', [{ ref: decision.id }, { text: ' ' }, { strong: String(decision.fields.decision) }]],
          ['Restrictions of use', field(decision, 'restrictions')],
          ['Decided by', field(decision, 'decidedBy')],
          ['Date', field(decision, 'date')],
          ['Record status', [{ text: decision.status }]],
        ],
      },
      { kind: 'record-text', recordId: decision.id, markdown: decision.text },
    );
  }
  return documentOf(context, SVR_KEY, SVR_TITLE, blocks, included);
}

function scriptedTests(context: DocumentContext, version: string, included: Set<string>): Block[] {
  const { graph } = context.analysis;
  const tests = graph
    .ofKind('test')
    .filter((t) => isActive(t) && graph.targets(t, 'verifies').some((r) => r.kind === 'feature'))
    .sort(compareById);
  const runs = graph
    .ofKind('test-run')
    .filter((r) => isActive(r) && String(r.fields.version) === version)
    .sort(compareById);
  const blocks: Block[] = [heading(2, 'Scripted tests')];
  if (tests.length === 0) return [...blocks, para({ text: 'No scripted test is recorded.' })];
  for (const t of tests) {
    included.add(t.id);
    blocks.push(
      heading(3, `${t.id} ${t.title}`, t.id),
      {
        kind: 'fields',
        rows: [['Tests', refs(graph.targets(t, 'verifies'))]],
      },
      ...labelledText(t, 'procedure', 'Procedure', { what: 'the procedure', clause: 'FDA CSA V.A(6)' }),
      ...labelledText(t, 'expectedResults', 'Expected results', {
        what: 'the expected results',
        clause: 'FDA CSA V.A(6)',
      }),
      ...labelledText(t, 'acceptanceCriteria', 'Acceptance criteria', {
        what: 'the acceptance criteria',
        clause: 'FDA CSA V.A(6)',
      }),
    );
  }
  blocks.push(heading(3, `Test runs on ${version}`));
  if (runs.length === 0) {
    blocks.push({ kind: 'not-recorded', what: `a test run on ${version}`, clause: 'FDA CSA V.A(6)' });
    return blocks;
  }
  for (const r of runs) included.add(r.id);
  blocks.push({
    kind: 'table',
    columns: [
      { title: 'Run', width: 1 },
      { title: 'Date', width: 1 },
      { title: 'Executed by', width: 2 },
      { title: 'Environment', width: 4 },
      { title: 'Report', width: 2 },
    ],
    rows: runs.map((r) => {
      const report = r.fields.report as { file: string; sha256: string } | undefined;
      return [
        [{ ref: r.id }],
        field(r, 'date'),
        field(r, 'executedBy'),
        field(r, 'environment'),
        report
          ? [{ code: report.file }, { text: ` sha256 ${report.sha256.slice(0, 12)}…` }]
          : [{ text: 'recorded by hand' }],
      ];
    }),
  });
  return blocks;
}

function activities(context: DocumentContext, included: Set<string>): Block[] {
  const list = context.analysis.graph.ofKind('assurance-activity').filter(isActive).sort(compareById);
  const blocks: Block[] = [heading(2, 'Unscripted, ad-hoc and vendor assurance')];
  if (list.length === 0) return [...blocks, para({ text: 'No such activity is recorded.' })];
  for (const a of list) {
    included.add(a.id);
    blocks.push(
      heading(3, `${a.id} ${a.title}`, a.id),
      {
        kind: 'fields',
        rows: [
          ['Method', [{ text: METHOD_LABEL[String(a.fields.method)] ?? String(a.fields.method) }]],
          ['Features', refs(context.analysis.graph.targets(a, 'assures'))],
          ['Version', field(a, 'version')],
          ['Date', field(a, 'date')],
          ['Performed by', field(a, 'performedBy')],
          [
            'Outcome',
            a.fields.outcome === 'passed' ? [{ text: 'passed' }] : [{ strong: String(a.fields.outcome) }],
          ],
          ['Objective evidence', field(a, 'evidence')],
        ],
      },
      { kind: 'record-text', recordId: a.id, markdown: a.text },
    );
  }
  return blocks;
}

function issues(context: DocumentContext, features: readonly FeatureAssurance[]): Block[] {
  const rows: Inline[][][] = [];
  for (const a of context.analysis.graph.ofKind('assurance-activity').filter(isActive).sort(compareById)) {
    for (const issue of (a.fields.issues as
      | { description: string; disposition: string; note?: string }[]
      | undefined) ?? [])
      rows.push([
        [{ ref: a.id }],
        [{ text: issue.description }],
        issue.disposition === 'open' ? [{ strong: 'open' }] : [{ text: issue.disposition }],
        [{ text: issue.note ?? '' }],
      ]);
  }
  for (const f of features)
    for (const e of f.evidence)
      if (e.method === 'scripted' && !e.counts)
        rows.push([
          [{ ref: e.id }],
          [{ text: `scripted test of ${f.feature.id}: ${e.note}` }],
          [{ strong: 'open' }],
          [{ text: '' }],
        ]);
  if (rows.length === 0) return [para({ text: 'No issue was recorded.' })];
  return [
    {
      kind: 'table',
      columns: [
        { title: 'Found in', width: 1 },
        { title: 'Issue', width: 5 },
        { title: 'Disposition', width: 1 },
        { title: 'Note', width: 4 },
      ],
      rows,
    },
  ];
}
