import { JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { kindSpec } from '../model/kinds.js';
import { TRACE_FORMATS } from '../report-formats.js';
import { csvDocument } from '../util/csv.js';
import { joinChunks, LazyList, prettyJsonChunks } from '../util/json-chunks.js';
import { markdownCell, markdownTableLines } from '../util/markdown.js';
import { textTable } from '../util/text-table.js';
import { DOSSIER_VERSION } from '../version.js';
import type { TraceCell, TraceMatrix } from './matrix.js';

export { TRACE_FORMATS };

export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** What an empty cell says: the gap must be impossible to miss in every format. */
export const GAP = 'GAP';
/** What a cell says when the column does not apply to the record before it. */
export const NOT_APPLICABLE_TEXT = 'n/a';

function cellText(ids: TraceCell): string {
  if (ids === null) return NOT_APPLICABLE_TEXT;
  return ids.length === 0 ? GAP : ids.join(', ');
}

function coverageLines(matrix: TraceMatrix): string[] {
  return matrix.coverage.map((c) => {
    const pct = c.total === 0 ? 100 : Math.floor((c.covered / c.total) * 1000) / 10;
    const missing = c.uncovered.length ? ` — missing: ${c.uncovered.join(', ')}` : '';
    return `${kindSpec(c.from).label} → ${kindSpec(c.to).label}: ${c.covered}/${c.total} (${pct}%)${missing}`;
  });
}

/** Column headers, with the verification column when the matrix has results. */
function headers(matrix: TraceMatrix): string[] {
  return matrix.verification
    ? [...matrix.columns, `Verified on ${matrix.verification.version}`]
    : [...matrix.columns];
}

/** A row's cells as text, with its verification when the matrix has results. */
function rowTexts(matrix: TraceMatrix, index: number, cell: (ids: TraceCell) => string): string[] {
  const cells = matrix.rows[index]!.cells.map(cell);
  return matrix.verification ? [...cells, matrix.verification.rows[index]!] : cells;
}

export function renderText(matrix: TraceMatrix): string {
  const out = [
    `${matrix.title}`,
    '',
    ...textTable(
      headers(matrix),
      matrix.rows.map((_, i) => rowTexts(matrix, i, cellText)),
      { rule: '-', maxWidth: 60 },
    ),
    '',
    'Coverage:',
    ...coverageLines(matrix).map((l) => `  ${l}`),
  ];
  return `${out.join('\n')}\n`;
}

export function renderMarkdown(matrix: TraceMatrix): string {
  const cell = (ids: TraceCell) =>
    ids === null ? NOT_APPLICABLE_TEXT : ids.length === 0 ? `**${GAP}**` : ids.map(markdownCell).join(', ');
  const out = [
    `## ${markdownCell(matrix.title)}`,
    '',
    ...markdownTableLines(
      headers(matrix).map(markdownCell),
      matrix.rows.map((_, i) => rowTexts(matrix, i, cell)),
    ),
    '',
    '**Coverage**',
    '',
    ...coverageLines(matrix).map((l) => `- ${markdownCell(l)}`),
  ];
  return `${out.join('\n')}\n`;
}

export function renderCsv(matrix: TraceMatrix): string {
  const rows = matrix.rows.map((row, i) => [
    ...rowTexts(matrix, i, (ids) => (ids === null ? NOT_APPLICABLE_TEXT : ids.join(' '))),
    row.gapAt >= 0 ? matrix.columns[row.gapAt]! : '',
  ]);
  return csvDocument([[...headers(matrix), 'Gap'], ...rows]);
}

export function traceReport(matrices: readonly TraceMatrix[]) {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    matrices: matrices.map((m) => ({
      name: m.name,
      title: m.title,
      kinds: m.kinds,
      columns: m.columns,
      // Rows are built one at a time as the report is written (100,000 requirements give 30 MB).
      rows: new LazyList(m.rows.length, (i) => {
        const r = m.rows[i]!;
        return {
          cells: r.cells,
          gap: r.gapAt >= 0 ? m.kinds[r.gapAt] : null,
          ...(m.verification ? { verification: m.verification.rows[i] } : {}),
        };
      }),
      ...(m.verification ? { verifiedOn: m.verification.version } : {}),
      coverage: m.coverage,
      titles: Object.fromEntries(Object.entries(m.titles).sort(([a], [b]) => (a < b ? -1 : 1))),
    })),
  };
}

/** The JSON report of the matrices, in pieces: one row at a time (docs/json.md). */
export function matricesJsonChunks(matrices: readonly TraceMatrix[]): Iterable<string> {
  return prettyJsonChunks(traceReport(matrices), 4);
}

export function renderMatrices(matrices: readonly TraceMatrix[], format: TraceFormat): string {
  switch (format) {
    case 'json':
      return joinChunks(matricesJsonChunks(matrices));
    case 'markdown':
      return matrices.map(renderMarkdown).join('\n');
    case 'csv':
      return matrices.map(renderCsv).join('\r\n');
    default:
      return matrices.map(renderText).join('\n');
  }
}
