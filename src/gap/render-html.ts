/**
 * The gap scan as one self-contained HTML page (no script, no external resource) with the heat map
 * inline. Every text from records, dossier.yaml and the command line goes through escapeXml.
 */
import { IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { escapeXml } from '../util/xml.js';
import { PROCESS_GROUPS } from './catalog.js';
import { heatMapSvg } from './heat-map.js';
import { evidenceText } from './render-markdown.js';
import {
  type ClauseResult,
  failingClauses,
  type GapScanResult,
  type Judged,
  type ObligationResult,
  orderedGaps,
} from './scan.js';
import { countsOf, PERCENT_NOTE, processCounts, STATUS_LABEL, STATUS_SYMBOL } from './summary.js';

const e = escapeXml;
const SHOWN = 10;

function list(items: readonly string[], total: number): string {
  if (items.length === 0) return '';
  const more = total > SHOWN ? `<li>… and ${total - SHOWN} more (the JSON report lists them)</li>` : '';
  return `<ul>${items
    .slice(0, SHOWN)
    .map((i) => `<li>${e(i)}</li>`)
    .join('')}${more}</ul>`;
}

const status = (j: Judged) =>
  `<span class="s ${j.status}">${STATUS_SYMBOL[j.status]} ${STATUS_LABEL[j.status]}</span>${j.applies ? '' : `<br>${e(j.notApplicableBecause ?? '')}`}`;

function table(header: readonly string[], rows: readonly (readonly string[])[], className?: string): string {
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('\n')}</tbody></table>`;
}

function clauseRow(c: ClauseResult): string[] {
  return [
    e(c.clause),
    e(c.title),
    status(c) + (c.allowed !== undefined ? `<br>accepted: ${e(c.allowed)}` : ''),
    list(c.evidence.map(evidenceText), c.evidenceTotal),
    list(c.missing, c.missingTotal),
    e(c.hint),
    c.needsHumanAssessment ? 'yes' : '',
  ];
}

function obligations(items: readonly ObligationResult[]): string {
  return table(
    ['', 'Obligation', 'Status', 'Evidence', 'Missing', 'Fed by', 'Hint'],
    items.map((o) => [
      e(o.key),
      `${e(o.title)}<br><small>${e(o.reference)}</small>`,
      status(o),
      list(o.evidence.map(evidenceText), o.evidenceTotal),
      list(o.missing, o.missingTotal),
      e(o.feeds.join('; ')),
      e(o.hint),
    ]),
  );
}

const STYLE = `body{font-family:Helvetica,Arial,sans-serif;margin:2em;color:#1b1b1b;max-width:1400px}
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left;font-size:13px}
th{background:#f1f3f4}ul{margin:0;padding-left:1.2em}.s{white-space:nowrap;font-weight:bold}
.evidence-found{color:#2e7d32}.partial{color:#a36b00}.no-evidence{color:#c62828}.not-applicable{color:#5f6368}
.note{color:#5f6368}.counts td:nth-child(n+2){text-align:right}`;

export function gapScanHtml(scan: GapScanResult): string {
  const counts = countsOf(scan.clauses);
  const failing = failingClauses(scan);
  const title = `Gap scan: ${scan.device}`;
  const summaryRows = [
    ...processCounts(scan).map((p) => [
      e(p.title),
      String(p.applicable),
      String(p.evidenceFound),
      String(p.partial),
      String(p.noEvidence),
      String(p.notApplicable),
      p.applicable === 0 ? '' : `${p.evidenceFoundPercent} %`,
    ]),
    [
      '<b>All clauses</b>',
      String(counts.applicable),
      String(counts.evidenceFound),
      String(counts.partial),
      String(counts.noEvidence),
      String(counts.notApplicable),
      `${counts.evidenceFoundPercent} %`,
    ],
  ];
  const gaps = orderedGaps(scan);
  const body = [
    `<h1>${e(title)}</h1>`,
    scan.csa
      ? `<p>Profile production-software: against the FDA CSA validation criteria, on ${e(scan.date)}; the IEC 62304 clauses do not apply.<br>`
      : `<p>Against ${e(IEC_62304_ED1_1.standard)}, on ${e(scan.date)}. Classes present: ${e(scan.classes.join(', '))} (whole-software obligations judged at ${e(scan.highestClass)}).<br>`,
    scan.version
      ? `Version judged: ${e(scan.version.version)}, ${e(scan.version.because)}.</p>`
      : 'Version judged: none (no software.version in dossier.yaml and no release record).</p>',
    '<p class="note">Statuses say whether evidence was found, not whether a clause is met: people judge the adequacy of what was found.</p>',
    '<h2>Summary by process</h2>',
    table(
      ['Process', 'Applicable', 'Evidence found', 'Partial', 'No evidence', 'Not applicable', 'Found'],
      summaryRows,
    ),
    `<p class="note">${e(PERCENT_NOTE)}</p>`,
    '<h2>Heat map</h2>',
    heatMapSvg(scan),
    '<h2>Gaps, what blocks a submission first</h2>',
    gaps.length === 0
      ? '<p>No gaps: every applicable clause has evidence.</p>'
      : table(
          ['Clause', 'Title', 'Status', 'Missing', 'Hint'],
          gaps.map((c) => [
            e(c.clause),
            e(c.title),
            status(c) + (c.allowed !== undefined ? `<br>accepted: ${e(c.allowed)}` : ''),
            list(c.missing, c.missingTotal),
            e(c.hint),
          ]),
        ),
    `<p>${
      failing.length > 0
        ? `${failing.length} applicable clause(s) without evidence and not accepted: ${e(failing.map((c) => c.clause).join(', '))}.`
        : 'No applicable clause is without evidence, or each such gap is accepted.'
    }</p>`,
    ...(scan.allowed.length > 0
      ? [
          '<h2>Accepted gaps (--allow)</h2>',
          table(
            ['Clause', 'Reason'],
            scan.allowed.map((a) => [e(a.clause), e(a.reason)]),
          ),
        ]
      : []),
    ...(scan.csa
      ? [
          '<h2>Validation of production software (FDA CSA; ISO 13485 4.1.6, 7.5.6)</h2>',
          obligations(scan.csa.items),
          '<p>The IEC 62304 clauses and the device obligations do not apply to this profile.</p>',
        ]
      : []),
    '<h2>Every clause</h2>',
    ...PROCESS_GROUPS.flatMap((g) => [
      `<h3>${e(g.title)}</h3>`,
      table(
        ['Clause', 'Title', 'Status', 'Evidence', 'Missing', 'Hint', 'Human assessment'],
        scan.clauses.filter((c) => c.process === g.key).map(clauseRow),
      ),
    ]),
    `<h2>FDA premarket software documentation (${e(scan.fda.documentationLevel)})</h2>`,
    `<p>${e(scan.fda.rationale)}</p>`,
    obligations(scan.fda.elements),
    '<h2>Cybersecurity (FD&amp;C 524B, FDA premarket guidance)</h2>',
    `<p>${e(scan.cybersecurity.because)}.</p>`,
    obligations(scan.cybersecurity.items),
    '<h2>Design controls (QMSR, ISO 13485 7.3)</h2>',
    obligations(scan.designControls.items),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${e(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
