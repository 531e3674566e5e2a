/**
 * Joins the PDF parts of a long document (src/docs/render-pdf.ts) into one file with pdf-lib, and
 * restores what typesetting in parts takes apart:
 * - links between parts: the template writes a link to a record or heading of the document as the
 *   URI `x-dossier-ref:<target>`; here each becomes a jump to the target's place (its page and
 *   height, measured by the first typesetting pass), and a link whose target is not in the document
 *   is removed (its text stays);
 * - the bookmarks (the PDF outline), rebuilt from the document's headings;
 * - the document's properties (title, author, language, dates from the document, not the clock).
 * The parts' tagged-PDF structure does not survive the join (pdf-lib copies pages, not structure
 * trees), so the references to it are removed rather than left dangling (docs/documents.md#formats).
 *
 * pdf-lib is loaded on first use: only a long document needs it.
 */
import type { PDFDict, PDFDocument, PDFRef } from 'pdf-lib';

export const REF_SCHEME = 'x-dossier-ref:';

/** Where a link target is: a page of the whole document (0-based) and a point on it, in pt from the top left. */
export interface PdfTarget {
  readonly page: number;
  readonly x: number;
  readonly y: number;
}

export interface PdfBookmark {
  readonly title: string;
  readonly level: number;
  readonly target: string;
}

export interface PdfProperties {
  readonly title: string;
  readonly author: string;
  readonly subject: string;
  readonly language: string;
  readonly date: Date;
}

/** A jump lands a little above the target's line, so the heading is in view. */
const ABOVE_TARGET_PT = 14;

/** Each part's bytes, with the number of pages its layout was measured to have. */
export interface PdfPartFile {
  readonly bytes: Uint8Array;
  readonly pages: number;
}

export async function mergePdfParts(
  parts: readonly PdfPartFile[],
  targets: ReadonlyMap<string, PdfTarget>,
  bookmarks: readonly PdfBookmark[],
  properties: PdfProperties,
): Promise<Uint8Array> {
  const lib = await import('pdf-lib');
  const merged = await lib.PDFDocument.create({ updateMetadata: false });
  for (const [index, { bytes, pages }] of parts.entries()) {
    const part = await lib.PDFDocument.load(bytes, { updateMetadata: false });
    // The page numbers, the contents and every jump were computed from the measured layout.
    if (part.getPageCount() !== pages)
      throw new Error(`part ${index} has ${part.getPageCount()} pages where ${pages} were measured`);
    for (const page of await merged.copyPages(part, part.getPageIndices())) {
      // Typst tags its pages (tagged PDF); the structure tree stays behind in the part.
      page.node.delete(lib.PDFName.of('StructParents'));
      merged.addPage(page);
    }
  }
  // One destination object per target, shared by every link and bookmark to it.
  const pages = merged.getPages();
  const jumpTo = (place: PdfTarget | undefined) => {
    const page = place ? pages[place.page] : undefined;
    if (!place || !page) return undefined;
    const top = Math.min(page.getHeight(), page.getHeight() - place.y + ABOVE_TARGET_PT);
    return merged.context.obj([page.ref, 'XYZ', Math.max(0, place.x), top, null]);
  };
  const destinations = new Map<string, ReturnType<Destination>>();
  const destination: Destination = (target) => {
    if (!destinations.has(target)) destinations.set(target, jumpTo(targets.get(target)));
    return destinations.get(target);
  };
  resolveLinks(lib, merged, destination);
  addBookmarks(lib, merged, bookmarks, destination);
  merged.setTitle(properties.title, { showInWindowTitleBar: true });
  merged.setAuthor(properties.author);
  merged.setSubject(properties.subject);
  merged.setCreator('Dossier');
  merged.setProducer('Typst (typst-ts-node-compiler) and pdf-lib');
  merged.setCreationDate(properties.date);
  merged.setModificationDate(properties.date);
  merged.setLanguage(properties.language);
  return merged.save({ useObjectStreams: true });
}

type Lib = typeof import('pdf-lib');
type Destination = (target: string) => ReturnType<PDFDocument['context']['obj']> | undefined;

/** Every `x-dossier-ref:` link becomes a jump inside the document, or goes when its target is not in it. */
function resolveLinks(lib: Lib, pdf: PDFDocument, destination: Destination): void {
  const { PDFArray, PDFDict, PDFName, PDFString, PDFHexString } = lib;
  for (const page of pdf.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    if (!annots) continue;
    const kept = [];
    for (let i = 0; i < annots.size(); i++) {
      const annot = annots.lookup(i, PDFDict);
      annot.delete(PDFName.of('StructParent'));
      const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
      const uri = action?.lookupMaybe(PDFName.of('URI'), PDFString, PDFHexString)?.decodeText();
      if (uri?.startsWith(REF_SCHEME)) {
        const dest = destination(uri.slice(REF_SCHEME.length));
        if (!dest) continue;
        annot.delete(PDFName.of('A'));
        annot.set(PDFName.of('Dest'), dest);
      }
      kept.push(annots.get(i));
    }
    page.node.set(PDFName.of('Annots'), pdf.context.obj(kept));
  }
}

/** The outline (bookmarks) as a tree by heading level; a heading without a known place is left out. */
function addBookmarks(
  lib: Lib,
  pdf: PDFDocument,
  bookmarks: readonly PdfBookmark[],
  destination: Destination,
): void {
  const { PDFName, PDFHexString, PDFNumber } = lib;
  type Node = { ref: PDFRef; dict: PDFDict; level: number; children: Node[] };
  const root: Node = { ref: pdf.context.nextRef(), dict: pdf.context.obj({}), level: 0, children: [] };
  const open: Node[] = [root];
  for (const bookmark of bookmarks) {
    const dest = destination(bookmark.target);
    if (!dest) continue;
    while (open.length > 1 && open[open.length - 1]!.level >= bookmark.level) open.pop();
    const parent = open[open.length - 1]!;
    const node: Node = {
      ref: pdf.context.nextRef(),
      dict: pdf.context.obj({ Title: PDFHexString.fromText(bookmark.title), Parent: parent.ref, Dest: dest }),
      level: bookmark.level,
      children: [],
    };
    parent.children.push(node);
    open.push(node);
  }
  if (root.children.length === 0) return;
  // Each node links its first and last child and its siblings; Count is the number of descendants
  // shown open (top-level entries open, deeper ones closed: negative counts).
  const link = (node: Node): number => {
    const { children } = node;
    let visible = 0;
    for (const [i, child] of children.entries()) {
      if (i > 0) child.dict.set(PDFName.of('Prev'), children[i - 1]!.ref);
      if (i < children.length - 1) child.dict.set(PDFName.of('Next'), children[i + 1]!.ref);
      visible += 1;
      const below = link(child);
      if (below > 0) child.dict.set(PDFName.of('Count'), PDFNumber.of(child.level === 1 ? below : -below));
      if (child.level === 1) visible += below;
    }
    if (children.length > 0) {
      node.dict.set(PDFName.of('First'), children[0]!.ref);
      node.dict.set(PDFName.of('Last'), children[children.length - 1]!.ref);
    }
    return visible;
  };
  const count = link(root);
  root.dict.set(PDFName.of('Type'), PDFName.of('Outlines'));
  root.dict.set(PDFName.of('Count'), PDFNumber.of(count));
  const assign = (node: Node) => {
    pdf.context.assign(node.ref, node.dict);
    node.children.forEach(assign);
  };
  assign(root);
  pdf.catalog.set(PDFName.of('Outlines'), root.ref);
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
