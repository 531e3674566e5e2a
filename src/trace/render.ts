import { JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { kindSpec } from '../model/kinds.js';
import { csvLine } from '../util/csv.js';
import { markdownCell } from '../util/markdown.js';
import { textTable } from '../util/text-table.js';
import { DOSSIER_VERSION } from '../version.js';
import type { TraceCell, TraceMatrix } from './matrix.js';

export const TRACE_FORMATS = ['text', 'markdown', 'csv', 'json'] as const;
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

export function renderText(matrix: TraceMatrix): string {
  const out = [
    `${matrix.title}`,
    '',
    ...textTable(
      matrix.columns,
      matrix.rows.map((r) => r.cells.map(cellText)),
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
    `| ${matrix.columns.map(markdownCell).join(' | ')} |`,
    `| ${matrix.columns.map(() => '---').join(' | ')} |`,
    ...matrix.rows.map((r) => `| ${r.cells.map(cell).join(' | ')} |`),
    '',
    '**Coverage**',
    '',
    ...coverageLines(matrix).map((l) => `- ${markdownCell(l)}`),
  ];
  return `${out.join('\n')}\n`;
}

export function renderCsv(matrix: TraceMatrix): string {
  const lines = [csvLine([...matrix.columns, 'Gap'])];
  for (const row of matrix.rows) {
    const cells = row.cells.map((ids) => (ids === null ? NOT_APPLICABLE_TEXT : ids.join(' ')));
    lines.push(csvLine([...cells, row.gapAt >= 0 ? matrix.columns[row.gapAt]! : '']));
  }
  return `${lines.join('\r\n')}\r\n`;
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
      rows: m.rows.map((r) => ({ cells: r.cells, gap: r.gapAt >= 0 ? m.kinds[r.gapAt] : null })),
      coverage: m.coverage,
      titles: Object.fromEntries(Object.entries(m.titles).sort(([a], [b]) => (a < b ? -1 : 1))),
    })),
  };
}

export function renderMatrices(matrices: readonly TraceMatrix[], format: TraceFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(traceReport(matrices), null, 2)}\n`;
    case 'markdown':
      return matrices.map(renderMarkdown).join('\n');
    case 'csv':
      return matrices.map(renderCsv).join('\r\n');
    default:
      return matrices.map(renderText).join('\n');
  }
}
