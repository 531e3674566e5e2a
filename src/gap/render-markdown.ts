/**
 * The gap scan as Markdown: summary by process, a heat map (a table of status symbols, and the SVG
 * when the build writes it beside the report), the gaps in the order they block a submission, every
 * clause, and the obligations beyond IEC 62304. Record text goes through markdownCell.
 */
import { IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { markdownCell, markdownTableLines } from '../util/markdown.js';
import { PROCESS_GROUPS } from './catalog.js';
import {
  type ClauseResult,
  failingClauses,
  failingCsaCriteria,
  type GapScanResult,
  type Judged,
  type ObligationResult,
  orderedGaps,
} from './scan.js';
import { countsOf, PERCENT_NOTE, processCounts, STATUS_LABEL, STATUS_SYMBOL } from './summary.js';
import type { Evidence } from './types.js';

export interface MarkdownOptions {
  /** File name of the heat map SVG written beside the report (the build's), to embed as an image. */
  readonly heatMapFile?: string;
}

/** Entries listed in a table cell; the JSON report has them all. */
const SHOWN = 5;

const cell = (text: string) => markdownCell(text);
export const evidenceText = (e: Evidence) =>
  [e.id, e.note ? `(${e.note})` : '', e.id ? '' : (e.file ?? '')].filter(Boolean).join(' ');

function listCell(items: readonly string[], total: number): string {
  if (items.length === 0) return '';
  const shown = items.slice(0, SHOWN).map(cell).join('<br>');
  return total > SHOWN ? `${shown}<br>… and ${total - SHOWN} more` : shown;
}

const status = (j: Judged) => `${STATUS_SYMBOL[j.status]} ${STATUS_LABEL[j.status]}`;

function clauseRow(c: ClauseResult): string[] {
  return [
    cell(c.clause),
    cell(c.title),
    c.applies ? status(c) : `${status(c)}: ${cell(c.notApplicableBecause ?? '')}`,
    listCell(c.evidence.map(evidenceText), c.evidenceTotal),
    listCell(c.missing, c.missingTotal) + (c.allowed !== undefined ? `<br>accepted: ${cell(c.allowed)}` : ''),
    c.needsHumanAssessment ? 'yes' : '',
  ];
}

function obligationRows(items: readonly ObligationResult[]): string[] {
  return markdownTableLines(
    ['', 'Obligation', 'Status', 'Evidence', 'Missing', 'Fed by', 'Hint'],
    items.map((o) => [
      cell(o.key),
      `${cell(o.title)} (${cell(o.reference)})`,
      o.applies ? status(o) : `${status(o)}: ${cell(o.notApplicableBecause ?? '')}`,
      listCell(o.evidence.map(evidenceText), o.evidenceTotal),
      listCell(o.missing, o.missingTotal),
      o.feeds.map(cell).join('; '),
      cell(o.hint),
    ]),
  );
}

export function gapScanMarkdown(scan: GapScanResult, options: MarkdownOptions = {}): string {
  const counts = countsOf(scan.clauses);
  const failing = failingClauses(scan);
  const out: string[] = [
    `# Gap scan: ${cell(scan.device)}`,
    '',
    scan.csa
      ? `Profile production-software: against the FDA CSA validation criteria, on ${scan.date}; the IEC 62304 clauses do not apply.`
      : `Against ${IEC_62304_ED1_1.standard}, on ${scan.date}. Classes present: ${scan.classes.join(', ')} (whole-software obligations judged at ${scan.highestClass}).`,
    scan.version
      ? `Version judged: ${cell(scan.version.version)}, ${cell(scan.version.because)}.`
      : 'Version judged: none (no software.version in dossier.yaml and no release record).',
    '',
    'Statuses say whether evidence was found, not whether a clause is met: people judge the adequacy of what was found.',
    '',
    ...csaSection(scan),
    '## Summary by process',
    '',
    ...markdownTableLines(
      ['Process', 'Applicable', 'Evidence found', 'Partial', 'No evidence', 'Not applicable', 'Found'],
      [
        ...processCounts(scan).map((p) => [
          p.title,
          String(p.applicable),
          String(p.evidenceFound),
          String(p.partial),
          String(p.noEvidence),
          String(p.notApplicable),
          p.applicable === 0 ? '' : `${p.evidenceFoundPercent} %`,
        ]),
        [
          '**All clauses**',
          String(counts.applicable),
          String(counts.evidenceFound),
          String(counts.partial),
          String(counts.noEvidence),
          String(counts.notApplicable),
          `${counts.evidenceFoundPercent} %`,
        ],
      ],
    ),
    '',
    PERCENT_NOTE,
    '',
    '## Heat map',
    '',
    ...(options.heatMapFile ? [`![Clause-by-process heat map](${options.heatMapFile})`, ''] : []),
    `${STATUS_SYMBOL['evidence-found']} evidence found · ${STATUS_SYMBOL.partial} partial · ${STATUS_SYMBOL['no-evidence']} no evidence · ${STATUS_SYMBOL['not-applicable']} not applicable · ⚑ accepted gap`,
    '',
    ...markdownTableLines(
      ['Process', 'Clauses'],
      PROCESS_GROUPS.map((g) => [
        g.title,
        scan.clauses
          .filter((c) => c.process === g.key)
          .map(
            (c) =>
              `${STATUS_SYMBOL[c.status]}${c.allowed !== undefined && c.applies && c.status !== 'evidence-found' ? '⚑' : ''} ${c.clause}`,
          )
          .join(' · '),
      ]),
    ),
    '',
    '## Gaps, what blocks a submission first',
    '',
  ];
  const gaps = orderedGaps(scan);
  if (gaps.length === 0) out.push('No gaps: every applicable clause has evidence.', '');
  else
    out.push(
      ...markdownTableLines(
        ['Clause', 'Title', 'Status', 'Missing', 'Hint'],
        gaps.map((c) => [
          cell(c.clause),
          cell(c.title),
          status(c) + (c.allowed !== undefined ? ` (accepted: ${cell(c.allowed)})` : ''),
          listCell(c.missing, c.missingTotal),
          cell(c.hint),
        ]),
      ),
      '',
    );
  out.push(
    failing.length > 0
      ? `${failing.length} applicable clause(s) without evidence and not accepted: ${failing.map((c) => c.clause).join(', ')}.`
      : 'No applicable clause is without evidence, or each such gap is accepted.',
    '',
  );
  if (scan.allowed.length > 0) {
    out.push(
      '## Accepted gaps (`--allow`)',
      '',
      ...markdownTableLines(
        ['Clause', 'Reason'],
        scan.allowed.map((a) => [cell(a.clause), cell(a.reason)]),
      ),
      '',
    );
  }
  out.push('## Every clause', '');
  for (const g of PROCESS_GROUPS) {
    out.push(
      `### ${g.title}`,
      '',
      ...markdownTableLines(
        ['Clause', 'Title', 'Status', 'Evidence', 'Missing', 'Human assessment'],
        scan.clauses.filter((c) => c.process === g.key).map(clauseRow),
      ),
      '',
    );
  }
  out.push(
    `## FDA premarket software documentation (${scan.fda.documentationLevel})`,
    '',
    cell(scan.fda.rationale),
    '',
    ...obligationRows(scan.fda.elements),
    '',
    '## Cybersecurity (FD&C 524B, FDA premarket guidance)',
    '',
    `${cell(scan.cybersecurity.because)}.`,
    '',
    ...obligationRows(scan.cybersecurity.items),
    '',
    '## Design controls (QMSR, ISO 13485 7.3)',
    '',
    ...obligationRows(scan.designControls.items),
    '',
  );
  return `${out.join('\n')}`;
}

/** The CSA criteria of a production-software project, first: what the project is judged against. */
function csaSection(scan: GapScanResult): string[] {
  if (!scan.csa) return [];
  const failing = failingCsaCriteria(scan);
  return [
    '## Validation of production software (FDA CSA; ISO 13485 4.1.6, 7.5.6)',
    '',
    ...obligationRows(scan.csa.items),
    '',
    failing.length > 0
      ? `${failing.length} criteria without evidence (${failing.map((o) => cell(o.key)).join(', ')}): exit 1.`
      : 'Every CSA criterion has evidence (people still judge its adequacy).',
    '',
    'The IEC 62304 clauses and the device obligations below do not apply to this profile.',
    '',
  ];
}
