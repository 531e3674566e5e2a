/**
 * A sheet as the row mapper sees it, whatever file it came from: rows of cells already converted to
 * text, Markdown and JSON-like values. The XLSX and CSV readers produce it; read.ts maps it.
 */

export interface SheetCell {
  /** The cell as text, as the spreadsheet shows it: ids, titles, link targets, provenance. */
  readonly plain: string;
  /** The cell as Markdown (bold/italic runs, hyperlinks, hard line breaks): the text role. */
  readonly markdown: string;
  /** The value for an attribute: a number or boolean stays one; dates are YYYY-MM-DD. */
  readonly value: string | number | boolean;
  /**
   * Copied from the top-left cell of a vertical merge. A row holding nothing else is empty: a
   * "Section" merged down over blank rows does not turn them into rows without an id.
   */
  readonly filled?: boolean;
}

/** A formula cell whose cached result was read instead of evaluating it. */
export interface FormulaCell {
  /** A1-style address, e.g. "D9". */
  readonly address: string;
  readonly formula: string;
  /** False when the file carries no cached result (a workbook written by a program that never calculated). */
  readonly cached: boolean;
}

export interface SheetGrid {
  /** The sheet name; for CSV the file name without its extension. */
  readonly name: string;
  /** rows[r][c] is the cell at spreadsheet row r+1, column c+1; undefined when empty. */
  readonly rows: readonly (readonly (SheetCell | undefined)[] | undefined)[];
  readonly formulas: readonly FormulaCell[];
  /** For text sources (CSV): the 1-based line each row starts on, since a quoted cell may span lines. */
  readonly lines?: readonly number[];
}

/** Spreadsheet column letters for a 0-based column index: 0 → A, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
