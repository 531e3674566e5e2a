/**
 * One XLSX cell value, as the XLSX library gives it, turned into a {@link SheetCell}: rich text
 * keeps bold and italic as Markdown, a hyperlink becomes a Markdown link, a date a calendar date,
 * a number what Excel shows, a formula its cached result (never evaluated).
 */
import type { CellErrorValue, CellValue, RichText } from '@cj-tech-master/excelts';
import {
  dateText,
  decodeExcelEscapes,
  emphasise,
  excelNumber,
  markdownLines,
  markdownLink,
  numberText,
} from './cell-text.js';
import type { SheetCell } from './grid.js';

export interface ConvertedCell {
  readonly cell?: SheetCell;
  /** Set for a formula cell: its text, and whether the file held a cached result. */
  readonly formula?: { readonly text: string; readonly cached: boolean };
}

function textCell(plain: string, markdown = markdownLines(plain)): SheetCell {
  return { plain, markdown, value: plain };
}

function emphasiseLines(text: string, marker: string): string {
  // Per line: emphasis does not reach across a line break in Markdown.
  return text
    .split('\n')
    .map((line) => emphasise(line, marker))
    .join('\n');
}

function richTextMarkdown(runs: readonly RichText[]): string {
  const text = runs
    .map((run) => {
      let part = decodeExcelEscapes(run.text ?? '');
      if (run.font?.bold) part = emphasiseLines(part, '**');
      if (run.font?.italic) part = emphasiseLines(part, '_');
      return part;
    })
    .join('');
  return markdownLines(text);
}

function isObject(
  value: CellValue,
): value is Exclude<CellValue, null | undefined | number | string | boolean | Date> {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

type Result = number | string | boolean | Date | CellErrorValue | undefined;

function scalarCell(value: Result): SheetCell | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number')
    return { plain: numberText(value), markdown: numberText(value), value: excelNumber(value) };
  if (typeof value === 'boolean') {
    const plain = value ? 'TRUE' : 'FALSE';
    return { plain, markdown: plain, value };
  }
  if (value instanceof Date) return textCell(dateText(value));
  if (typeof value === 'string') {
    const plain = decodeExcelEscapes(value);
    return plain.trim() === '' ? undefined : textCell(plain);
  }
  return textCell(value.error);
}

export function convertXlsxValue(value: CellValue): ConvertedCell {
  if (!isObject(value)) return { cell: scalarCell(value as Result) };
  if ('richText' in value) {
    const plain = decodeExcelEscapes(value.richText.map((r) => r.text ?? '').join(''));
    return {
      cell:
        plain.trim() === '' ? undefined : { plain, markdown: richTextMarkdown(value.richText), value: plain },
    };
  }
  if ('hyperlink' in value) {
    const inner = value.text as unknown;
    const text =
      typeof inner === 'object' && inner !== null && 'richText' in inner
        ? (inner as { richText: RichText[] }).richText.map((r) => r.text ?? '').join('')
        : String(inner ?? '');
    const plain = decodeExcelEscapes(text);
    // A link to a place in the workbook ("#Sheet2!A1") means nothing outside it: keep the text.
    if (!value.hyperlink || value.hyperlink.startsWith('#'))
      return { cell: plain ? textCell(plain) : undefined };
    const link = markdownLink(plain, value.hyperlink);
    return { cell: { plain: plain || value.hyperlink, markdown: link, value: link } };
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = value as { formula?: string; sharedFormula?: string; result?: Result };
    const text = formula.formula ?? formula.sharedFormula ?? '';
    const result = formula.result;
    return { cell: scalarCell(result), formula: { text, cached: result !== undefined } };
  }
  if ('error' in value) return { cell: textCell(value.error) };
  if ('checkbox' in value) return { cell: scalarCell(value.checkbox) };
  return {};
}
