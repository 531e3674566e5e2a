/**
 * What the PDF template receives (sys.inputs.data, data/templates/document-data.schema.json): the
 * DocumentModel as plain JSON, with record text parsed from Markdown into blocks, and, for a long
 * document typeset in parts (render-pdf.ts), each part's blocks, page numbers and heading targets.
 */
import { controlRows, statusBanner } from './control-rows.js';
import { type Block, type DocumentModel, definedAnchors, type Inline } from './model.js';
import type { PdfBlock } from './pdf-parts.js';
import { recordBlocks } from './record-markdown.js';

/** What the template receives (sys.inputs.data): plain JSON (data/templates/document-data.schema.json). */
export interface PdfRenderData {
  readonly doc: {
    readonly key: string;
    readonly title: string;
    readonly device: string;
    readonly manufacturer: string;
    readonly blocks: readonly PdfBlock[];
  };
  readonly control: DocumentModel['control'];
  readonly controlRows: readonly (readonly [string, string])[];
  readonly banner: string;
  readonly author: string;
  /** The document's date as [year, month, day]. */
  readonly date: readonly [number, number, number];
  /** Present when the document is typeset in parts: which part this is, and its page numbers. */
  readonly part?: PdfPart;
}

/** One part of a long document, as its template data says (the fields mirror the JSON Schema). */
export interface PdfPart {
  readonly index: number;
  readonly count: number;
  /** Pages before this part: its first page is pageOffset + 1. */
  readonly pageOffset: number;
  /** Pages of the whole document; 0 while the first pass measures. */
  readonly totalPages: number;
  /** The contents list, in the first part (title page and contents) only. */
  readonly contents: readonly { level: number; text: string; target: string; page: number }[];
}

export function pdfRenderData(doc: DocumentModel): PdfRenderData {
  const local = definedAnchors(doc);
  const inlines = (parts: readonly Inline[]) =>
    parts.map((p) => ('ref' in p ? { ref: p.ref, local: local.has(p.ref) } : p));
  const block = (b: Block): PdfBlock => {
    switch (b.kind) {
      case 'record-text':
        return { kind: b.kind, recordId: b.recordId, blocks: recordBlocks(b.markdown) };
      case 'paragraph':
        return { kind: b.kind, inlines: inlines(b.inlines) };
      case 'fields':
        return { kind: b.kind, rows: b.rows.map(([label, value]) => [label, inlines(value)]) };
      case 'table':
        return { kind: b.kind, columns: b.columns, rows: b.rows.map((r) => r.map(inlines)) };
      case 'list':
        return { kind: b.kind, items: b.items.map(inlines) };
      case 'diagram':
        return { ...b, aspect: svgAspect(b.svg) };
      default:
        return b;
    }
  };
  const [year, month, day] = doc.control.date.split('-').map(Number) as [number, number, number];
  return {
    doc: {
      key: doc.key,
      title: doc.title,
      device: doc.device,
      manufacturer: doc.manufacturer,
      blocks: doc.blocks.map(block),
    },
    control: doc.control,
    controlRows: controlRows(doc),
    banner: statusBanner(doc),
    author: doc.control.author ?? doc.manufacturer,
    date: [year, month, day],
  };
}

/** Height over width of an SVG (its viewBox, else its width and height), 0.75 when it says neither. */
export function svgAspect(svg: string): number {
  const open = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const box = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(open);
  const width = Number(box?.[1] ?? /\swidth="([\d.]+)"/.exec(open)?.[1]);
  const height = Number(box?.[2] ?? /\sheight="([\d.]+)"/.exec(open)?.[1]);
  return width > 0 && height > 0 ? height / width : 0.75;
}

interface PdfHeading {
  readonly level: number;
  readonly text: string;
  readonly target: string;
}

/** Every heading of the parts gets a target: its record id, else its place among the headings. */
export function withTargets(bodies: readonly (readonly PdfBlock[])[]): {
  parts: PdfBlock[][];
  headings: PdfHeading[];
} {
  const headings: PdfHeading[] = [];
  const parts = bodies.map((blocks) =>
    blocks.map((b) => {
      if (b.kind !== 'heading') return b;
      const target = typeof b.anchor === 'string' ? b.anchor : `dossier-section-${headings.length + 1}`;
      headings.push({ level: Number(b.level), text: String(b.text), target });
      return { ...b, target };
    }),
  );
  return { parts, headings };
}

/** The template data of one part: the document's, with the part's blocks and page numbers. */
export function pdfPartData(data: PdfRenderData, blocks: readonly PdfBlock[], part: PdfPart): PdfRenderData {
  return { ...data, doc: { ...data.doc, blocks }, part };
}
