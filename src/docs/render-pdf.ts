/**
 * A DocumentModel as PDF, without a browser: Typst (through @myriaddreamin/typst-ts-node-compiler,
 * which ships its compiler as a prebuilt binary inside npm packages) typesets our template
 * (data/templates/document.typ) with the document as JSON input. Record text never becomes Typst
 * markup: the template receives it as string values (and Markdown already parsed into blocks by
 * record-markdown.ts), so `#`, `$`, `*`, `@`, `<` or `]]>` in a title are shown as typed.
 *
 * Determinism: the PDF carries the document's date (not the clock) and only the fonts the compiler
 * embeds (Libertinus Serif, DejaVu Sans Mono; system fonts are not used), so the same model gives
 * the same bytes with the same compiler version (docs/documents.md#determinism).
 */
import { createRequire } from 'node:module';
import type { DocumentModel } from './model.js';
import { type PdfPart, type PdfRenderData, pdfPartData, pdfRenderData, withTargets } from './pdf-data.js';
import { mergePdfParts } from './pdf-merge.js';
import { moveRowsOn, type PdfBlock, rowsToMoveOn, splitIntoParts } from './pdf-parts.js';
import { dossierTypstTemplate } from './templates.js';

/** The part of the compiler's API Dossier uses: always given the source, never a document object. */
interface Compiler {
  query(by: CompileArgs, args: { selector: string; field?: string }): unknown;
  pdf(by: CompileArgs): Uint8Array;
  evictCache(maxAge: number): void;
}
type CompileArgs = { mainFileContent: string; inputs: Record<string, string> };
let compiler: Compiler | undefined;

/** Loaded on first use: a build without PDF never loads the 50 MB binary. */
function typst(): Compiler {
  if (!compiler) {
    const require = createRequire(import.meta.url);
    const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler') as {
      NodeCompiler: { create(options?: { fontArgs?: unknown[] }): Compiler };
    };
    compiler = NodeCompiler.create();
  }
  return compiler;
}

export class PdfRenderError extends Error {}

/** The compiler's complaint about a template, one message per diagnostic. */
function failure(doc: DocumentModel, error: unknown): PdfRenderError {
  // The compiler throws errors whose `code` lists the diagnostics ("0: unclosed delimiter\n1: ...").
  const code = (error as { code?: unknown })?.code;
  const text =
    typeof code === 'string' && code ? code : error instanceof Error ? error.message : String(error);
  return new PdfRenderError(
    `${doc.key}.pdf could not be typeset: ${text.replace(/\n/g, '; ').slice(0, 2000)}`,
  );
}

const inputsOf = (template: string, data: PdfRenderData) => ({
  mainFileContent: template,
  inputs: { data: JSON.stringify(data) },
});

/**
 * Typesets and frees. The compiler is given the source, never asked for a document object: such an
 * object holds every laid-out page until the garbage collector happens to collect it, which it does
 * not hurry to do, since the pages live outside the JavaScript heap.
 */
function typesetPdf(doc: DocumentModel, template: string, data: PdfRenderData): Uint8Array {
  try {
    const pdf = typst().pdf(inputsOf(template, data));
    // The compiler gives a Buffer; the renderers all give plain bytes.
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } catch (error) {
    throw failure(doc, error);
  } finally {
    typst().evictCache(0);
  }
}

interface PartMeasure {
  readonly pages: number;
  /** Where each heading falls. */
  readonly places: Measured[];
  /** The page of each row of a table piece that continues in the next part, in order. */
  readonly rowPages: number[];
}

/** Where the template says each heading falls (its `<dossier-target>` metadata), and how many pages the part has. */
function measure(doc: DocumentModel, template: string, data: PdfRenderData): PartMeasure {
  try {
    const found = typst().query(inputsOf(template, data), { selector: TARGET_LABEL, field: 'value' });
    const marks = (Array.isArray(found) ? found : []) as Measured[];
    const end = marks.find((p) => p.target === END_TARGET);
    if (!end) throw new Error(`the template marks no ${END_TARGET} (docs/documents.md#templates)`);
    return {
      pages: end.page,
      places: marks.filter((p) => p.target !== END_TARGET && p.target !== ROW_TARGET),
      rowPages: marks.filter((p) => p.target === ROW_TARGET).map((p) => p.page),
    };
  } catch (error) {
    throw failure(doc, error);
  } finally {
    typst().evictCache(0);
  }
}

export interface PdfOptions {
  /** The weight of blocks a part may hold (src/docs/pdf-parts.ts); smaller makes more parts. */
  readonly partBudget?: number;
  /** Told before each part is typeset: a long document takes a while. */
  readonly onProgress?: (message: string) => void;
}

/**
 * The document as PDF. A document that fits one part is typeset in one piece; a longer one in parts
 * (pdf-parts.ts), in two passes: the first lays each part out to learn its pages and where its
 * headings fall, the second typesets each part with its page numbers and the contents list, and
 * pdf-merge.ts joins them. The compiler's memory is freed after each part, so the peak stays that
 * of one part.
 */
export async function renderPdf(
  doc: DocumentModel,
  template = dossierTypstTemplate(),
  options: PdfOptions = {},
): Promise<Uint8Array> {
  const data = pdfRenderData(doc);
  const parts = splitIntoParts(data.doc.blocks, options.partBudget);
  if (parts.length <= 1) return typesetPdf(doc, template, data);
  return renderInParts(doc, template, data, parts, options.onProgress ?? (() => {}));
}

const TARGET_LABEL = '<dossier-target>';
/** The place the template marks at the end of a part: its page is the part's last. */
const END_TARGET = 'dossier-end';
/** What the template marks each row of a continued table piece with. */
const ROW_TARGET = 'dossier-row';
type Measured = { target: string; page: number; x: number; y: number };

async function renderInParts(
  doc: DocumentModel,
  template: string,
  data: PdfRenderData,
  bodies: readonly PdfBlock[][],
  progress: (message: string) => void,
): Promise<Uint8Array> {
  const { parts, headings } = withTargets(bodies);
  const count = parts.length + 1; // the first part is the title page and the contents
  const partData = (index: number, blocks: readonly PdfBlock[], rest: Omit<PdfPart, 'index' | 'count'>) =>
    pdfPartData(data, blocks, { index, count, ...rest });

  // Pass 1: each body part alone, for its pages and the place of its headings.
  const measurePart = (i: number) =>
    measure(doc, template, partData(i + 1, parts[i]!, { pageOffset: 0, totalPages: 0, contents: [] }));
  const measured = parts.map((_, i) => {
    progress(`measuring part ${i + 1} of ${parts.length}`);
    return measurePart(i);
  });
  // A table piece that ends a part on a short last page: its rows there move on to open the next
  // part, whose first page follows without a gap (the next part is measured again, in order).
  for (let i = 0; i < parts.length - 1; i++) {
    const moving = rowsToMoveOn(measured[i]!);
    if (moving === 0) continue;
    moveRowsOn(parts, i, moving);
    measured[i] = measurePart(i);
    measured[i + 1] = measurePart(i + 1);
  }
  // Every heading must say where it fell: a contents entry or a jump without a place would be a
  // wrong page number or a link that goes nowhere (a project template that forgot the metadata).
  const placed = new Set(measured.flatMap((m) => m.places.map((p) => p.target)));
  const unplaced = headings.find((h) => !placed.has(h.target));
  if (unplaced)
    throw new PdfRenderError(
      `${doc.key}.pdf could not be typeset: the template reports no place for the heading "${unplaced.text}" (each heading of a part must carry <dossier-target> metadata: docs/documents.md#templates)`,
    );
  const bodyPages = measured.reduce((sum, m) => sum + m.pages, 0);

  // The title page and contents: their length moves every page number, so lay them out until the
  // numbers they show give the length they have (a line more or less in the contents).
  const placeOf = (frontPages: number) => {
    const targets = new Map<string, { page: number; x: number; y: number }>();
    let offset = frontPages;
    for (const m of measured) {
      for (const p of m.places) targets.set(p.target, { page: offset + p.page - 1, x: p.x, y: p.y });
      offset += m.pages;
    }
    return targets;
  };
  const frontData = (frontPages: number) => {
    const targets = placeOf(frontPages);
    const contents = headings
      .filter((h) => h.level <= 2)
      .map((h) => ({
        level: h.level,
        text: h.text,
        target: h.target,
        page: targets.get(h.target)!.page + 1,
      }));
    return partData(0, [], { pageOffset: 0, totalPages: frontPages + bodyPages, contents });
  };
  let frontPages = 2;
  for (let attempt = 0; ; attempt++) {
    const pages = measure(doc, template, frontData(frontPages)).pages;
    if (pages === frontPages) break;
    if (attempt === 3)
      throw new PdfRenderError(`${doc.key}.pdf could not be typeset: its contents pages did not settle`);
    frontPages = pages;
  }
  const totalPages = frontPages + bodyPages;

  // Pass 2: each part with its page numbers; its layout is the one measured (mergePdfParts checks).
  const pdfs = [{ bytes: typesetPdf(doc, template, frontData(frontPages)), pages: frontPages }];
  let pageOffset = frontPages;
  for (const [i, blocks] of parts.entries()) {
    const { pages } = measured[i]!;
    progress(
      `typesetting part ${i + 1} of ${parts.length} (pages ${pageOffset + 1}–${pageOffset + pages} of ${totalPages})`,
    );
    pdfs.push({
      bytes: typesetPdf(doc, template, partData(i + 1, blocks, { pageOffset, totalPages, contents: [] })),
      pages,
    });
    pageOffset += pages;
  }

  const [year, month, day] = data.date;
  progress(`joining ${parts.length + 1} parts`);
  try {
    return await mergePdfParts(
      pdfs,
      placeOf(frontPages),
      headings.map((h) => ({ title: h.text, level: h.level, target: h.target })),
      {
        title: doc.title,
        author: data.author,
        subject: `${doc.device}: ${doc.title}, revision ${doc.control.revision}`,
        language: 'en',
        date: new Date(Date.UTC(year, month - 1, day)),
      },
    );
  } catch (error) {
    throw new PdfRenderError(
      `${doc.key}.pdf could not be joined from its parts: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
