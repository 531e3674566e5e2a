/**
 * `readSheet`: XLSX and CSV files → an {@link ImportBatch}. One object per row that has an id;
 * every other row with content is reported, never dropped silently.
 */

import { extname } from 'node:path';
import { limitsOf } from '../../model/limits.js';
import {
  readZipEntries,
  ZipArchiveError,
  ZipLimitError,
  type ZipLimits,
  zipLimitsOf,
} from '../../soup/osv/read-zip.js';
import {
  type AttributeValue,
  type ImportBatch,
  ImportError,
  type ImportedDocument,
  type ImportedObject,
  type ImportedRelation,
  type ImportIssue,
  type SourceProvenance,
} from '../model.js';
import { readSourceBytes } from '../source-files.js';
import { DEFAULT_LINK_SEPARATORS, headerKey, type SheetColumns } from './columns.js';
import { readCsvGrid } from './csv-grid.js';
import type { SheetCell, SheetGrid } from './grid.js';
import { columnName, findHeaderRow, firstRowText, type HeaderColumns, headerColumns } from './header.js';
import { readXlsxGrids } from './xlsx-grid.js';

export type SheetFormat = 'xlsx' | 'csv';

export interface ReadSheetOptions {
  /** Read every file as this format; default from its extension (.xlsx/.xlsm → xlsx, .csv/.tsv/.txt → csv). */
  readonly format?: SheetFormat;
  /** Bounds on a workbook as a zip archive (the project's `limits`); default the defaults. */
  readonly zipLimits?: ZipLimits;
}

export function sheetFormatOf(file: string, format?: SheetFormat): SheetFormat {
  if (format) return format;
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.xls')
    throw new ImportError(
      `${file} is an Excel 97-2003 workbook: save it as .xlsx (Excel Workbook) and import that`,
      { file },
    );
  throw new ImportError(
    `${file}: not a spreadsheet by its name (.xlsx or .csv): name the format, xlsx or csv`,
    {
      file,
    },
  );
}

export async function readSheetFile(
  file: string,
  format?: SheetFormat,
  /** Bounds on the workbook as a zip archive; default the `limits` defaults. */
  zipLimits: ZipLimits = zipLimitsOf(limitsOf(undefined)),
): Promise<SheetGrid[]> {
  const kind = sheetFormatOf(file, format);
  const bytes = await readSourceBytes(file);
  if (kind === 'xlsx') await refuseZipBomb(file, zipLimits);
  return kind === 'xlsx' ? readXlsxGrids(file, bytes) : [readCsvGrid(file, bytes)];
}

/**
 * Inflates every entry once, as a stream that is dropped as it goes, against the zip limits: the
 * central directory's sizes first, then the bytes really inflated (a directory can lie). A file
 * that is not a zip at all is left to the workbook reader, which says what it is.
 */
async function refuseZipBomb(file: string, limits: ZipLimits): Promise<void> {
  try {
    for await (const _ of readZipEntries(file, { limits })) {
      // each entry is only counted
    }
  } catch (error) {
    if (error instanceof ZipLimitError) {
      throw new ImportError(
        `${file}: refused as a possible zip bomb: ${error.message}. A workbook this large cannot be read; export it in parts`,
        { file },
      );
    }
    if (!(error instanceof ZipArchiveError)) throw error;
  }
}

function selectSheets(
  file: string,
  grids: readonly SheetGrid[],
  wanted: SheetColumns['sheets'],
): SheetGrid[] {
  if (!wanted) return [...grids];
  const names = grids.map((g) => JSON.stringify(g.name)).join(', ');
  return wanted.map((entry) => {
    const grid =
      typeof entry === 'number'
        ? grids[entry - 1]
        : (grids.find((g) => g.name === entry) ?? grids.find((g) => headerKey(g.name) === headerKey(entry)));
    if (!grid)
      throw new ImportError(
        `${file} has no sheet ${typeof entry === 'number' ? `number ${entry}` : JSON.stringify(entry)}; its sheets are ${names}: correct "sheets" in the mapping file`,
        { file },
      );
    return grid;
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The roles of the header's columns; what no role takes becomes an attribute. */
interface Layout {
  readonly id: number;
  readonly title?: number;
  readonly text?: number;
  readonly type?: number;
  readonly section: readonly number[];
  readonly links: readonly { readonly column: number; readonly type: string }[];
  readonly status?: number;
  readonly approvedBy?: number;
  readonly approvedAt?: number;
  /** Columns with a role or ignored: not attributes. */
  readonly taken: ReadonlySet<number>;
}

function layout(
  columns: SheetColumns,
  header: HeaderColumns,
  missing: (role: string, name: string) => void,
): Layout {
  const taken = new Set<number>();
  const one = (name: string | undefined, role: string): number | undefined => {
    if (name === undefined) return undefined;
    const found = header.byKey.get(headerKey(name))?.[0];
    if (found === undefined) missing(role, name);
    else taken.add(found);
    return found;
  };
  const all = (name: string, role: string): number[] => {
    const found = header.byKey.get(headerKey(name)) ?? [];
    if (found.length === 0) missing(role, name);
    for (const c of found) taken.add(c);
    return [...found];
  };
  const result: Layout = {
    id: one(columns.id, 'id')!,
    title: one(columns.title, 'title'),
    text: one(columns.text, 'text'),
    type: one(columns.type, 'type'),
    section: (columns.section ?? []).flatMap((name) => all(name, 'section')),
    links: Object.entries(columns.links ?? {}).flatMap(([name, type]) =>
      all(name, 'link').map((column) => ({ column, type })),
    ),
    status: one(columns.provenance?.status, 'status'),
    approvedBy: one(columns.provenance?.approvedBy, 'approvedBy'),
    approvedAt: one(columns.provenance?.approvedAt, 'approvedAt'),
    taken,
  };
  for (const name of columns.ignore ?? [])
    for (const c of header.byKey.get(headerKey(name)) ?? []) taken.add(c);
  return result;
}

function linkSplitter(separators: string): RegExp {
  const escaped = [...separators].map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('');
  return new RegExp(`[${escaped}\\r\\n]+`);
}

/** A row holding nothing but values copied down a vertical merge is empty. */
function isEmptyRow(row: readonly (SheetCell | undefined)[] | undefined): boolean {
  return !row?.some((cell) => cell !== undefined && !cell.filled);
}

interface Collector {
  readonly objects: ImportedObject[];
  readonly relations: ImportedRelation[];
  readonly issues: ImportIssue[];
  readonly documents: ImportedDocument[];
  /** sourceId → where it was first read. */
  readonly seen: Map<string, string>;
}

function readGrid(
  file: string,
  grid: SheetGrid,
  headerRow: number,
  columns: SheetColumns,
  out: Collector,
): void {
  const where = `${file}: sheet ${JSON.stringify(grid.name)}`;
  const header = headerColumns(grid.rows[headerRow]);
  const roles = layout(columns, header, (role, name) =>
    out.issues.push({
      severity: 'warning',
      code: 'invalid-source',
      message: `${where} has no column ${JSON.stringify(name)} (the ${role} column of the mapping) in its header row ${headerRow + 1}; nothing was read for it`,
      location: { file, line: headerRow + 1 },
    }),
  );
  const split = linkSplitter(columns.linkSeparators ?? DEFAULT_LINK_SEPARATORS);
  const fixedType = columns.sheetTypes?.[grid.name] ?? grid.name;
  const objectIds: string[] = [];
  const rowLabel = (r: number) => (grid.lines ? `line ${grid.lines[r]}` : `row ${r + 1}`);
  const rowLine = (r: number) => grid.lines?.[r] ?? r + 1;
  let lastDataRow = headerRow;

  for (let r = headerRow + 1; r < grid.rows.length; r++) {
    const row = grid.rows[r];
    if (isEmptyRow(row)) continue;
    lastDataRow = r;
    const cells = row!;
    const location = { file, line: rowLine(r) };
    const cell = (c: number | undefined) => (c === undefined ? undefined : cells[c]);
    const id = oneLine(cell(roles.id)?.plain ?? '');
    if (!id) {
      const shown = cells
        .map((c, i) =>
          c && !c.filled ? `${columnName(header, i)} ${JSON.stringify(oneLine(c.plain).slice(0, 60))}` : '',
        )
        .filter(Boolean)
        .slice(0, 3)
        .join(', ');
      out.issues.push({
        severity: 'warning',
        code: 'skipped',
        message: `${where} ${rowLabel(r)} has no id in column ${JSON.stringify(columns.id)}; the row was skipped (it reads ${shown})`,
        location,
      });
      continue;
    }
    const first = out.seen.get(id);
    if (first) {
      out.issues.push({
        severity: 'error',
        code: 'duplicate-id',
        message: `${where} ${rowLabel(r)}: id ${JSON.stringify(id)} was already read at ${first}; this row was skipped`,
        location,
      });
      continue;
    }
    out.seen.set(id, `sheet ${JSON.stringify(grid.name)} ${rowLabel(r)}`);

    const attributes: Record<string, AttributeValue> = {};
    for (let c = 0; c < cells.length; c++) {
      const value = cells[c];
      if (value && !roles.taken.has(c)) attributes[columnName(header, c)] = value.value;
    }
    for (const link of roles.links) {
      for (const target of (cell(link.column)?.plain ?? '').split(split)) {
        const targetId = target.trim();
        if (targetId) out.relations.push({ sourceId: id, targetId, type: link.type, location });
      }
    }
    const provenance: { -readonly [K in keyof SourceProvenance]: SourceProvenance[K] } = {};
    const status = cell(roles.status)?.plain;
    const approvedBy = cell(roles.approvedBy)?.plain;
    const approvedAt = cell(roles.approvedAt)?.plain;
    if (status) provenance.status = oneLine(status);
    if (approvedBy) provenance.approvedBy = oneLine(approvedBy);
    if (approvedAt) provenance.approvedAt = oneLine(approvedAt);
    const title = cell(roles.title)?.plain;
    const text = columns.markdownText ? cell(roles.text)?.plain : cell(roles.text)?.markdown;
    const section = roles.section.map((c) => oneLine(cells[c]?.plain ?? '')).filter(Boolean);
    out.objects.push({
      sourceId: id,
      type: oneLine(cell(roles.type)?.plain ?? '') || fixedType,
      ...(title ? { title: oneLine(title) } : {}),
      ...(text ? { text } : {}),
      attributes,
      ...(section.length > 0 ? { section } : {}),
      ...(Object.keys(provenance).length > 0 ? { provenance } : {}),
      location,
    });
    objectIds.push(id);
  }
  reportFormulas(file, grid, headerRow, lastDataRow, out.issues);
  out.documents.push({ sourceId: `${file}#${grid.name}`, title: grid.name, objectIds });
}

/** Formula cells in the rows read: their cached results were kept, one issue per sheet naming the cells. */
function reportFormulas(
  file: string,
  grid: SheetGrid,
  headerRow: number,
  lastRow: number,
  issues: ImportIssue[],
) {
  const inRows = grid.formulas.filter((f) => {
    const row = Number(/\d+$/.exec(f.address)![0]) - 1;
    return row > headerRow && row <= lastRow;
  });
  const where = `${file}: sheet ${JSON.stringify(grid.name)}`;
  const list = (cells: typeof inRows) =>
    cells
      .slice(0, 20)
      .map((f) => f.address)
      .join(', ') + (cells.length > 20 ? ` and ${cells.length - 20} more` : '');
  const cached = inRows.filter((f) => f.cached);
  const uncached = inRows.filter((f) => !f.cached);
  if (cached.length > 0)
    issues.push({
      severity: 'info',
      code: 'approximated',
      message: `${where}: ${cached.length} formula cell(s) read as their last calculated value, not recalculated: ${list(cached)}`,
      location: { file },
    });
  if (uncached.length > 0)
    issues.push({
      severity: 'warning',
      code: 'approximated',
      message: `${where}: ${uncached.length} formula cell(s) have no calculated value in the file and were read as empty: ${list(uncached)}; open the workbook in a spreadsheet program and save it to store the results`,
      location: { file },
    });
}

export async function readSheet(
  files: readonly string[],
  columns: SheetColumns,
  options: ReadSheetOptions = {},
): Promise<ImportBatch> {
  const out: Collector = { objects: [], relations: [], issues: [], documents: [], seen: new Map() };
  for (const file of files) {
    const grids = await readSheetFile(file, options.format, options.zipLimits);
    const chosen = selectSheets(file, grids, columns.sheets);
    let found = 0;
    const misses: string[] = [];
    for (const grid of chosen) {
      const headerRow = findHeaderRow(grid, columns);
      if (headerRow === undefined) {
        const hint = firstRowText(grid, columns.headerRow ? columns.headerRow - 1 : 0);
        if (hint) misses.push(`sheet ${JSON.stringify(grid.name)} (${hint})`);
        else if (columns.sheets) misses.push(`sheet ${JSON.stringify(grid.name)} (it is empty)`);
        else
          out.issues.push({
            severity: 'info',
            code: 'skipped',
            message: `${file}: sheet ${JSON.stringify(grid.name)} is empty; nothing to read`,
            location: { file },
          });
        continue;
      }
      found++;
      readGrid(file, grid, headerRow, columns, out);
    }
    const wanted = [columns.id, ...(columns.title ? [columns.title] : [])]
      .map((c) => JSON.stringify(c))
      .join(' and ');
    const at = columns.headerRow ? `in row ${columns.headerRow}` : 'in a header row';
    if (found === 0 && misses.length === 0)
      throw new ImportError(`${file} has no rows to read: every sheet read is empty`, { file });
    // A sheet asked for by name must have the header; among all sheets, the ones without are left out.
    if (found === 0 || columns.sheets)
      if (misses.length > 0)
        throw new ImportError(
          `${file}: no column ${wanted} ${at} of ${misses.join('; ')}: name the columns in the mapping as the header cells read${columns.headerRow ? ', or correct headerRow' : ''}`,
          { file },
        );
    for (const miss of misses)
      out.issues.push({
        severity: 'info',
        code: 'skipped',
        message: `${file}: ${miss} has no column ${wanted} ${at}; the sheet was not read`,
        location: { file },
      });
  }
  for (const relation of out.relations)
    if (!out.seen.has(relation.targetId))
      out.issues.push({
        severity: 'warning',
        code: 'broken-link',
        message: `${relation.location?.file ?? ''}: ${JSON.stringify(relation.sourceId)} links (${relation.type}) to ${JSON.stringify(relation.targetId)}, which is not among the rows read`,
        ...(relation.location ? { location: relation.location } : {}),
      });
  return {
    format: options.format ?? (files[0] ? sheetFormatOf(files[0]) : 'xlsx'),
    sources: [...files],
    objects: out.objects,
    relations: out.relations,
    attachments: [],
    documents: out.documents,
    issues: out.issues,
  };
}
