/** A CSV file as a {@link SheetGrid}: one sheet named after the file. */
import { basename, extname } from 'node:path';
import { ImportError } from '../model.js';
import { decodeExcelEscapes, markdownLines } from './cell-text.js';
import { CsvSyntaxError, parseCsv } from './csv-parse.js';
import type { SheetCell, SheetGrid } from './grid.js';

/** UTF-8, or Windows-1252 for a file that is not valid UTF-8 (what older Excel saves as "CSV"). */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * Our own CSV writer (src/util/csv.ts) puts an apostrophe before a cell a spreadsheet could run as
 * a formula; reading such a cell back drops it, so an exported "=1+1" imports as "=1+1".
 */
function unguard(text: string): string {
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
}

function csvCell(raw: string): SheetCell | undefined {
  const plain = unguard(decodeExcelEscapes(raw));
  if (plain.trim() === '') return undefined;
  return { plain, markdown: markdownLines(plain), value: plain };
}

export function readCsvGrid(file: string, bytes: Uint8Array): SheetGrid {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    throw new ImportError(`${file} is a zip archive (an XLSX workbook?), not CSV text: import it as xlsx`, {
      file,
    });
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(decodeText(bytes));
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new ImportError(
        `${file}:${error.line}: ${error.message}: check the quotes in that cell (a quote inside a quoted cell is written "")`,
        { file, line: error.line },
      );
    throw error;
  }
  return {
    name: basename(file, extname(file)),
    rows: parsed.rows.map((row) => row.map(csvCell)),
    formulas: [],
    lines: parsed.lines,
  };
}
