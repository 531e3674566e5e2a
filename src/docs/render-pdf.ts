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
import { controlRows, statusBanner } from './control-rows.js';
import { type Block, type DocumentModel, definedAnchors, type Inline } from './model.js';
import { recordBlocks } from './record-markdown.js';
import { dossierTypstTemplate } from './templates.js';

type Compiler = { pdf(args: { mainFileContent: string; inputs: Record<string, string> }): Uint8Array };
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

/** What the template receives (sys.inputs.data): plain JSON. */
export function pdfRenderData(doc: DocumentModel): unknown {
  const local = definedAnchors(doc);
  const inlines = (parts: readonly Inline[]) =>
    parts.map((p) => ('ref' in p ? { ref: p.ref, local: local.has(p.ref) } : p));
  const block = (b: Block): unknown => {
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
  const [year, month, day] = doc.control.date.split('-').map(Number);
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

export function renderPdf(doc: DocumentModel, template = dossierTypstTemplate()): Uint8Array {
  try {
    const pdf = typst().pdf({
      mainFileContent: template,
      inputs: { data: JSON.stringify(pdfRenderData(doc)) },
    });
    // The compiler gives a Buffer; the renderers all give plain bytes.
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } catch (error) {
    // The compiler reports template errors as text; the template is ours or the project's.
    const message = error instanceof Error ? error.message : String(error);
    throw new PdfRenderError(`${doc.key}.pdf could not be typeset: ${message.slice(0, 2000)}`);
  }
}
