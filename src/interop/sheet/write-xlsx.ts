/**
 * `writeXlsx`: Dossier records as a workbook, one sheet per kind and a Trace sheet with one row per
 * link. Every text is a string cell (shared string), never a formula: a title "=1+1" or "-5 mL"
 * is shown as written and nothing is calculated when the file is opened. The same records and
 * `created` give the same bytes: the workbook's dates are `created` and so are the zip entries'.
 */
import { Workbook, type Worksheet } from '@cj-tech-master/excelts';
import { setZipDates } from '../../docs/zip-dates.js';
import type { ExportRecord } from '../model.js';
import { exportTable, recordsByKind, type TableValue } from './export-table.js';

/** Excel refuses a longer cell text; the rest is cut and marked. */
export const EXCEL_CELL_LIMIT = 32767;

export interface WriteXlsxOptions {
  /** The workbook's creation date (ISO date or date-time): document properties and zip entry dates. */
  readonly created: string;
}

/**
 * A string as OOXML stores it: text that looks like an `_xHHHH_` escape gets its underscore escaped
 * (`_x005F_`) so a spreadsheet shows it as written, and control characters XML cannot hold are
 * escaped instead of dropped.
 */
/** Characters XML 1.0 cannot hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being escaped
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xlsxText(text: string): string {
  const escaped = text
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
    .replace(XML_FORBIDDEN, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
  return escaped.length > EXCEL_CELL_LIMIT ? `${escaped.slice(0, EXCEL_CELL_LIMIT - 1)}…` : escaped;
}

function cellValue(value: TableValue): TableValue {
  return typeof value === 'string' ? xlsxText(value) : value;
}

/** A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ], unique regardless of case. */
function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[:\\/?*[\]]/g, '-').slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - `-${n}`.length)}-${n}`;
  used.add(name.toLowerCase());
  return name;
}

function addTable(
  workbook: Workbook,
  name: string,
  header: readonly string[],
  rows: readonly (readonly TableValue[])[],
): Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.addRow([...header]).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(cellValue));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
  // Multi-line texts wrap, top-aligned, so a row shows its text rather than its first line.
  const text = header.indexOf('text');
  if (text >= 0) sheet.getColumn(text + 1).alignment = { wrapText: true, vertical: 'top' };
  header.forEach((title, c) => {
    const longest = rows.reduce(
      (max, row) => Math.max(max, String(row[c] ?? '').split('\n')[0]!.length),
      title.length,
    );
    sheet.getColumn(c + 1).width = Math.min(60, Math.max(8, longest + 2));
  });
  return sheet;
}

export async function writeXlsx(
  records: readonly ExportRecord[],
  options: WriteXlsxOptions,
): Promise<Buffer> {
  const created = new Date(options.created);
  if (Number.isNaN(created.getTime()))
    throw new Error(`writeXlsx: created is not a date: ${options.created}`);
  const workbook = new Workbook();
  workbook.creator = 'Dossier';
  workbook.lastModifiedBy = 'Dossier';
  workbook.created = created;
  workbook.modified = created;
  const used = new Set<string>(['trace']);
  const titles = new Map(records.map((r) => [r.id, r.title]));
  const trace: TableValue[][] = [];
  for (const [kind, list] of recordsByKind(records)) {
    const table = exportTable(list);
    addTable(workbook, sheetName(kind, used), table.header, table.rows);
    for (const record of list)
      for (const field of Object.keys(record.links).sort())
        for (const target of record.links[field] ?? [])
          trace.push([record.id, field, target, titles.get(target) ?? '']);
  }
  addTable(workbook, 'Trace', ['from', 'link', 'to', 'to title'], trace);
  const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
  return Buffer.from(setZipDates(bytes, created));
}
