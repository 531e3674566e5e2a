/**
 * The human-readable SOUP list reviewers ask for: identification (IEC 62304 8.1.2), requirements
 * (5.3.3, 5.3.4), anomaly-list review (7.1.3), FDA level of support and end of support, and the
 * vulnerability evaluations. Markdown for reading, CSV for spreadsheets. All record text is
 * untrusted: escaped for Markdown, formula-neutralised in CSV.
 */

import { csvDocument } from '../../util/csv.js';
import { markdownCell, markdownTableLines } from '../../util/markdown.js';
import { cvssText } from '../cvss/ratings.js';
import { kevLabel } from '../kev/catalog.js';
import { epssLabel } from '../kev/epss.js';
import { normaliseHashes } from './hashes.js';
import {
  compareText,
  componentDependsOn,
  requiredByIndex,
  sortedComponents,
  sortedVex,
} from './structure.js';
import { supportGaps, supportLevelLabel } from './support.js';
import type { SbomComponent, SbomDocument, VexStatement, VexStatus } from './types.js';

/** Statuses in the order a reviewer reads them: open ones first. */
const STATUS_ORDER: readonly VexStatus[] = ['affected', 'under_investigation', 'fixed', 'not_affected'];
const STATUS_LABEL: Readonly<Record<VexStatus, string>> = {
  affected: 'affected',
  under_investigation: 'under investigation',
  fixed: 'fixed',
  not_affected: 'not affected',
};
const DEPENDENCY_LABEL = { direct: 'yes', transitive: 'no (transitive)', unknown: 'unknown' } as const;
const NOT_RECORDED = '*not recorded*';

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}

function statementsByComponent(doc: SbomDocument): Map<string, VexStatement[]> {
  const map = new Map<string, VexStatement[]>();
  for (const s of sortedVex(doc)) map.set(s.componentId, [...(map.get(s.componentId) ?? []), s]);
  return map;
}

function statusCounts(statements: readonly VexStatement[]): [VexStatus, number][] {
  return STATUS_ORDER.map((status): [VexStatus, number] => [
    status,
    statements.filter((s) => s.status === status).length,
  ]).filter(([, n]) => n > 0);
}

/** "none" only when the component was actually matched against advisory data. */
function noneText(component?: SbomComponent): string {
  switch (component?.vulnerabilityScan) {
    case 'not-matchable':
      return component.anomalyReview?.coversVulnerabilities && component.anomalyReview.sources?.length
        ? 'not scanned: no advisory database names it (vulnerabilities reviewed by hand)'
        : 'not scanned: no advisory database names it, and no review covers its vulnerabilities';
    case 'no-data':
      return `not scanned: ${component.vulnerabilityScanNote ?? 'no advisory data loaded'}`;
    default:
      return 'none';
  }
}

function countsText(
  statements: readonly VexStatement[],
  emphasise: boolean,
  component?: SbomComponent,
): string {
  const counts = statusCounts(statements);
  if (counts.length === 0) return noneText(component);
  return counts
    .map(([status, n]) => {
      const text = `${n} ${STATUS_LABEL[status]}`;
      return emphasise && (status === 'affected' || status === 'under_investigation') ? `**${text}**` : text;
    })
    .join(', ');
}

/** One-line cell text; `—` for an empty value. */
function cell(text: string | undefined): string {
  return text?.trim() ? markdownCell(text.trim()) : '—';
}

/** A line that Markdown would read as a heading, list, quote, rule or fence is escaped to stay text. */
function literalLine(line: string): string {
  return line.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([#>*+=~`-])/, '\\$1');
}

/**
 * Multi-line record text as Markdown paragraphs: each line escaped like a table cell, block syntax
 * neutralised, line breaks kept as hard breaks and blank lines as paragraph breaks.
 */
function prose(text: string | undefined): string {
  if (!text?.trim()) return NOT_RECORDED;
  return text
    .trim()
    .split(/\r?\n[ \t]*\r?\n/)
    .map((paragraph) =>
      paragraph
        .split(/\r?\n/)
        .map((line) => literalLine(markdownCell(line.trim())))
        .filter((line) => line.length > 0)
        .join('  \n'),
    )
    .join('\n\n');
}

/** Code span for identifiers (purls, hashes); plain escaped text if the value contains a backtick. */
function code(text: string): string {
  return /[`\r\n]/.test(text) ? markdownCell(text) : `\`${text}\``;
}

function humanJustification(justification: string): string {
  return justification.replace(/_/g, ' ');
}

/** Why a component needs the reviewer's attention; empty when nothing is missing or open. */
function attention(doc: SbomDocument, c: SbomComponent, statements: readonly VexStatement[]): string[] {
  const today = doc.timestamp.slice(0, 10);
  const notes: string[] = [];
  for (const s of statements) {
    if (s.status === 'affected') notes.push(`affected by ${markdownCell(s.vulnerability)}`);
    if (s.status === 'under_investigation')
      notes.push(`${markdownCell(s.vulnerability)} under investigation`);
  }
  const level = c.supportLevel;
  if (level === 'no-longer-maintained' || level === 'abandoned')
    notes.push(`level of support: ${supportLevelLabel(c)}`);
  if (c.endOfSupport && c.endOfSupport < today)
    notes.push(`support ended on ${markdownCell(c.endOfSupport)}`);
  for (const gap of supportGaps(c)) {
    notes.push(
      gap.property.endsWith('level-of-support')
        ? `level of support ${supportLevelLabel(c)}`
        : 'no end-of-support date',
    );
  }
  if (!c.supplier?.trim()) notes.push('no supplier (8.1.2 b)');
  if (!c.purl && (c.hashes ?? []).length === 0) notes.push('no package URL or hash to identify it');
  if (!c.requirements?.trim()) notes.push('no functional and performance requirements (5.3.3)');
  if (!c.systemRequirements?.trim()) notes.push('no system requirements (5.3.4)');
  if (!c.anomalyReview) notes.push('no anomaly list review (7.1.3)');
  if (c.vulnerabilityScan === 'no-data' || c.vulnerabilityScan === 'not-matchable')
    notes.push(`vulnerabilities ${markdownCell(noneText(c))}`);
  return notes;
}

function summaryTable(doc: SbomDocument, byComponent: Map<string, VexStatement[]>): string[] {
  const header = [
    'ID',
    'Name',
    'Version',
    'Supplier',
    'Licence',
    'Direct?',
    'Used by',
    'Class',
    'Support level',
    'End of support',
    'Known vulnerabilities',
  ];
  return markdownTableLines(
    header,
    sortedComponents(doc).map((c) => [
      `[${cell(c.id)}](#${anchor(c)})`,
      cell(c.name),
      cell(c.version),
      cell(c.supplier),
      cell(c.license),
      DEPENDENCY_LABEL[c.dependency],
      cell(uniqueSorted(c.usedBy).join(', ')),
      cell(c.safetyClass),
      cell(supportLevelLabel(c)),
      cell(c.endOfSupport),
      countsText(byComponent.get(c.id) ?? [], true, c),
    ]),
  );
}

/** GitHub-style heading anchor of a component section. */
function anchor(c: SbomComponent): string {
  return c.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}

function propertyTable(
  doc: SbomDocument,
  c: SbomComponent,
  requiredByOf: ReadonlyMap<string, readonly string[]>,
): string[] {
  const hashes = normaliseHashes(c.hashes).map((h) => `${h.cyclonedx} ${code(h.hex)}`);
  const dependsOn = componentDependsOn(doc, c);
  const requiredBy = requiredByOf.get(c.id) ?? [];
  const usedBy = uniqueSorted(c.usedBy);
  const rows: [string, string][] = [
    ['Supplier (8.1.2 b)', cell(c.supplier)],
    ['Version (8.1.2 c)', cell(c.version)],
    ['Package URL', c.purl ? code(c.purl) : '—'],
    ['Licence', cell(c.license)],
    ['Website', cell(c.website)],
    ['Direct dependency of the product', DEPENDENCY_LABEL[c.dependency]],
    ['Depends on', dependsOn.length > 0 ? dependsOn.map(markdownCell).join(', ') : 'nothing'],
    ['Required by', requiredBy.length > 0 ? requiredBy.map(markdownCell).join(', ') : '—'],
    ['Used by', usedBy.length > 0 ? usedBy.map(markdownCell).join(', ') : '—'],
    ['Software safety class', cell(c.safetyClass)],
    ['Level of support (FDA)', cell(supportLevelLabel(c))],
    ['End of support (FDA)', cell(c.endOfSupport)],
    ['Support justification', cell(c.supportJustification)],
    ['Hashes', hashes.length > 0 ? hashes.join('<br>') : '—'],
  ];
  return ['| Property | Value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
}

function evaluation(s: VexStatement): string[] {
  const aliases = uniqueSorted(s.aliases).filter((a) => a !== s.vulnerability);
  const by = s.reviewer?.trim() ? ` by ${markdownCell(s.reviewer.trim())}` : '';
  const lines = [
    `**${markdownCell(s.vulnerability)}**${aliases.length > 0 ? ` (${aliases.map(markdownCell).join(', ')})` : ''}: ` +
      `**${STATUS_LABEL[s.status]}**${s.justification ? ` (${humanJustification(s.justification)})` : ''}. ` +
      `Evaluation ${markdownCell(s.id)}, ${markdownCell(s.date)}${by}.`,
    '',
  ];
  const items: [string, string | undefined][] = [
    ['Advisory', s.summary ? `${cell(s.summary)}${s.source ? ` (${cell(s.source.name)})` : ''}` : undefined],
    ['Impact', s.impact?.trim() ? cell(s.impact) : undefined],
    ['Action', s.action?.trim() ? cell(s.action) : s.status === 'affected' ? '**none recorded**' : undefined],
    [
      'Hazardous situations',
      s.hazardousSituations.length > 0
        ? uniqueSorted(s.hazardousSituations).map(markdownCell).join(', ')
        : undefined,
    ],
    [
      'Risk controls',
      s.riskControls.length > 0 ? uniqueSorted(s.riskControls).map(markdownCell).join(', ') : undefined,
    ],
    // Exploitation context, as the scan showed it: CVSS, CISA KEV and EPSS.
    ['CVSS', s.cvss && s.cvss.length > 0 ? s.cvss.map((r) => cell(cvssText(r))).join('; ') : undefined],
    ['CISA KEV', s.kev ? cell(kevLabel(s.kev)) : undefined],
    ['EPSS', s.epss ? cell(epssLabel(s.epss)) : undefined],
  ];
  const present = items.filter((i): i is [string, string] => i[1] !== undefined);
  return present.length > 0 ? [...lines, ...present.map(([k, v]) => `- ${k}: ${v}`), ''] : lines;
}

function componentSection(
  doc: SbomDocument,
  c: SbomComponent,
  statements: readonly VexStatement[],
  requiredByOf: ReadonlyMap<string, readonly string[]>,
): string[] {
  const review = c.anomalyReview;
  return [
    `<a id="${anchor(c)}"></a>`,
    '',
    `### ${markdownCell(c.id)}: ${markdownCell(c.name)} ${markdownCell(c.version)}`,
    '',
    ...(c.description?.trim() ? [prose(c.description), ''] : []),
    ...propertyTable(doc, c, requiredByOf),
    '',
    '#### Functional and performance requirements (5.3.3)',
    '',
    prose(c.requirements),
    '',
    '#### System hardware and software required (5.3.4)',
    '',
    prose(c.systemRequirements),
    '',
    '#### Published anomaly list review (7.1.3)',
    '',
    review
      ? `Reviewed on ${markdownCell(review.date)}${review.reviewer?.trim() ? ` by ${markdownCell(review.reviewer.trim())}` : ''}${
          review.coversVulnerabilities ? ', vulnerabilities included' : ''
        }.${review.sources?.length ? ` Sources: ${review.sources.map(markdownCell).join('; ')}.` : ''}\n\n${prose(review.conclusion)}`
      : NOT_RECORDED,
    '',
    `#### Known vulnerabilities (${countsText(statements, false, c)})`,
    '',
    ...(statements.length > 0
      ? [...statements]
          .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status))
          .flatMap(evaluation)
      : ['No vulnerability evaluations recorded.', '']),
  ];
}

export function soupListMarkdown(doc: SbomDocument): string {
  const requiredByOf = requiredByIndex(doc);
  const { product } = doc;
  const components = sortedComponents(doc);
  const byComponent = statementsByComponent(doc);
  const known = new Set(components.map((c) => c.id));
  const attached = sortedVex(doc).filter((s) => known.has(s.componentId));
  const relation = (d: SbomComponent['dependency']) => components.filter((c) => c.dependency === d).length;
  const attentionLines = components.flatMap((c) => {
    const notes = attention(doc, c, byComponent.get(c.id) ?? []);
    return notes.length > 0
      ? [
          `- [${markdownCell(c.id)}](#${anchor(c)}) ${markdownCell(c.name)} ${markdownCell(c.version)}: ${notes.join('; ')}`,
        ]
      : [];
  });
  const orphans = sortedVex(doc).filter((s) => !known.has(s.componentId));
  const lines = [
    `# SOUP list: ${markdownCell(product.name)} ${markdownCell(product.version)}`,
    '',
    `- Manufacturer: ${markdownCell(product.manufacturer)}`,
    ...(product.model ? [`- Model: ${markdownCell(product.model)}`] : []),
    `- Software version: ${markdownCell(product.version)}`,
    `- Records as of: ${markdownCell(doc.timestamp)}`,
    `- Prepared by: ${markdownCell(doc.author)}`,
    `- Generated by: ${markdownCell(doc.tool.name)} ${markdownCell(doc.tool.version)}`,
    '',
    'Software of unknown provenance (SOUP) in this software version: identification (IEC 62304 8.1.2),',
    'functional, performance and system requirements (5.3.3, 5.3.4), review of the published anomaly',
    'lists (7.1.3), level of support and end of support (FDA premarket cybersecurity guidance), and the',
    'evaluation of known vulnerabilities.',
    '',
    '## Summary',
    '',
    `${components.length} SOUP item${components.length === 1 ? '' : 's'}: ${relation('direct')} direct, ` +
      `${relation('transitive')} transitive, ${relation('unknown')} of unknown dependency relation. ` +
      `${attached.length} vulnerability evaluation${attached.length === 1 ? '' : 's'}: ${countsText(attached, true)}.`,
    '',
    ...(components.length > 0 ? [...summaryTable(doc, byComponent), ''] : []),
    '## Needs attention',
    '',
    ...(attentionLines.length > 0
      ? attentionLines
      : ['Nothing: every SOUP item is fully described and no vulnerability is open.']),
    ...orphans.map(
      (s) =>
        `- Evaluation ${markdownCell(s.id)} of ${markdownCell(s.vulnerability)} names ${markdownCell(s.componentId)}, which is not in this list`,
    ),
    '',
    '## SOUP items',
    '',
    ...components.flatMap((c) => componentSection(doc, c, byComponent.get(c.id) ?? [], requiredByOf)),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

const CSV_HEADER = [
  'ID',
  'Name',
  'Version',
  'Supplier',
  'Package URL',
  'Licence',
  'Website',
  'Direct dependency',
  'Depends on',
  'Used by',
  'Safety class',
  'Level of support',
  'End of support',
  'Support justification',
  'Requirements (5.3.3)',
  'System requirements (5.3.4)',
  'Anomaly review date',
  'Anomaly reviewer',
  'Anomaly review conclusion (7.1.3)',
  'Vulnerability scan',
  'Affected',
  'Under investigation',
  'Fixed',
  'Not affected',
  'Open vulnerabilities',
];

/** One row per SOUP item, RFC 4180 with CRLF line ends; id lists are space-separated. */
export function soupListCsv(doc: SbomDocument): string {
  const byComponent = statementsByComponent(doc);
  const rows: string[][] = [CSV_HEADER];
  for (const c of sortedComponents(doc)) {
    const statements = byComponent.get(c.id) ?? [];
    const count = (status: VexStatus) => String(statements.filter((s) => s.status === status).length);
    const open = uniqueSorted(
      statements
        .filter((s) => s.status === 'affected' || s.status === 'under_investigation')
        .map((s) => s.vulnerability),
    );
    rows.push([
      c.id,
      c.name,
      c.version,
      c.supplier ?? '',
      c.purl ?? '',
      c.license ?? '',
      c.website ?? '',
      c.dependency,
      componentDependsOn(doc, c).join(' '),
      uniqueSorted(c.usedBy).join(' '),
      c.safetyClass ?? '',
      supportLevelLabel(c),
      c.endOfSupport ?? '',
      c.supportJustification ?? '',
      c.requirements ?? '',
      c.systemRequirements ?? '',
      c.anomalyReview?.date ?? '',
      c.anomalyReview?.reviewer ?? '',
      c.anomalyReview?.conclusion ?? '',
      c.vulnerabilityScan === undefined ? '' : c.vulnerabilityScan === 'scanned' ? 'scanned' : noneText(c),
      count('affected'),
      count('under_investigation'),
      count('fixed'),
      count('not_affected'),
      open.join(' '),
    ]);
  }
  return csvDocument(rows);
}
