/**
 * `writeCsv`: the records of one kind as CSV, the same columns as that kind's XLSX sheet, through
 * the project's CSV writer (src/util/csv.ts), which neutralises cells a spreadsheet would run as a
 * formula.
 */
import { csvDocument } from '../../util/csv.js';
import type { ExportRecord } from '../model.js';
import { exportTable } from './export-table.js';

export function writeCsv(records: readonly ExportRecord[]): string {
  const kinds = new Set(records.map((r) => r.kind));
  if (kinds.size > 1) throw new Error(`writeCsv: one kind per file, got ${[...kinds].sort().join(', ')}`);
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const table = exportTable(sorted);
  return csvDocument([table.header, ...table.rows.map((row) => row.map((v) => String(v)))]);
}
