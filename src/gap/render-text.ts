/** The terminal summary of a gap scan: counts by process, then the gaps, what blocks a submission first. */
import { plural } from '../diagnostics/format.js';
import { IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { textTable } from '../util/text-table.js';
import {
  type ClauseResult,
  failingClauses,
  failingCsaCriteria,
  type GapScanResult,
  type ObligationResult,
  orderedGaps,
} from './scan.js';
import { countsOf, PERCENT_NOTE, processCounts, STATUS_LABEL, STATUS_SYMBOL } from './summary.js';

/** Missing lines shown per gap in the terminal; the JSON report has them all. */
const SHOWN = 3;

const percent = (p: number) => `${p.toFixed(0)} %`;

function gapLines(c: ClauseResult): string[] {
  const lines = [
    `  ${STATUS_SYMBOL[c.status]} ${c.clause.padEnd(8)} ${c.title} — ${STATUS_LABEL[c.status]}${c.needsHumanAssessment ? ' (needs human assessment)' : ''}`,
  ];
  if (c.allowed !== undefined) lines.push(`      accepted: ${c.allowed}`);
  for (const m of c.missing.slice(0, SHOWN)) lines.push(`      missing: ${m}`);
  if (c.missingTotal > SHOWN)
    lines.push(`      … and ${c.missingTotal - SHOWN} more (--format json lists them)`);
  lines.push(`      hint: ${c.hint}`);
  return lines;
}

/** A line of a table cell, shortened for the terminal (the JSON report has it whole). */
const shorten = (text: string, max = 100) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function obligationTable(items: readonly ObligationResult[]): string[] {
  return textTable(
    ['', 'Obligation', 'Status', 'First missing'],
    items.map((o) => [
      o.key,
      o.title,
      `${STATUS_SYMBOL[o.status]} ${STATUS_LABEL[o.status]}`,
      shorten(o.applies ? (o.missing[0] ?? '') : (o.notApplicableBecause ?? '')),
    ]),
    { rule: '─' },
  ).map((l) => `  ${l}`);
}

export function gapScanText(scan: GapScanResult): string {
  const counts = countsOf(scan.clauses);
  const rows = processCounts(scan).map((p) => [
    p.title,
    String(p.applicable),
    String(p.evidenceFound),
    String(p.partial),
    String(p.noEvidence),
    String(p.notApplicable),
    p.applicable === 0 ? '' : percent(p.evidenceFoundPercent),
  ]);
  rows.push([
    'All clauses',
    String(counts.applicable),
    String(counts.evidenceFound),
    String(counts.partial),
    String(counts.noEvidence),
    String(counts.notApplicable),
    percent(counts.evidenceFoundPercent),
  ]);
  const gaps = orderedGaps(scan);
  const failing = failingClauses(scan);
  const out = [
    `Gap scan: ${scan.device}, against ${IEC_62304_ED1_1.standard}`,
    scan.csa
      ? `Profile production-software: judged against the FDA CSA validation criteria, not by safety class; on ${scan.date}`
      : `Classes present: ${scan.classes.join(', ')} (whole-software obligations judged at ${scan.highestClass}); on ${scan.date}`,
    scan.version
      ? `Version judged: ${scan.version.version}, ${scan.version.because}`
      : 'Version judged: none (no software.version in dossier.yaml and no release record)',
    '',
    ...csaLines(scan),
    ...textTable(
      ['Process', 'Applicable', 'Evidence found', 'Partial', 'No evidence', 'Not applicable', 'Found'],
      rows,
      {
        rule: '─',
      },
    ),
    PERCENT_NOTE,
    '',
  ];
  if (gaps.length === 0)
    out.push('No gaps: every applicable clause has evidence (people still judge its adequacy).');
  else {
    out.push(
      `Gaps, what blocks a submission first (${plural(counts.noEvidence, 'clause')} without evidence, ${counts.partial} partial):`,
    );
    for (const c of gaps) out.push(...gapLines(c));
  }
  const f = scan.fda;
  out.push(
    '',
    `FDA premarket software documentation, ${f.documentationLevel} level:`,
    `  ${f.rationale}`,
    ...obligationTable(f.elements),
    '',
    'Cybersecurity (FD&C 524B, FDA premarket guidance):',
    `  ${scan.cybersecurity.because}`,
    ...obligationTable(scan.cybersecurity.items),
    '',
    'Design controls (QMSR, ISO 13485 7.3):',
    ...obligationTable(scan.designControls.items),
    '',
    failing.length > 0
      ? `${plural(failing.length, 'applicable clause')} without evidence (${failing.map((c) => c.clause).join(', ')}): exit 1. Accept a known gap with --allow CLAUSE=reason.`
      : `No applicable clause is without evidence${scan.allowed.length > 0 ? ` (accepted: ${scan.allowed.map((a) => a.clause).join(', ')})` : ''}.`,
  );
  return `${out.join('\n')}\n`;
}

/** The CSA criteria of a production-software project, first: what the project is judged against. */
function csaLines(scan: GapScanResult): string[] {
  if (!scan.csa) return [];
  const failing = failingCsaCriteria(scan);
  return [
    'Validation of production software (FDA CSA; ISO 13485 4.1.6, 7.5.6):',
    ...obligationTable(scan.csa.items),
    failing.length > 0
      ? `${failing.length} CSA criteria without evidence (${failing.map((o) => o.key).join(', ')}): exit 1.`
      : 'Every CSA criterion has evidence (people still judge its adequacy).',
    'The IEC 62304 clauses and the device obligations below do not apply to this profile:',
    '',
  ];
}
