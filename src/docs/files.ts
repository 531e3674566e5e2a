/**
 * The files of one document in the chosen formats, named as in the package folder: `SRS.md`,
 * with its diagrams beside it (`SAD-architecture.svg`). One place that decides the names, used by
 * `dossier docs build` and the build's documents stage alike.
 */
import type { DocumentModel } from './model.js';
import type { DocumentFormat } from './registry.js';
import { diagramFile, renderMarkdown } from './render-markdown.js';

export interface DocumentFile {
  /** File name inside the documents folder. */
  readonly path: string;
  readonly render: () => string;
}

export function documentFiles(doc: DocumentModel, formats: readonly DocumentFormat[]): DocumentFile[] {
  const files: DocumentFile[] = [];
  if (formats.includes('md')) {
    files.push({ path: `${doc.key}.md`, render: () => renderMarkdown(doc) });
    for (const block of doc.blocks)
      if (block.kind === 'diagram')
        files.push({ path: diagramFile(doc.key, block.name), render: () => block.svg });
  }
  return files;
}
