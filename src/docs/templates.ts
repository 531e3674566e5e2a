/**
 * The templates the renderers use: Dossier's own, or a project's (`documentTemplates` in
 * dossier.yaml names a folder in the project). Each file present in that folder replaces Dossier's:
 * `document.typ` (the PDF layout), `style.css` (the HTML style sheet) and `reference.docx` (a Word
 * document whose styles the DOCX files take, as pandoc's reference document). A configured folder
 * that does not exist, or a reference document Dossier cannot use, is an error, never a silent
 * fall-back to Dossier's layout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../util/package-files.js';
import { parseXmlSafely, XML_ATTRIBUTE_PREFIX, xmlElements } from '../util/xml-parse.js';
import { readZipEntry } from './zip-directory.js';

export interface DocumentTemplates {
  /** The Typst template of the PDF documents. */
  readonly typst: string;
  /** The HTML style sheet, when the project gives its own. */
  readonly css?: string;
  /** word/styles.xml of the project's reference.docx, when it gives one. */
  readonly docxStyles?: string;
}

/** The paragraph styles the DOCX files use by id: a reference document must define each. */
export const DOCX_STYLE_IDS = ['Title', 'Heading1', 'Heading2', 'Heading3'] as const;

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
  const reference = path.join(dir, 'reference.docx');
  const docxStyles = fs.existsSync(reference)
    ? referenceStyles(fs.readFileSync(reference), path.posix.join(folder, 'reference.docx'))
    : undefined;
  return {
    typst: read('document.typ') ?? dossierTypstTemplate(),
    ...(css !== undefined ? { css } : {}),
    ...(docxStyles !== undefined ? { docxStyles } : {}),
  };
}

/**
 * The styles part of a reference Word document, checked: a .docx (a zip) with a well-formed
 * word/styles.xml that defines every paragraph style the DOCX files use.
 */
export function referenceStyles(bytes: Uint8Array, shown: string): string {
  const refuse = (why: string) =>
    new TemplateError(
      `${shown}: ${why}; save a Word document (.docx) whose styles you want there, or remove it`,
    );
  let styles: Uint8Array | undefined;
  try {
    styles = readZipEntry(bytes, 'word/styles.xml', 16 * 1024 * 1024);
  } catch (error) {
    throw refuse(`not a Word document (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!styles) throw refuse('not a Word document with styles (no word/styles.xml inside)');
  const text = new TextDecoder().decode(styles);
  const parsed = parseXmlSafely(text);
  if (!parsed.ok) throw refuse(`its word/styles.xml does not read as XML (${parsed.message})`);
  const root = (parsed.document as Record<string, unknown>)['w:styles'];
  if (root === undefined) throw refuse('its word/styles.xml holds no w:styles element');
  const defined = new Set(xmlElements(root, 'w:style').map((s) => s[`${XML_ATTRIBUTE_PREFIX}w:styleId`]));
  const missing = DOCX_STYLE_IDS.filter((id) => !defined.has(id));
  if (missing.length > 0)
    throw new TemplateError(
      `${shown} defines no ${missing.join(', ')} style: Dossier's DOCX files use them for the title and the headings; in Word, apply Title and Heading 1 to 3 to some text of the reference document (that adds the styles) and save it again`,
    );
  return text;
}
