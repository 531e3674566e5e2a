/** The spreadsheet formats of `dossier import` / `dossier export` (issue 15). */
export { type SheetColumns, sheetColumnsSchema } from './columns.js';
export { guessSheetColumns } from './guess.js';
export { type ReadSheetOptions, readSheet, type SheetFormat } from './read.js';
export { writeCsv } from './write-csv.js';
export { type WriteXlsxOptions, writeXlsx } from './write-xlsx.js';
