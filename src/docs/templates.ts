/**
 * The templates the renderers use: Dossier's own, or a project's (`documentTemplates` in
 * dossier.yaml names a folder in the project). Each file present in that folder replaces Dossier's:
 * `document.typ` (the PDF layout) and `style.css` (the HTML style sheet). A configured folder that
 * does not exist is an error, never a silent fall-back to Dossier's layout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../util/package-files.js';

export interface DocumentTemplates {
  /** The Typst template of the PDF documents. */
  readonly typst: string;
  /** The HTML style sheet, when the project gives its own. */
  readonly css?: string;
}

export class TemplateError extends Error {}

export function dossierTypstTemplate(): string {
  return fs.readFileSync(path.join(packageRoot(), 'data', 'templates', 'document.typ'), 'utf8');
}

export function readTemplates(projectDir: string, folder: string | undefined): DocumentTemplates {
  if (folder === undefined) return { typst: dossierTypstTemplate() };
  const dir = path.join(projectDir, folder);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new TemplateError(
      `dossier.yaml: documentTemplates names ${folder}, which is not a folder of the project; create it with document.typ and/or style.css, or remove the setting`,
    );
  const read = (name: string) => {
    const file = path.join(dir, name);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  const css = read('style.css');
  return { typst: read('document.typ') ?? dossierTypstTemplate(), ...(css !== undefined ? { css } : {}) };
}
