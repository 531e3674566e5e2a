/**
 * Finding a sheet's header row and resolving the mapping's column names to column positions.
 */
import { headerKey, type SheetColumns } from './columns.js';
import { columnLetters, type SheetCell, type SheetGrid } from './grid.js';

/** How far down a sheet the header is looked for: title blocks are a few rows, never hundreds. */
export const HEADER_SEARCH_ROWS = 200;

type Row = readonly (SheetCell | undefined)[] | undefined;

function keys(row: Row): Set<string> {
  const found = new Set<string>();
  for (const cell of row ?? []) if (cell) found.add(headerKey(cell.plain));
  return found;
}

/**
 * The 0-based index of the header row: the configured one, or the first row whose cells include
 * the id column's header (and the title column's, when one is configured). Undefined when none.
 */
export function findHeaderRow(grid: SheetGrid, columns: SheetColumns): number | undefined {
  const wanted = [columns.id, ...(columns.title ? [columns.title] : [])].map(headerKey);
  const has = (r: number) => {
    const found = keys(grid.rows[r]);
    return wanted.every((k) => found.has(k));
  };
  if (columns.headerRow !== undefined) return has(columns.headerRow - 1) ? columns.headerRow - 1 : undefined;
  const last = Math.min(grid.rows.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < last; r++) if (has(r)) return r;
  return undefined;
}

/** The first non-empty row's cells, to show a person what the sheet's headers look like. */
export function firstRowText(grid: SheetGrid, from = 0): string | undefined {
  for (let r = from; r < Math.min(grid.rows.length, HEADER_SEARCH_ROWS); r++) {
    const cells = (grid.rows[r] ?? []).filter((c): c is SheetCell => c !== undefined).map((c) => c.plain);
    if (cells.length > 0)
      return `row ${r + 1} reads ${cells
        .slice(0, 12)
        .map((c) => JSON.stringify(c.replace(/\s+/g, ' ').trim()))
        .join(', ')}`;
  }
  return undefined;
}

export interface HeaderColumns {
  /** Header key → 0-based column positions (a header may repeat). */
  readonly byKey: ReadonlyMap<string, readonly number[]>;
  /** Attribute name for each column: its header text, made unique ("Note", "Note (2)"). */
  readonly names: readonly string[];
}

export function headerColumns(row: Row): HeaderColumns {
  const byKey = new Map<string, number[]>();
  const names: string[] = [];
  const used = new Map<string, number>();
  const cells = row ?? [];
  for (let c = 0; c < cells.length; c++) {
    const text = cells[c]?.plain.replace(/\s+/g, ' ').trim() ?? '';
    if (!text) continue;
    const key = headerKey(text);
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
    const seen = (used.get(key) ?? 0) + 1;
    used.set(key, seen);
    names[c] = seen === 1 ? text : `${text} (${seen})`;
  }
  return { byKey, names };
}

/** An attribute name for a column: its header, or its letter when the header cell is empty. */
export function columnName(header: HeaderColumns, column: number): string {
  return header.names[column] ?? `Column ${columnLetters(column)}`;
}
