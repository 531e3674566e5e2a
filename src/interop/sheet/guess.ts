/**
 * `guessSheetColumns`: a first mapping for `dossier import … --guess`, from the header names a
 * spreadsheet uses for ids, titles, texts, links and status. It only proposes: every choice is
 * explained, and a person edits the mapping file before the real import.
 */
import { ImportError } from '../model.js';
import { headerKey, type SheetColumns } from './columns.js';
import type { SheetCell, SheetGrid } from './grid.js';
import { firstRowText, HEADER_SEARCH_ROWS } from './header.js';
import { readSheetFile, type SheetFormat } from './read.js';

type Role = 'id' | 'title' | 'text' | 'link' | 'status' | 'approvedBy' | 'approvedAt' | 'type' | 'section';

/** Header keys (lower case, single spaces, no trailing punctuation) per role, best first. */
const SYNONYMS: Record<Role, readonly string[]> = {
  id: [
    'id',
    'req id',
    'requirement id',
    'req. id',
    'identifier',
    'key',
    'uid',
    'item id',
    'issue key',
    'object identifier',
  ],
  title: ['title', 'name', 'summary', 'heading', 'short description', 'short text'],
  text: [
    'description',
    'text',
    'statement',
    'requirement',
    'requirement text',
    'object text',
    'details',
    'body',
  ],
  link: [
    'parent',
    'parents',
    'links',
    'link',
    'linked to',
    'traces to',
    'trace to',
    'traced to',
    'derived from',
    'derives from',
    'verifies',
    'verified by',
    'satisfies',
    'refines',
    'implements',
    'covers',
    'depends on',
    'upstream',
  ],
  status: ['status', 'state', 'workflow state'],
  approvedBy: ['approved by', 'approver'],
  approvedAt: ['approved on', 'approved at', 'approval date', 'date approved'],
  type: ['type', 'kind', 'category', 'object type', 'item type', 'issue type'],
  section: ['section', 'chapter', 'heading path'],
};

const normal = (text: string) => headerKey(text).replace(/[:.]+$/, '');

function roleOf(header: string): Role | undefined {
  const key = normal(header);
  for (const role of Object.keys(SYNONYMS) as Role[]) if (SYNONYMS[role].includes(key)) return role;
  return undefined;
}

function cellsOf(grid: SheetGrid, r: number): { column: number; text: string }[] {
  return (grid.rows[r] ?? []).flatMap((cell: SheetCell | undefined, column) =>
    cell ? [{ column, text: cell.plain.replace(/\s+/g, ' ').trim() }] : [],
  );
}

/** The first row with at least two cells, one of them an id header. */
function guessHeaderRow(grid: SheetGrid): number | undefined {
  for (let r = 0; r < Math.min(grid.rows.length, HEADER_SEARCH_ROWS); r++) {
    const cells = cellsOf(grid, r);
    if (cells.length >= 2 && cells.some((c) => roleOf(c.text) === 'id')) return r;
  }
  return undefined;
}

/** How many different values a column holds below the header, and in how many rows. */
function spread(grid: SheetGrid, headerRow: number, column: number): { distinct: number; filled: number } {
  const values = new Set<string>();
  let filled = 0;
  for (let r = headerRow + 1; r < grid.rows.length; r++) {
    const text = grid.rows[r]?.[column]?.plain.trim();
    if (!text) continue;
    filled++;
    values.add(text);
  }
  return { distinct: values.size, filled };
}

/** An id as trackers and requirement tools write them: a prefix, a hyphen, a number ("SR-12", "PUMP-7"). */
const ID_LIKE = /^[A-Za-z][A-Za-z0-9_.]*-\d+[A-Za-z0-9_.-]*$/;

/** True when every filled cell of the column is a list of ids (and at least one is filled). */
function holdsIds(grid: SheetGrid, headerRow: number, column: number): boolean {
  let filled = 0;
  for (let r = headerRow + 1; r < grid.rows.length; r++) {
    const text = grid.rows[r]?.[column]?.plain.trim();
    if (!text) continue;
    filled++;
    const tokens = text
      .split(/[,;\r\n]+/)
      .map((t) => t.trim())
      .filter(Boolean);
    if (!tokens.every((t) => ID_LIKE.test(t))) return false;
  }
  return filled > 0;
}

const linkType = (header: string) => normal(header).replace(/\s+/g, '-');

export async function guessSheetColumns(
  file: string,
  options: { readonly format?: SheetFormat } = {},
): Promise<{ columns: SheetColumns; explanation: string[] }> {
  const grids = await readSheetFile(file, options.format);
  const withHeader = grids.flatMap((grid) => {
    const row = guessHeaderRow(grid);
    return row === undefined ? [] : [{ grid, row }];
  });
  const first = withHeader[0];
  if (!first) {
    const seen = grids
      .map((g) => `sheet ${JSON.stringify(g.name)}: ${firstRowText(g) ?? 'empty'}`)
      .join('; ');
    throw new ImportError(
      `${file}: no header row with an id column (a header such as ID, Key, Req ID or Identifier) in the first ${HEADER_SEARCH_ROWS} rows of any sheet (${seen}): write the mapping by hand, naming the id column`,
      { file },
    );
  }
  const { grid, row } = first;
  const explanation: string[] = [`sheet ${JSON.stringify(grid.name)}: header on row ${row + 1}`];
  const columns: {
    -readonly [K in keyof SheetColumns]: SheetColumns[K];
  } = { id: '' };
  const provenance: NonNullable<SheetColumns['provenance']> & Record<string, string> = {};
  const links: Record<string, string> = {};
  const section: string[] = [];
  for (const { column, text } of cellsOf(grid, row)) {
    const role = roleOf(text);
    const quoted = JSON.stringify(text);
    if (role === 'id' && !columns.id) {
      columns.id = text;
      explanation.push(`${quoted} → id`);
    } else if (role === 'title' && !columns.title) {
      columns.title = text;
      explanation.push(`${quoted} → title`);
    } else if (role === 'text' && !columns.text) {
      columns.text = text;
      explanation.push(`${quoted} → text (kept as Markdown)`);
    } else if (role === 'link') {
      links[text] = linkType(text);
      explanation.push(`${quoted} → links of type "${linkType(text)}" (ids separated by , ; or line breaks)`);
    } else if ((role === 'status' || role === 'approvedBy' || role === 'approvedAt') && !provenance[role]) {
      provenance[role] = text;
      explanation.push(`${quoted} → provenance ${role} (the source's word, not a Dossier approval)`);
    } else if (role === 'section') {
      section.push(text);
      explanation.push(`${quoted} → section`);
    } else if (role === 'type' && !columns.type) {
      const { distinct, filled } = spread(grid, row, column);
      // A column with a handful of values sorts objects into kinds; one with many is a description.
      if (filled > 0 && distinct <= 12) {
        columns.type = text;
        explanation.push(`${quoted} → type (${distinct} different values)`);
      } else explanation.push(`${quoted} → attribute (${distinct} different values: too many for a type)`);
    } else if (!role && holdsIds(grid, row, column)) {
      // Dossier's own export names link columns after link fields ("mitigates"), not these words.
      links[text] = linkType(text);
      explanation.push(`${quoted} → links of type "${linkType(text)}" (every value is a list of ids)`);
    } else explanation.push(`${quoted} → attribute ${quoted}`);
  }
  // Dossier's own export (src/interop/sheet/write-xlsx.ts): its texts are Markdown already.
  const trace = grids.find((g) => g.name === 'Trace');
  if (
    trace &&
    columns.text &&
    ['from', 'link', 'to'].every((h) => cellsOf(trace, 0).some((c) => normal(c.text) === h))
  ) {
    columns.markdownText = true;
    explanation.push('a Trace sheet: a Dossier export, whose texts are Markdown as written');
  }
  if (Object.keys(links).length > 0) columns.links = links;
  if (Object.keys(provenance).length > 0) columns.provenance = provenance;
  if (section.length > 0) columns.section = section;
  if (!columns.title)
    explanation.push('no title column found: objects will have no title unless one is named');
  const sameHeader = withHeader.filter(({ grid: g, row: r }) =>
    cellsOf(g, r).some(
      (c) => c.text === columns.id && (!columns.title || cellsOf(g, r).some((t) => t.text === columns.title)),
    ),
  );
  if (grids.length > 1) {
    columns.sheets = sameHeader.map(({ grid: g }) => g.name);
    const left = grids
      .filter((g) => !sameHeader.some((s) => s.grid === g))
      .map((g) => JSON.stringify(g.name));
    if (left.length > 0) explanation.push(`sheets left out (no such header): ${left.join(', ')}`);
  }
  return { columns: columns as SheetColumns, explanation };
}
