/**
 * The files of the package in the chosen formats, named as in the package folder: `SRS.md` with its
 * diagrams beside it (`SAD-architecture.svg`), `SRS.html` (and one `index.html`), `SRS.docx`,
 * `SRS.pdf`. One place decides the names, for `dossier docs build` and the build's documents stage.
 * Each file is rendered only when asked for, so one document at a time is in memory.
 */
import type { DocumentModel } from './model.js';
import type { DocumentFormat } from './registry.js';
import { renderDocx } from './render-docx.js';
import { packageLinks, renderHtml, renderHtmlIndex } from './render-html.js';
import { diagramFile, renderMarkdown } from './render-markdown.js';
import { renderPdf } from './render-pdf.js';
import { type DocumentTemplates, dossierTypstTemplate } from './templates.js';

export interface DocumentFile {
  /** File name inside the documents folder. */
  readonly path: string;
  /** `onProgress` hears about long work inside one file (a long PDF's parts), for a progress line. */
  readonly render: (onProgress?: (message: string) => void) => string | Uint8Array | Promise<Uint8Array>;
}

export function packageFiles(
  docs: readonly DocumentModel[],
  formats: readonly DocumentFormat[],
  templates: DocumentTemplates = { typst: dossierTypstTemplate() },
): DocumentFile[] {
  const files: DocumentFile[] = [];
  const links = formats.includes('html') ? packageLinks(docs) : undefined;
  for (const doc of docs) {
    if (formats.includes('md')) {
      files.push({ path: `${doc.key}.md`, render: () => renderMarkdown(doc) });
      for (const block of doc.blocks)
        if (block.kind === 'diagram')
          files.push({ path: diagramFile(doc.key, block.name), render: () => block.svg });
    }
    if (links) files.push({ path: `${doc.key}.html`, render: () => renderHtml(doc, links, templates.css) });
    if (formats.includes('docx'))
      files.push({
        path: `${doc.key}.docx`,
        render: () =>
          renderDocx(doc, templates.docxStyles !== undefined ? { styles: templates.docxStyles } : {}),
      });
    if (formats.includes('pdf'))
      files.push({
        path: `${doc.key}.pdf`,
        render: (onProgress) => renderPdf(doc, templates.typst, onProgress ? { onProgress } : {}),
      });
  }
  const first = docs[0];
  if (links && first)
    files.push({
      path: 'index.html',
      render: () => renderHtmlIndex(docs, first.device, first.manufacturer, templates.css),
    });
  return files;
}
