/**
 * The spreadsheet part of an import mapping file: where the header row is and which column plays
 * which role. Column names are matched against header cells case-insensitively, with runs of
 * whitespace (including line breaks inside a header cell) counted as one space.
 */
import { z } from 'zod';

const columnName = z.string().trim().min(1, 'a column name is the header text of that column');

export const sheetColumnsSchema = z.strictObject({
  sheets: z
    .array(z.union([z.string().min(1), z.number().int().min(1)]))
    .min(1)
    .optional()
    .describe(
      'Sheets to read, by name or 1-based position; default every sheet whose header row has the id column',
    ),
  headerRow: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      '1-based row of the header; default the first row containing the id (and title) column headers',
    ),
  id: columnName.describe('Column holding the object id; a row without one is skipped and reported'),
  title: columnName.optional(),
  text: columnName.optional().describe('Column holding the main text; kept as Markdown'),
  markdownText: z
    .boolean()
    .optional()
    .describe(
      'The text column already holds Markdown as written (a Dossier export): its line breaks stay as they are, instead of becoming hard line breaks',
    ),
  type: columnName.optional().describe('Column holding the object type; default the sheet type'),
  sheetTypes: z
    .record(z.string(), z.string().min(1))
    .optional()
    .describe('A fixed type per sheet name; default the sheet name (the file name for CSV)'),
  section: z
    .array(columnName)
    .optional()
    .describe('Columns naming the section an object sits under, outermost first'),
  links: z
    .record(columnName, z.string().min(1))
    .optional()
    .describe('Link column → relation type; a cell may list several target ids'),
  linkSeparators: z
    .string()
    .min(1)
    .optional()
    .describe('Characters separating ids in a link cell, besides line breaks; default ",;"'),
  provenance: z
    .strictObject({
      status: columnName.optional(),
      approvedBy: columnName.optional(),
      approvedAt: columnName.optional(),
    })
    .optional(),
  ignore: z.array(columnName).optional().describe('Columns not to keep as attributes'),
});

export type SheetColumns = z.infer<typeof sheetColumnsSchema>;

export const DEFAULT_LINK_SEPARATORS = ',;';

/** A header cell's text as compared with configured column names. */
export function headerKey(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}
