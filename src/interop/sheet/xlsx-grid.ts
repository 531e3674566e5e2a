/**
 * The sheets of an XLSX workbook as {@link SheetGrid}s, read with the XLSX library (never a zip or
 * XML reader of our own).
 *
 * Merged cells: the value of a merged range sits in its top-left cell. It is copied down the rows
 * of the range in that column only (a "Section" or "Chapter" cell merged over the rows of its
 * section names the section of each of them), and not across columns (a title merged over the text
 * column is one title, not also a text).
 */
import { type Cell, ValueType, Workbook } from '@cj-tech-master/excelts';
import { ImportError } from '../model.js';
import { columnLetters, type FormulaCell, type SheetCell, type SheetGrid } from './grid.js';
import { convertXlsxValue } from './xlsx-cell.js';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

async function loadWorkbook(file: string, bytes: Uint8Array): Promise<Workbook> {
  if (startsWith(bytes, OLE_MAGIC))
    throw new ImportError(
      `${file} is an old Excel 97-2003 (.xls) workbook or an encrypted one: open it in a spreadsheet program and save it as .xlsx (Excel Workbook) without a password`,
      { file },
    );
  if (!startsWith(bytes, ZIP_MAGIC))
    throw new ImportError(
      `${file} is not an XLSX workbook (an XLSX file is a zip archive): give a .xlsx saved by a spreadsheet program, or import it as csv if it is comma- or semicolon-separated text`,
      { file },
    );
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as Buffer);
  } catch (error) {
    throw new ImportError(
      `${file} could not be read as an XLSX workbook (${(error as Error).message}): open it in a spreadsheet program and save it again as .xlsx`,
      { file },
    );
  }
  return workbook;
}

function mergedCell(cell: Cell, converted: Map<string, SheetCell | undefined>): SheetCell | undefined {
  const master = cell.master;
  if (master.col !== cell.col) return undefined;
  const source = converted.get(master.address);
  return source ? { ...source, filled: true } : undefined;
}

export async function readXlsxGrids(file: string, bytes: Uint8Array): Promise<SheetGrid[]> {
  const workbook = await loadWorkbook(file, bytes);
  const grids: SheetGrid[] = [];
  for (const sheet of workbook.worksheets) {
    const rows: (SheetCell | undefined)[][] = [];
    const formulas: FormulaCell[] = [];
    // Merge masters converted so far, by address: a master is above or left of its merged cells.
    const masters = new Map<string, SheetCell | undefined>();
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: (SheetCell | undefined)[] = [];
      row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        let value: SheetCell | undefined;
        if (cell.type === ValueType.Merge) value = mergedCell(cell, masters);
        else {
          const converted = convertXlsxValue(cell.value);
          value = converted.cell;
          if (converted.formula)
            formulas.push({
              address: `${columnLetters(colNumber - 1)}${rowNumber}`,
              formula: converted.formula.text,
              cached: converted.formula.cached,
            });
          if (cell.isMerged) masters.set(cell.address, value);
        }
        cells[colNumber - 1] = value;
      });
      rows[rowNumber - 1] = cells;
    });
    grids.push({ name: sheet.name, rows, formulas });
  }
  return grids;
}
