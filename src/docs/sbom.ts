/**
 * The SBOM and vulnerability assessment summary (FD&C Act 524B(b)(3); FDA premarket cybersecurity
 * guidance: software bill of materials with level of support and end of support per component, and
 * the assessment of known vulnerabilities; IEC 62304 7.1.3): the components of the baseline's
 * software version (the same SbomDocument the SBOM files are written from), where the
 * machine-readable SBOM and VEX files are (src/build/soup-stage.ts), how known vulnerabilities were
 * looked for (advisory data per ecosystem, its age, and the SOUP no advisory database can match),
 * each finding with its evaluation (VEX status), and what is still open. "Not scanned" is never
 * shown as "no vulnerabilities": an ecosystem without advisory data, and SOUP no database can name,
 * are said to be not checked. Pure over the context.
 */

import { SOUP_FILES } from '../build/soup-stage.js';
import { advisoryMaxAgeDays } from '../model/config.js';
import { compareById } from '../model/record.js';
import { anomalyReviewOf, vulnerabilityReviewGap } from '../soup/anomaly-review.js';
import { coverageOf, freshnessAt, staleText } from '../soup/coverage.js';
import { cvssText } from '../soup/cvss/ratings.js';
import { kevLabel } from '../soup/kev/catalog.js';
import { epssLabel } from '../soup/kev/epss.js';
import type { SbomComponent, VexStatement } from '../soup/sbom/types.js';
import { needsEvaluation, type SoupFinding, unmatchableWhy } from '../soup/scan.js';
import { type DocumentContext, documentOf } from './context.js';
import type { Block, DocumentModel, Inline } from './model.js';
import { baselineDate, excerpt, sbomOfBaseline, supportCell } from './soup-baseline.js';

const NOT_RECORDED: Inline[] = [{ strong: 'not recorded' }];
const VEX_LABEL: Record<VexStatement['status'], string> = {
  affected: 'affected',
  under_investigation: 'under investigation',
  fixed: 'fixed',
  not_affected: 'not affected',
};

export function sbomSummary(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project } = analysis;
  const config = project.config;
  const sbom = sbomOfBaseline(context);
  const components = [...sbom.components].sort(compareById);
  const inSbom = new Set(components.map((c) => c.id));
  const included = new Set<string>(components.map((c) => c.id));
  const referenceDate = baselineDate(context) ?? context.date;
  const maxAge = advisoryMaxAgeDays(config);
  const scan = analysis.soupScan;
  const cyber = config.device.cyberDevice;

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `This summary accompanies the software bill of materials (SBOM) of ${config.device.name}, software version ${baseline} (FD&C Act section 524B(b)(3); FDA premarket cybersecurity guidance). It lists the ${components.length} component${components.length === 1 ? '' : 's'} with their supplier, identifier, level of support and end of support, says how known vulnerabilities were looked for and against which data, and gives each known vulnerability found with its evaluation (IEC 62304 7.1.3). ${
            cyber === true
              ? 'dossier.yaml declares the device a cyber device (device.cyberDevice: true): the SBOM is required content of the premarket submission.'
              : cyber === false
                ? 'dossier.yaml declares the device not a cyber device (device.cyberDevice: false); FDA still recommends an SBOM for every device with software.'
                : 'whether the device is a cyber device is not declared in dossier.yaml (device.cyberDevice): it is treated as one.'
          }`,
        },
      ],
    },
    { kind: 'heading', level: 1, text: '2 Machine-readable files' },
    {
      kind: 'paragraph',
      inlines: [
        { code: 'dossier build' },
        {
          text: ' writes the SBOM and the evaluations from the same records into its output folder, beside documents/. They are the files to submit; this summary is their reading guide.',
        },
      ],
    },
    {
      kind: 'table',
      columns: [
        { title: 'File', width: 3 },
        { title: 'Content', width: 6 },
      ],
      rows: [
        [
          [{ code: SOUP_FILES.cycloneDx }],
          [{ text: 'SBOM, CycloneDX 1.6 (NTIA minimum elements, FDA support properties)' }],
        ],
        [[{ code: SOUP_FILES.spdx }], [{ text: 'SBOM, SPDX 2.3' }]],
        [[{ code: SOUP_FILES.vexCycloneDx }], [{ text: 'Vulnerability evaluations as CycloneDX VEX' }]],
        [[{ code: SOUP_FILES.openVex }], [{ text: 'Vulnerability evaluations as OpenVEX' }]],
        [[{ code: SOUP_FILES.soupListMarkdown }], [{ text: 'SOUP list for reading (also as CSV)' }]],
        [
          [{ code: SOUP_FILES.scanJson }],
          [{ text: 'The advisory scan (also as text); written only when advisory data was loaded' }],
        ],
      ],
    },
    { kind: 'heading', level: 1, text: '3 Components' },
  ];

  if (components.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: `any SOUP item in software version ${baseline}, so the SBOM lists no component`,
      clause: 'FD&C 524B(b)(3); IEC 62304 8.1.2',
    });
  } else {
    const direct = components.filter((c) => c.dependency === 'direct').length;
    const transitive = components.filter((c) => c.dependency === 'transitive').length;
    blocks.push(
      {
        kind: 'paragraph',
        inlines: [
          {
            text: `${components.length} component${components.length === 1 ? '' : 's'}: ${direct} direct, ${transitive} transitive, ${components.length - direct - transitive} whose dependency relation is not recorded. The SOUP List (SOUP) gives each one's requirements and anomaly list review.`,
          },
        ],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Component', width: 4 },
          { title: 'Version', width: 2 },
          { title: 'Supplier', width: 3 },
          { title: 'Identifier', width: 4 },
          { title: 'Support (FDA)', width: 3 },
          { title: 'Vulnerability scan', width: 2 },
        ],
        rows: components.map((c) => [
          [{ ref: c.id }, { text: ` ${c.name}` }],
          [{ text: c.version }],
          c.supplier ? [{ text: c.supplier }] : NOT_RECORDED,
          c.purl ? [{ code: c.purl }] : NOT_RECORDED,
          supportCell(c, referenceDate),
          scanCell(c),
        ]),
      },
    );
    const noSupport = components.filter((c) => c.supportLevel === undefined || !c.endOfSupport);
    if (noSupport.length > 0)
      blocks.push({
        kind: 'not-recorded',
        what: `a level of support or an end-of-support date for ${noSupport.length} component${noSupport.length === 1 ? '' : 's'}: ${ids(noSupport)}`,
        clause: 'FDA premarket cybersecurity guidance, SBOM',
      });
    const unknownLevel = components.filter((c) => c.supportLevel === 'unknown');
    if (unknownLevel.length > 0)
      blocks.push({
        kind: 'paragraph',
        inlines: [
          { strong: 'Level of support recorded as unknown:' },
          { text: ` ${ids(unknownLevel)} (the SOUP List gives each one's justification).` },
        ],
      });
    const noSupplier = components.filter((c) => !c.supplier);
    if (noSupplier.length > 0)
      blocks.push({
        kind: 'not-recorded',
        what: `the supplier of ${ids(noSupplier)}`,
        clause: 'NTIA minimum elements; IEC 62304 8.1.2 b',
      });
    const ended = components.filter(
      (c) =>
        (c.endOfSupport !== undefined && c.endOfSupport < referenceDate) ||
        c.supportLevel === 'no-longer-maintained' ||
        c.supportLevel === 'abandoned',
    );
    if (ended.length > 0)
      blocks.push({
        kind: 'paragraph',
        inlines: [
          { strong: `Out of support on ${referenceDate}:` },
          {
            text: ` ${ids(ended)}. Each needs its justification for continued use (supportJustification, shown in the SOUP List) and a plan to replace it.`,
          },
        ],
      });
  }

  // How known vulnerabilities were looked for.
  const coverage = freshnessAt(coverageOf(analysis.advisoryCoverage, inSbom), referenceDate, maxAge);
  const unmatchable = components.filter((c) => unmatchableWhy(graph.get(c.id)!) !== undefined);
  blocks.push(
    { kind: 'heading', level: 1, text: '4 How known vulnerabilities were looked for' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `Each component whose package URL names an ecosystem of the OSV advisory format is matched by version against the advisory data loaded for that ecosystem, and each component with a CPE name against the NVD CVEs loaded; "no known vulnerability" means something only where that data is there and at most ${maxAge} days old on ${referenceDate} (advisories.maxAgeDays). Components no advisory database can name (C and C++ libraries, vendored code) rely on the review of their anomaly list, which must say that it covered vulnerabilities and from which sources (7.1.3).`,
        },
      ],
    },
  );
  if (!scan)
    blocks.push({
      kind: 'not-recorded',
      what: 'advisory data: none was loaded when this document was built, so no component was matched against advisory data and no finding below can be read as "no vulnerabilities" (dossier advisories import, or sync)',
      clause: 'IEC 62304 7.1.3; FD&C 524B',
    });
  if (coverage.length > 0)
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'Ecosystem', width: 2 },
        { title: 'Components', width: 1 },
        { title: 'Advisory data', width: 3 },
        { title: 'State', width: 4 },
      ],
      rows: coverage.map((f) => [
        [{ text: f.ecosystem }],
        [{ text: String(f.items) }],
        f.status === 'no-data'
          ? [{ strong: 'none loaded' }]
          : [
              {
                text: `${f.advisories} advisor${f.advisories === 1 ? 'y' : 'ies'}, newest ${f.newestModified?.slice(0, 10) ?? 'undated'}`,
              },
            ],
        f.status === 'no-data'
          ? [{ strong: 'NOT SCANNED: no advisory data' }]
          : f.status === 'stale'
            ? [{ strong: 'STALE: ' }, { text: staleText(f, referenceDate, maxAge) }]
            : f.status === 'unused'
              ? [{ text: 'no component of this version uses it' }]
              : [{ text: `scanned; data ${f.ageDays ?? '?'} days old` }],
      ]),
    });
  const notScanned = coverage.filter((f) => f.status === 'no-data' && f.items > 0);
  for (const f of notScanned)
    blocks.push({
      kind: 'not-recorded',
      what: `a check of the ${f.items} ${f.ecosystem} component${f.items === 1 ? '' : 's'} against advisory data: no ${f.ecosystem} advisory data was loaded, so their known vulnerabilities were not checked`,
      clause: 'IEC 62304 7.1.3; FD&C 524B',
    });
  if (unmatchable.length > 0) {
    blocks.push(
      { kind: 'heading', level: 2, text: '4.1 Components no advisory database can match' },
      {
        kind: 'table',
        columns: [
          { title: 'Component', width: 3 },
          { title: 'Why not matchable', width: 4 },
          { title: 'Vulnerabilities reviewed by hand (7.1.3)', width: 5 },
        ],
        rows: unmatchable.map((c) => {
          const record = graph.get(c.id)!;
          const why = unmatchableWhy(record)!;
          const review = anomalyReviewOf(record);
          const gap = vulnerabilityReviewGap(review);
          return [
            [{ ref: c.id }, { text: ` ${c.name}` }],
            [{ text: excerpt(why) }],
            gap
              ? [{ strong: 'NOT COVERED: ' }, { text: gap }]
              : [{ text: `yes, ${review!.date}: ${review!.sources!.join('; ')}` }],
          ];
        }),
      },
    );
    const uncovered = unmatchable.filter(
      (c) => vulnerabilityReviewGap(anomalyReviewOf(graph.get(c.id)!)) !== undefined,
    );
    if (uncovered.length > 0)
      blocks.push({
        kind: 'not-recorded',
        what: `a review of known vulnerabilities for ${ids(uncovered)}, which no advisory database can match`,
        clause: 'IEC 62304 7.1.3',
      });
  }

  // Findings and their evaluations.
  blocks.push({ kind: 'heading', level: 1, text: '5 Known vulnerabilities and their evaluation' });
  const findings = (scan?.findings ?? []).filter((f) => inSbom.has(f.soupId));
  if (!scan)
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: 'No advisory scan was run for this document, so which advisories affect the components is not known here; the evaluations recorded so far follow.',
        },
      ],
    });
  if (scan) {
    const open = findings.filter(needsEvaluation);
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `The advisory scan matched ${scan.scanned} component${scan.scanned === 1 ? '' : 's'} and found ${findings.length} advisor${findings.length === 1 ? 'y' : 'ies'} affecting the versions in use${findings.length === 0 ? '' : open.length === 0 ? ', each with a current evaluation' : `, ${open.length} of them without a current evaluation`}. ${notScanned.length > 0 || unmatchable.length > 0 ? 'This covers only the components scanned (section 4).' : ''}`.trim(),
        },
      ],
    });
    if (findings.length > 0)
      blocks.push({
        kind: 'table',
        columns: [
          { title: 'Advisory', width: 3 },
          { title: 'Component', width: 3 },
          { title: 'Summary', width: 5 },
          { title: 'Evaluation', width: 2 },
          { title: 'VEX status', width: 3 },
        ],
        rows: findings.map((f) => findingRow(f, included)),
      });
    if (open.length > 0)
      blocks.push({
        kind: 'not-recorded',
        what: `a current evaluation of ${open.length} advisor${open.length === 1 ? 'y' : 'ies'} affecting SOUP in use: ${open.map((f) => `${f.advisory} (${f.soupId})`).join(', ')}`,
        clause: 'IEC 62304 7.1.3; FD&C 524B',
      });
    const orphans = scan.orphanEvaluations.filter((e) => inSbom.has(e.links.soup?.[0] ?? ''));
    if (orphans.length > 0)
      blocks.push({
        kind: 'paragraph',
        inlines: [
          { strong: 'Evaluations that match no current finding:' },
          {
            text: ` ${orphans.map((e) => e.id).join(', ')} (the advisory no longer applies to the version in use, or names it differently).`,
          },
        ],
      });
  }
  const statements = [...sbom.vex].sort(compareById);
  blocks.push({ kind: 'heading', level: 2, text: '5.1 Recorded evaluations (VEX)' });
  if (statements.length === 0)
    blocks.push({
      kind: 'paragraph',
      inlines: [{ text: 'No vulnerability evaluation is recorded for the components of this version.' }],
    });
  for (const s of statements) blocks.push(...evaluationBlocks(s, context, included));

  // What is open, in one place.
  const problems: Inline[][] = [];
  const unevaluated = findings.filter(needsEvaluation);
  if (!scan) problems.push([{ strong: 'No advisory data was loaded: no component was scanned.' }]);
  for (const f of notScanned)
    problems.push([
      {
        text: `${f.items} ${f.ecosystem} component${f.items === 1 ? '' : 's'} not scanned: no ${f.ecosystem} advisory data.`,
      },
    ]);
  for (const f of coverage.filter((x) => x.status === 'stale'))
    problems.push([{ text: `${staleText(f, referenceDate, maxAge)}.` }]);
  if (unevaluated.length > 0)
    problems.push([
      {
        text: `${unevaluated.length} finding${unevaluated.length === 1 ? '' : 's'} without a current evaluation.`,
      },
    ]);
  for (const s of statements.filter((x) => x.status === 'affected' || x.status === 'under_investigation'))
    problems.push([
      { ref: s.id },
      { text: ` ${s.vulnerability} in ${s.componentId}: ${VEX_LABEL[s.status]}.` },
    ]);
  const noSupport = components.filter((c) => c.supportLevel === undefined || !c.endOfSupport).length;
  if (noSupport > 0)
    problems.push([
      {
        text: `${noSupport} component${noSupport === 1 ? '' : 's'} without a level of support or end-of-support date.`,
      },
    ]);
  const unknownSupport = components.filter((c) => c.supportLevel === 'unknown').length;
  if (unknownSupport > 0)
    problems.push([
      {
        text: `${unknownSupport} component${unknownSupport === 1 ? '' : 's'} whose level of support is unknown.`,
      },
    ]);
  const endedSupport = components.filter(
    (c) => c.endOfSupport !== undefined && c.endOfSupport < referenceDate,
  ).length;
  if (endedSupport > 0)
    problems.push([
      { text: `${endedSupport} component${endedSupport === 1 ? '' : 's'} past their end of support.` },
    ]);
  blocks.push({ kind: 'heading', level: 1, text: '6 Open points' });
  blocks.push(
    problems.length > 0
      ? { kind: 'list', items: problems }
      : {
          kind: 'paragraph',
          inlines: [
            {
              text: 'None: every component was scanned against current advisory data or reviewed by hand for vulnerabilities, every finding has a current evaluation, none is affected or under investigation, and every component has its support information.',
            },
          ],
        },
  );
  return documentOf(context, 'SBOM', 'SBOM and Vulnerability Assessment Summary', blocks, included);
}

function ids(components: readonly SbomComponent[]): string {
  return components.map((c) => c.id).join(', ');
}

function scanCell(c: SbomComponent): Inline[] {
  switch (c.vulnerabilityScan) {
    case 'scanned':
      return [{ text: 'scanned' }];
    case 'not-matchable':
      return vulnerabilityReviewGap(c.anomalyReview) !== undefined
        ? [{ strong: 'not scanned, not reviewed' }]
        : [{ text: 'reviewed by hand' }];
    default:
      return [{ strong: 'NOT SCANNED' }];
  }
}

function findingRow(f: SoupFinding, included: Set<string>): Inline[][] {
  const evaluation = f.evaluation;
  if (evaluation) included.add(evaluation.id);
  const others = f.ids.filter((id) => id !== f.advisory);
  return [
    [{ text: f.advisory }, ...(others.length > 0 ? [{ text: ` (${others.join(', ')})` }] : [])],
    [{ ref: f.soupId }, { text: ` ${f.version}` }],
    [
      { text: f.summary ? excerpt(f.summary) : 'no summary' },
      ...(f.informational ? [{ text: ` (${f.informational} notice)` }] : []),
    ],
    evaluation ? [{ ref: evaluation.id }] : [{ strong: 'NOT EVALUATED' }],
    !evaluation
      ? [{ strong: 'none' }]
      : f.staleBecause
        ? [{ strong: 'OUT OF DATE: ' }, { text: f.staleBecause }]
        : [
            {
              text:
                VEX_LABEL[evaluation.fields.state as VexStatement['status']] ??
                String(evaluation.fields.state),
            },
          ],
  ];
}

function evaluationBlocks(s: VexStatement, context: DocumentContext, included: Set<string>): Block[] {
  const { graph } = context.analysis;
  const record = graph.get(s.id);
  included.add(s.id);
  for (const id of [s.componentId, ...s.hazardousSituations, ...s.riskControls])
    if (graph.get(id)) included.add(id);
  const list = (values: readonly string[]): Inline[] =>
    values.flatMap((id, i) => (i === 0 ? [{ ref: id }] : [{ text: ', ' }, { ref: id }]));
  const rows: (readonly [string, readonly Inline[]])[] = [
    [
      'Advisory',
      [{ text: s.vulnerability }, ...(s.aliases.length > 0 ? [{ text: ` (${s.aliases.join(', ')})` }] : [])],
    ],
    ['Component', [{ ref: s.componentId }]],
    [
      'VEX status',
      [
        { strong: VEX_LABEL[s.status] },
        ...(s.justification ? [{ text: ` (${s.justification.replace(/_/g, ' ')})` }] : []),
      ],
    ],
    ['Impact', s.impact ? [{ text: s.impact }] : NOT_RECORDED],
    [
      'Action',
      s.action
        ? [{ text: s.action }]
        : s.status === 'affected'
          ? [{ strong: 'none recorded' }]
          : [{ text: 'none needed' }],
    ],
    [
      'Hazardous situations',
      s.hazardousSituations.length > 0 ? list(s.hazardousSituations) : [{ text: 'none linked' }],
    ],
    ['Risk controls', s.riskControls.length > 0 ? list(s.riskControls) : [{ text: 'none linked' }]],
    ['Evaluated', [{ text: `${s.date}${s.reviewer ? `, ${s.reviewer}` : ''}` }]],
    [
      'CVSS',
      s.cvss && s.cvss.length > 0
        ? [{ text: s.cvss.map(cvssText).join('; ') }]
        : [{ text: 'no CVSS vector published (or no current finding)' }],
    ],
    // FDA premarket cybersecurity guidance: exploitation status from CISA's KEV catalog.
    [
      'Known exploited (CISA KEV)',
      s.kev?.status === 'listed' ? [{ strong: kevLabel(s.kev) }] : [{ text: kevLabel(s.kev) }],
    ],
    ['Exploit prediction (FIRST EPSS)', [{ text: epssLabel(s.epss) }]],
  ];
  const text = record?.text.trim() ? record.text : undefined;
  return [
    { kind: 'heading', level: 3, text: `${s.id} ${record?.title ?? s.vulnerability}`, anchor: s.id },
    { kind: 'fields', rows },
    ...(text ? [{ kind: 'record-text', recordId: s.id, markdown: text } as const] : []),
  ];
}
