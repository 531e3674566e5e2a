/**
 * Where a long PDF is cut into parts that Typst typesets one at a time.
 *
 * Typst keeps every laid-out page of a compilation (and the memoised layout behind it) until the
 * compilation ends: about 2.5 MB per page of requirement text, so the SRS of a 10,000-record project
 * (~800 pages) needs 2 GB in one piece. Typeset in parts of bounded size, with the compiler's cache
 * emptied between parts, the peak stays near one part's worth whatever the length of the document
 * (src/docs/render-pdf.ts merges the parts). This module decides the cuts; it is pure.
 *
 * The size of a part is estimated by a weight per block, calibrated on the 10k SRS (one unit is
 * roughly 40 KB of Typst's memory: a requirement's heading, fields and two paragraphs weigh ~11).
 * Parts end before a section heading where they can, else before another heading, never right after
 * one (each part starts a page, so a cut mid-section leaves the rest of a page blank), and a table
 * too large for one part is continued in the next (each piece ends its part, so the continuation starts on a new page
 * under its repeated header row, as a table breaking across pages does).
 */

/** A block of the PDF template's data (render-pdf.ts pdfRenderData): `kind` and its fields. */
export type PdfBlock = { readonly kind: string } & Readonly<Record<string, unknown>>;

/** The weight a part may reach before it is cut at the next heading (about 200 MB of Typst's memory). */
export const PART_BUDGET = 5000;

const textWeight = (value: unknown): number => Math.ceil(JSON.stringify(value ?? '').length / 300);

/** Estimated typesetting cost of one block, in budget units. */
export function blockWeight(block: PdfBlock): number {
  const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  switch (block.kind) {
    case 'heading':
      return 2;
    case 'fields':
      return count(block.rows) + textWeight(block.rows);
    case 'table':
      return tableRowWeight(block) * count(block.rows) + textWeight(block.rows);
    case 'list':
      return count(block.items) + textWeight(block.items);
    case 'diagram':
      return 10;
    default:
      // paragraph, record-text, not-recorded: their text decides.
      return 1 + textWeight(block);
  }
}

/** A table's cells cost about one unit each (measured: a 3,758 × 5 table took 600 MB). */
const tableRowWeight = (table: PdfBlock): number =>
  Math.max(1, Array.isArray(table.columns) ? table.columns.length : 1);

/**
 * A table heavier than a part becomes consecutive pieces, each within the budget; each piece but
 * the last says it `continues`.
 */
function tablePieces(table: PdfBlock, budget: number): PdfBlock[] {
  const rows = Array.isArray(table.rows) ? (table.rows as unknown[]) : [];
  if (blockWeight(table) <= budget || rows.length < 2) return [table];
  const perPiece = Math.max(1, Math.floor(budget / (tableRowWeight(table) + 1)));
  const pieces: PdfBlock[] = [];
  for (let i = 0; i < rows.length; i += perPiece)
    pieces.push({
      ...table,
      rows: rows.slice(i, i + perPiece),
      // Every piece but the last ends its part; render-pdf.ts may move its last rows on.
      ...(i + perPiece < rows.length ? { continues: true } : {}),
    });
  return pieces;
}

/**
 * The blocks in parts. One part when the whole document fits the budget (the document is then
 * typeset in one piece, as every short document is).
 */
export function splitIntoParts(blocks: readonly PdfBlock[], budget = PART_BUDGET): PdfBlock[][] {
  const parts: PdfBlock[][] = [];
  let current: PdfBlock[] = [];
  let weight = 0;
  const cut = () => {
    // A heading never ends a part: it moves on with the content it introduces.
    let keep = current.length;
    while (keep > 0 && current[keep - 1]!.kind === 'heading') keep--;
    if (keep === 0) return;
    parts.push(current.slice(0, keep));
    current = current.slice(keep);
    weight = current.reduce((sum, b) => sum + blockWeight(b), 0);
  };
  for (const block of blocks) {
    const pieces = block.kind === 'table' ? tablePieces(block, budget) : [block];
    for (const [index, piece] of pieces.entries()) {
      const w = blockWeight(piece);
      // Sections (levels 1 and 2) are the natural places to cut, then requirements and the like.
      const level = piece.kind === 'heading' ? Number(piece.level) : 0;
      const preferred = (level === 1 || level === 2) && weight >= budget * 0.5;
      const acceptable = level === 3 && weight >= budget;
      if (current.length > 0 && (preferred || acceptable || weight + w > budget * 1.5)) cut();
      current.push(piece);
      weight += w;
      // A table continued in the next part ends this one, so its next piece starts a page.
      if (index < pieces.length - 1) cut();
    }
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/**
 * How many rows of a continued table piece to move on: those on the part's last page when they
 * fill less than 60 % of what a full page of the piece holds; none when the page is full enough,
 * when the piece has no full page to compare with, or when they are all its rows.
 */
export function rowsToMoveOn({ pages, rowPages }: { pages: number; rowPages: readonly number[] }): number {
  if (rowPages.length === 0) return 0;
  const perPage = new Map<number, number>();
  for (const page of rowPages) perPage.set(page, (perPage.get(page) ?? 0) + 1);
  const onLast = rowPages[rowPages.length - 1] === pages ? (perPage.get(pages) ?? 0) : 0;
  const fullPages = [...perPage].filter(([page]) => page !== pages && page !== rowPages[0]).map(([, n]) => n);
  if (onLast === 0 || onLast === rowPages.length || fullPages.length === 0) return 0;
  return onLast < 0.6 * Math.max(...fullPages) ? onLast : 0;
}

/**
 * Moves the last `count` rows of the table piece that ends `parts[index]` to the start of the piece
 * that begins the next part. render-pdf.ts does so when those rows are all that the part's last page
 * holds: they then open the next part's first page instead of leaving most of a page blank.
 */
export function moveRowsOn(parts: PdfBlock[][], index: number, count: number): void {
  const part = parts[index]!;
  const next = parts[index + 1];
  const piece = part[part.length - 1]!;
  const following = next?.[0];
  if (piece.continues !== true || !next || following?.kind !== 'table')
    throw new Error('no continued table to move rows on');
  const rows = piece.rows as unknown[];
  if (count <= 0 || count >= rows.length) throw new Error(`cannot move ${count} of ${rows.length} rows`);
  part[part.length - 1] = { ...piece, rows: rows.slice(0, rows.length - count) };
  next[0] = { ...following, rows: [...rows.slice(rows.length - count), ...(following.rows as unknown[])] };
}
