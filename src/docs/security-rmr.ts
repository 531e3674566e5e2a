/**
 * The Security Risk Management Report (FDA premarket cybersecurity guidance V.A; AAMI SW96; eSTAR
 * cybersecurity section): the threat model, the security risk assessment (exploitability, not
 * probability), the security controls by the eight categories of Appendix 1, the traceability
 * threat → risk → control → requirement → test, the security testing and the four security
 * architecture views, from the same report `dossier security` prints (src/security/). Written only
 * for a project with security records. What the records do not say is a not-recorded block or a
 * "missing" cell, never left out. Pure over the context.
 */
import {
  controlItems,
  hasSecurityRecords as projectHasSecurityRecords,
  type SecurityReport,
  securityReport,
} from '../security/security-report.js';
import { securityViews } from '../security/security-views.js';
import { type DocumentContext, documentOf } from './context.js';
import type { Block, Inline } from './model.js';

const CAPTION: Record<string, string> = {
  'global-system':
    'Global system view: the interfaces of the threat model by trust boundary, external ones marked',
  'multi-patient-harm': 'Multi-patient harm view: how one compromise could harm several patients',
  updatability: 'Updatability and patchability view: the update path to fielded devices and its controls',
  'security-use-cases': 'Security use case views: per threat, entry point → threat → controls → asset',
};

export const SRMR_KEY = 'SRMR';
export const SRMR_TITLE = 'Security Risk Management Report';

/** The project has security records: the report is part of its package. */
export function hasSecurityRecords(context: DocumentContext): boolean {
  return projectHasSecurityRecords(context.analysis.graph);
}

const t = (text: string): Inline => ({ text });
const MISSING: Inline[] = [{ strong: 'missing' }];
const refList = (ids: readonly string[], none: Inline[] = [t('—')]): Inline[] =>
  ids.length === 0 ? none : ids.flatMap((id, i) => (i === 0 ? [{ ref: id }] : [t(', '), { ref: id }]));

function estimateCell(e: SecurityReport['risks'][number]['initial']): Inline[] {
  return e
    ? [
        t(`${e.impactLabel} × ${e.exploitabilityLabel}: `),
        e.acceptable ? t('acceptable') : { strong: 'unacceptable' },
      ]
    : [t('not estimated')];
}

const ACCEPTABILITY: Record<SecurityReport['risks'][number]['acceptability'], Inline[]> = {
  acceptable: [t('acceptable')],
  unacceptable: [{ strong: 'UNACCEPTABLE' }],
  accepted: [t('unacceptable, accepted with rationale')],
  'not-estimated': [{ strong: 'not estimated' }],
};

export function securityRiskManagementReport(context: DocumentContext) {
  const { graph, project } = context.analysis;
  const report = securityReport(graph, project.config);
  const included = new Set<string>();
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        t(
          `This report is the security risk management of ${report.device}, software version ${context.baseline}, kept separate from and linked to the safety risk management file (FDA premarket cybersecurity guidance V.A; ANSI/AAMI SW96). Security risk is estimated by exploitability, not probability, and by impact, on the scales and acceptability matrix of the project configuration.`,
        ),
      ],
    },
  ];
  if (!report.policy) {
    blocks.push({
      kind: 'not-recorded',
      what: 'the security risk policy (dossier.yaml securityRisk): no security risk is estimated',
    });
  }

  blocks.push({ kind: 'heading', level: 1, text: '2 Threat model' });
  if (report.threatModels.length === 0)
    blocks.push({ kind: 'not-recorded', what: 'a threat model (threat-model record)' });
  for (const m of report.threatModels) {
    included.add(m.id);
    for (const c of m.covers) included.add(c.id);
    blocks.push(
      { kind: 'heading', level: 2, text: `${m.id} ${m.title}`, anchor: m.id },
      {
        kind: 'fields',
        rows: [
          ['Method', m.method ? [t(m.method)] : MISSING],
          ['Scope', m.scope ? [t(m.scope)] : [t('not stated')]],
          [
            'Covers',
            refList(
              m.covers.map((c) => c.id),
              MISSING,
            ),
          ],
          ['Trust boundaries', [t(m.trustBoundaries.map((b) => b.name).join('; ') || 'none recorded')]],
          ['Assumptions', [t(m.assumptions.join(' ') || 'none recorded')]],
        ],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Interface' },
          { title: 'Protocol' },
          { title: 'External' },
          { title: 'Boundary' },
          { title: 'Threats' },
        ],
        rows: m.interfaces.map((i) => [
          [t(`${i.name} (${i.key})`)],
          [t(i.protocol ?? '—')],
          [t(i.external ? 'external' : 'internal')],
          [t(i.boundary ?? '—')],
          refList(i.threats, [{ strong: 'none: not assessed' }]),
        ]),
      },
    );
  }
  if (report.threats.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: 'Threats' });
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Threat' },
        { title: 'STRIDE' },
        { title: 'Entry points' },
        { title: 'Assets' },
        { title: 'Security risks' },
      ],
      rows: report.threats.map((th) => {
        included.add(th.id);
        return [
          [{ ref: th.id }, t(` ${th.title}`)],
          [t(th.stride.join(', '))],
          [t(th.entryPoints.join(', ') || '—')],
          [t(th.assets.join(', ') || '—')],
          refList(th.risks, MISSING),
        ];
      }),
    });
  }

  blocks.push({ kind: 'heading', level: 1, text: '3 Security risk assessment' });
  if (report.risks.length === 0)
    blocks.push({ kind: 'not-recorded', what: 'security risks (security-risk records)' });
  else
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Security risk', width: 3 },
        { title: 'Before control', width: 2 },
        { title: 'Controls', width: 1 },
        { title: 'After control', width: 2 },
        { title: 'Acceptability', width: 2 },
        { title: 'Hazardous situations', width: 1 },
      ],
      rows: report.risks.map((r) => {
        included.add(r.id);
        for (const h of r.hazardousSituations) included.add(h.id);
        return [
          [
            { ref: r.id },
            t(
              ` ${r.title}${r.multiPatientHarm ? ' (multi-patient harm)' : r.patientHarm ? ' (patient harm)' : ''}`,
            ),
          ],
          estimateCell(r.initial),
          refList(r.controls, [t('none')]),
          r.residual ? estimateCell(r.residual) : [t('not estimated: the estimate before control stands')],
          [...ACCEPTABILITY[r.acceptability], ...(r.acceptance ? [t(`: ${r.acceptance}`)] : [])],
          refList(
            r.hazardousSituations.map((h) => h.id),
            [t('none linked')],
          ),
        ];
      }),
    });

  blocks.push(
    { kind: 'heading', level: 1, text: '4 Security controls (FDA guidance, Appendix 1)' },
    {
      kind: 'table',
      columns: [{ title: 'Category' }, { title: 'Controls' }],
      rows: report.controlCategories.map((c) => [[t(c.label)], refList(c.controls, [{ strong: 'none' }])]),
    },
  );
  if (report.controls.length > 0)
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Control' },
        { title: 'Categories' },
        { title: 'Requirements' },
        { title: 'Verified by' },
      ],
      rows: report.controls.map((c) => {
        included.add(c.id);
        return [
          [{ ref: c.id }, t(` ${c.title}`)],
          [t(c.categories.join(', '))],
          refList(c.requirements, MISSING),
          refList([...c.tests, ...c.securityTests], MISSING),
        ];
      }),
    });

  blocks.push({
    kind: 'heading',
    level: 1,
    text: '5 Traceability: threat → risk → control → requirement → test',
  });
  if (report.trace.length === 0)
    blocks.push({ kind: 'not-recorded', what: 'threats, security risks or controls to trace' });
  else
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Threat' },
        { title: 'Risk' },
        { title: 'Control' },
        { title: 'Requirement' },
        { title: 'Tests' },
      ],
      rows: report.trace.map((row) => {
        const notNeeded = row.controlNeeded === false;
        return [
          row.threat ? [{ ref: row.threat }] : MISSING,
          row.risk ? [{ ref: row.risk }] : MISSING,
          row.control ? [{ ref: row.control }] : notNeeded ? [t('none needed (acceptable)')] : MISSING,
          row.requirement ? [{ ref: row.requirement }] : notNeeded ? [t('—')] : MISSING,
          refList(row.tests, notNeeded ? [t('—')] : MISSING),
        ];
      }),
    });

  blocks.push({ kind: 'heading', level: 1, text: '6 Security testing' });
  if (report.testing.length === 0)
    blocks.push({ kind: 'not-recorded', what: 'security testing (security-test records)' });
  else
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Test' },
        { title: 'Type' },
        { title: 'Tester, independence' },
        { title: 'Version' },
        { title: 'Findings' },
      ],
      rows: report.testing.map((s) => {
        included.add(s.id);
        return [
          [{ ref: s.id }, t(` ${s.title}`)],
          [t(s.testType)],
          s.tester
            ? [
                t(
                  `${s.tester.name}: ${s.tester.independent ? 'independent' : 'not independent'}${s.tester.independence ? ` (${s.tester.independence})` : ''}`,
                ),
              ]
            : [{ strong: 'not recorded' }],
          [t(s.softwareVersion ?? 'not recorded')],
          [
            t(
              s.findings.total === 0
                ? 'none'
                : `${s.findings.total}: ${s.findings.open} open, ${s.findings.resolved} resolved, ${s.findings['problem-report']} to problem report, ${s.findings.accepted} accepted`,
            ),
          ],
        ];
      }),
    });

  blocks.push({ kind: 'heading', level: 1, text: '7 Security architecture views' });
  for (const view of securityViews(report, controlItems(graph))) {
    blocks.push({ kind: 'diagram', name: view.key, svg: view.svg, caption: CAPTION[view.key] ?? view.title });
  }
  return documentOf(context, SRMR_KEY, SRMR_TITLE, blocks, included);
}
