/**
 * Long PDFs are typeset in parts and joined (src/docs/pdf-parts.ts, render-pdf.ts, pdf-merge.ts).
 * What a reader sees must not show the seams: page x of y on every page, a contents list whose page
 * numbers are right, links that land on the heading they name, bookmarks, the same bytes twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { DocumentModel } from '../src/docs/model.js';
import { pdfRenderData } from '../src/docs/pdf-data.js';
import {
  blockWeight,
  moveRowsOn,
  type PdfBlock,
  rowsToMoveOn,
  splitIntoParts,
} from '../src/docs/pdf-parts.js';
import { PdfRenderError, renderPdf } from '../src/docs/render-pdf.js';
import { buildDocument, hasPdftotext, pdfText } from './document-helpers.js';
import { EXAMPLE, REPO } from './helpers.js';

const heading = (level: number, text: string, anchor?: string): PdfBlock => ({
  kind: 'heading',
  level,
  text,
  ...(anchor ? { anchor } : {}),
});
const fields = (n: number): PdfBlock => ({
  kind: 'fields',
  rows: Array.from({ length: n }, (_, i) => [`label ${i}`, [{ text: 'value' }]]),
});
const table = (rows: number): PdfBlock => ({
  kind: 'table',
  columns: [{ title: 'Id' }, { title: 'Title' }],
  rows: Array.from({ length: rows }, (_, i) => [[{ text: `R-${i}` }], [{ text: 'a row' }]]),
});

/** Sections of requirements: a level-2 heading, then requirements of a heading and a fields table. */
function sections(count: number, perSection: number): PdfBlock[] {
  const blocks: PdfBlock[] = [heading(1, '1 Requirements')];
  for (let s = 0; s < count; s++) {
    blocks.push(heading(2, `1.${s + 1} Section`));
    for (let r = 0; r < perSection; r++) blocks.push(heading(3, `REQ-${s}-${r}`, `REQ-${s}-${r}`), fields(5));
  }
  return blocks;
}

describe('where a long document is cut into parts', () => {
  it('keeps a document that fits the budget in one piece', () => {
    const blocks = sections(2, 3);
    expect(splitIntoParts(blocks, 1000)).toEqual([blocks]);
  });

  it('cuts before headings, never after one, keeps every block in order and each part near the budget', () => {
    const blocks = sections(6, 40);
    const budget = 150;
    const parts = splitIntoParts(blocks, budget);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.flat()).toEqual(blocks);
    for (const part of parts) {
      expect(part[0]!.kind).toBe('heading');
      expect(part[part.length - 1]!.kind).not.toBe('heading');
      expect(part.reduce((sum, b) => sum + blockWeight(b), 0)).toBeLessThanOrEqual(budget * 1.5);
    }
  });

  it('prefers a section heading to a requirement heading as the place to cut', () => {
    // Sections of 60 weight (ten requirements of 6 weight) under a budget of 100: a part takes one
    // section and cuts before the next one, rather than in the middle of the second.
    const parts = splitIntoParts(sections(4, 10), 100);
    for (const part of parts.slice(1)) expect(part[0]).toMatchObject({ kind: 'heading', level: 2 });
  });

  it('continues a table too large for a part in the next parts, header and rows intact', () => {
    const big = table(500);
    const blocks = [heading(1, '1 Summary'), big, heading(1, '2 After')];
    const parts = splitIntoParts(blocks, 120);
    const pieces = parts.flat().filter((b) => b.kind === 'table');
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.flatMap((p) => p.rows as unknown[])).toEqual(big.rows);
    for (const piece of pieces) {
      expect(piece.columns).toEqual(big.columns);
      expect(blockWeight(piece)).toBeLessThanOrEqual(120);
    }
    // Each piece but the last ends its part: the next piece starts a page under its header row.
    for (const part of parts) {
      const at = part.findIndex((b) => b.kind === 'table');
      if (at >= 0 && part[at] !== pieces[pieces.length - 1]) expect(at).toBe(part.length - 1);
    }
  });
});

describe('a table continued across parts', () => {
  it('moves the rows of a short last page on to the next part, and no others', () => {
    // 40 rows a full page; the piece starts mid-page 1 and ends with 6 rows on page 4.
    const pages = (counts: number[]) => counts.flatMap((n, i) => Array<number>(n).fill(i + 1));
    expect(rowsToMoveOn({ pages: 4, rowPages: pages([12, 40, 40, 6]) })).toBe(6);
    expect(rowsToMoveOn({ pages: 4, rowPages: pages([12, 40, 40, 30]) })).toBe(0); // full enough
    expect(rowsToMoveOn({ pages: 5, rowPages: pages([12, 40, 40, 6]) })).toBe(0); // the part goes on after them
    expect(rowsToMoveOn({ pages: 2, rowPages: pages([12, 6]) })).toBe(0); // no full page to judge by
    expect(rowsToMoveOn({ pages: 1, rowPages: pages([6]) })).toBe(0); // all its rows
    expect(rowsToMoveOn({ pages: 3, rowPages: [] })).toBe(0);
  });

  it('moves rows from the end of one piece to the start of the next, in order', () => {
    const parts = splitIntoParts([heading(1, '1 Summary'), table(500)], 120);
    const before = parts.flat().flatMap((b) => (b.kind === 'table' ? (b.rows as unknown[]) : []));
    const first = parts.findIndex((p) => p[p.length - 1]!.continues === true);
    const length = (parts[first]!.at(-1)!.rows as unknown[]).length;
    moveRowsOn(parts, first, 7);
    expect((parts[first]!.at(-1)!.rows as unknown[]).length).toBe(length - 7);
    expect(parts.flat().flatMap((b) => (b.kind === 'table' ? (b.rows as unknown[]) : []))).toEqual(before);
    expect(() => moveRowsOn(parts, parts.length - 1, 1)).toThrow(/no continued table/);
    expect(() => moveRowsOn(parts, first, length)).toThrow(/cannot move/);
  });
});

/** The example's SRS, long enough to be cut into several parts with a small budget. */
let exampleSrs: DocumentModel | undefined;
const exampleDoc = () => {
  exampleSrs ??= buildDocument(EXAMPLE, 'SRS').doc;
  return exampleSrs;
};
const SMALL_BUDGET = 40;

async function linkDestinations(bytes: Uint8Array) {
  const pdf = await PDFDocument.load(bytes);
  const pageIndex = new Map(pdf.getPages().map((p, i) => [p.ref.toString(), i]));
  const jumps: { page: number; target: number }[] = [];
  const uris: string[] = [];
  for (const [index, page] of pdf.getPages().entries()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let i = 0; i < (annots?.size() ?? 0); i++) {
      const annot = annots!.lookup(i, PDFDict);
      const dest = annot.lookupMaybe(PDFName.of('Dest'), PDFArray);
      if (dest) jumps.push({ page: index, target: pageIndex.get(dest.get(0).toString()) ?? -1 });
      const uri = annot.lookupMaybe(PDFName.of('A'), PDFDict)?.lookupMaybe(PDFName.of('URI'), PDFString);
      if (uri) uris.push(uri.decodeText());
    }
  }
  return { pdf, jumps, uris };
}

describe.skipIf(!hasPdftotext)('a PDF typeset in parts', () => {
  it('numbers every page "x of y" across the parts, with the header on every page but the title page', async () => {
    const doc = exampleDoc();
    expect(splitIntoParts(pdfRenderData(doc).doc.blocks, SMALL_BUDGET).length).toBeGreaterThan(3);
    const heard: string[] = [];
    const onProgress = (message: string) => heard.push(message);
    const pages = pdfText(await renderPdf(doc, undefined, { partBudget: SMALL_BUDGET, onProgress }))
      .split('\f')
      .filter((p) => p.trim());
    // Progress names each part of each pass, then the join.
    const parts = splitIntoParts(pdfRenderData(doc).doc.blocks, SMALL_BUDGET).length;
    expect(heard[0]).toBe(`measuring part 1 of ${parts}`);
    const last = `typesetting part ${parts} of ${parts} (pages `;
    expect(heard.find((m) => m.startsWith(last))).toMatch(
      new RegExp(`–${pages.length} of ${pages.length}\\)$`),
    );
    expect(heard[heard.length - 1]).toBe(`joining ${parts + 1} parts`);
    expect(pages.length).toBeGreaterThan(5);
    for (const [i, text] of pages.entries()) {
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text.includes(`Revision ${doc.control.revision}`)).toBe(i > 0);
      expect(text).toContain('UNCONTROLLED DRAFT');
    }
  }, 300_000);

  it('lists the contents with the pages the headings are on, and each link lands on the heading it names', async () => {
    const doc = exampleDoc();
    const bytes = await renderPdf(doc, undefined, { partBudget: SMALL_BUDGET });
    const pages = pdfText(bytes).split('\f');
    const contents = pages[1]!;
    const sections = doc.blocks.filter((b) => b.kind === 'heading' && b.level <= 2) as { text: string }[];
    expect(sections.length).toBeGreaterThan(3);
    const listed = new Set<number>();
    for (const { text } of sections) {
      const line = contents.split('\n').find((l) => l.trim().startsWith(text));
      const page = Number(/(\d+)\s*$/.exec(line ?? '')?.[1]);
      expect(line, text).toBeDefined();
      expect(pages[page - 1], `${text} on page ${page}`).toContain(text);
      listed.add(page - 1);
    }
    // The jumps: from the contents to each section's page, and from each record id to its heading.
    const { jumps, uris } = await linkDestinations(bytes);
    expect(uris.filter((u) => u.startsWith('x-dossier-ref:'))).toEqual([]);
    expect(new Set(jumps.filter((j) => j.page === 1).map((j) => j.target))).toEqual(listed);
    expect(jumps.filter((j) => j.page > 1).length).toBeGreaterThan(0);
    for (const jump of jumps) expect(jump.target).toBeGreaterThan(1);
    // A record id's jump lands on the page of the heading that defines it.
    const anchors = doc.blocks.flatMap((b) => (b.kind === 'heading' && b.anchor ? [b.anchor] : []));
    expect(anchors.length).toBeGreaterThan(10);
    for (const jump of jumps.filter((j) => j.page > 1))
      expect(anchors.some((id) => pages[jump.target]!.includes(`${id} `))).toBe(true);
  }, 300_000);

  it('has bookmarks for the headings, the document properties, and the same bytes twice', async () => {
    const doc = exampleDoc();
    const first = await renderPdf(doc, undefined, { partBudget: SMALL_BUDGET });
    const second = await renderPdf(doc, undefined, { partBudget: SMALL_BUDGET });
    expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0);
    const { pdf } = await linkDestinations(first);
    expect(pdf.getTitle()).toBe(doc.title);
    expect(pdf.getCreationDate()?.toISOString().slice(0, 10)).toBe(doc.control.date);
    const outlines = pdf.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    const titles: string[] = [];
    let item = outlines.lookupMaybe(PDFName.of('First'), PDFDict);
    while (item) {
      titles.push((item.lookup(PDFName.of('Title')) as PDFString).decodeText());
      item = item.lookupMaybe(PDFName.of('Next'), PDFDict);
    }
    const levelOne = doc.blocks.flatMap((b) => (b.kind === 'heading' && b.level === 1 ? [b.text] : []));
    expect(titles).toEqual(levelOne);
    expect(outlines.lookup(PDFName.of('Count'), PDFNumber).asNumber()).toBeGreaterThanOrEqual(
      levelOne.length,
    );
  }, 300_000);

  it('fills every page of a long table but its last, across the parts it is cut into', async () => {
    const doc = exampleDoc();
    const rows = Array.from({ length: 400 }, (_, i) => [
      [{ text: `ROW-${String(i).padStart(4, '0')}` }],
      [{ text: 'x' }],
    ]);
    const long: DocumentModel = {
      ...doc,
      blocks: [...doc.blocks, { kind: 'table', columns: [{ title: 'Row' }, { title: 'Value' }], rows }],
    };
    const budget = 300;
    expect(
      splitIntoParts(pdfRenderData(long).doc.blocks, budget).filter((p) => p.at(-1)!.continues).length,
    ).toBeGreaterThan(1);
    const pages = pdfText(await renderPdf(long, undefined, { partBudget: budget })).split('\f');
    const counts = pages.map((p) => (p.match(/ROW-\d{4}/g) ?? []).length).filter((n) => n > 0);
    const seen = pages.flatMap((p) => p.match(/ROW-\d{4}/g) ?? []);
    expect(seen).toEqual(rows.map((r) => r[0]![0]!.text)); // every row once, in order
    const full = Math.max(...counts);
    // The table's first page is shared with what precedes it; its last may be short; none between.
    for (const n of counts.slice(1, -1)) expect(n).toBeGreaterThanOrEqual(0.6 * full);
  }, 300_000);

  it('refuses a project template whose headings do not say where they fall, rather than number the contents wrongly', async () => {
    const ours = fs.readFileSync(path.join(REPO, 'data/templates/document.typ'), 'utf8');
    const unplaced = ours.replace('let target = b.at("target", default: none)', 'let target = none');
    expect(unplaced).not.toBe(ours);
    await expect(renderPdf(exampleDoc(), unplaced, { partBudget: SMALL_BUDGET })).rejects.toThrow(
      /SRS\.pdf could not be typeset: the template reports no place for the heading "1 Purpose and scope"/,
    );
  }, 300_000);

  it('refuses a project template that does not mark the end of a part, saying what is missing', async () => {
    const ours = fs.readFileSync(path.join(REPO, 'data/templates/document.typ'), 'utf8');
    const withoutEnd = ours.replace(/<dossier-target>\] \}\s*$/, '<elsewhere>] }\n');
    expect(withoutEnd).not.toBe(ours);
    const rendering = renderPdf(exampleDoc(), withoutEnd, { partBudget: SMALL_BUDGET });
    await expect(rendering).rejects.toThrow(PdfRenderError);
    await expect(rendering).rejects.toThrow(/SRS\.pdf could not be typeset: .*dossier-end/);
  }, 300_000);
});
