/**
 * StrictDoc `.sdoc` documents (format 'sdoc'). Each file is one document; its sections become
 * heading objects (isHeading, their titles the `section` path of what they hold) and every other
 * node (REQUIREMENT, TEXT, composite nodes, custom grammar elements) an object of that element
 * type: UID its source id, TITLE its title, STATEMENT (RST, converted to Markdown) its text,
 * STATUS its provenance status, TAGS a list, every other field an attribute (a repeated field such
 * as COMMENT a list). RELATIONS (and the older REFS) become relations from the node to VALUE, of
 * type `Parent`, `Child`, `File`, or `Parent:Role` when a ROLE is given; File relations point
 * outside the documents and are reported as external links.
 *
 * Nodes without UID get a source id from the document and their position (`srs:2.3`, the third
 * node of the second top-level node of srs.sdoc): stable while the document keeps its structure,
 * and reported, because it changes when nodes are inserted before them.
 */
import { basename } from 'node:path';
import { at, BatchBuilder, splitList } from '../batch.js';
import type { AttributeValue, ImportBatch } from '../model.js';
import { markdownText } from '../rst/text.js';
import { listSourceFiles, readSourceText } from '../source-files.js';
import { parseSdoc, type SdocBlock } from './parse.js';

/** Fields that carry an element's text, in the order tried (StrictDoc grammars name it differently). */
const TEXT_FIELDS = ['STATEMENT', 'DESCRIPTION', 'CONTENT'];
/** Fields holding RST prose: converted to Markdown as attributes. */
const PROSE_FIELDS = new Set(['RATIONALE', 'COMMENT']);

export async function readSdoc(paths: readonly string[]): Promise<ImportBatch> {
  const files = await listSourceFiles(paths, (name) => name.endsWith('.sdoc'), '*.sdoc files');
  const batch = new BatchBuilder('sdoc');
  for (const file of files) readFile(batch, file, await readSourceText(file));
  return batch.finish(files, 'StrictDoc');
}

function readFile(batch: BatchBuilder, file: string, text: string): void {
  const tree = parseSdoc(text, file);
  for (const issue of tree.issues) batch.issue(issue.severity, issue.code, issue.message, issue.location);
  const stem = basename(file).replace(/\.sdoc$/, '');
  const objectIds: string[] = [];
  const walk = (nodes: readonly SdocBlock[], position: string, section: readonly string[]) => {
    nodes.forEach((node, index) => {
      const here = position ? `${position}.${index + 1}` : `${index + 1}`;
      const title = field(node, 'TITLE');
      if (node.tag.endsWith('_FROM_FILE')) {
        batch.issue(
          'warning',
          'skipped',
          `[${node.tag}] ${field(node, 'FILE') ?? ''}: included documents are not read; import that file too.`,
          at(file, node.line),
        );
        return;
      }
      const id = readNode(batch, file, node, `${stem}:${here}`, section);
      if (id) objectIds.push(id);
      if (node.children.length) walk(node.children, here, title ? [...section, title] : section);
    });
  };
  walk(tree.nodes, '', []);
  const title = tree.document ? field(tree.document, 'TITLE') : undefined;
  batch.documents.push({ sourceId: file, ...(title ? { title } : {}), objectIds });
}

function field(node: SdocBlock, name: string): string | undefined {
  return node.fields.find((f) => f.name === name)?.value;
}

function readNode(
  batch: BatchBuilder,
  file: string,
  node: SdocBlock,
  positionId: string,
  section: readonly string[],
): string | undefined {
  const location = at(file, node.line);
  const isHeading = node.tag === 'SECTION';
  const uid = field(node, 'UID');
  const sourceId = uid || positionId;
  if (!uid && !isHeading && node.tag !== 'TEXT' && node.tag !== 'FREETEXT')
    batch.issue(
      'info',
      'approximated',
      `A ${node.tag} without UID was given the id ${sourceId}, from its position.`,
      location,
    );
  const attributes: Record<string, AttributeValue> = {};
  const textField = TEXT_FIELDS.map((name) => node.fields.find((f) => f.name === name)).find(
    (f) => f !== undefined,
  );
  let status: string | undefined;
  for (const entry of node.fields) {
    if (entry === textField || entry.name === 'UID' || entry.name === 'TITLE') continue;
    if (entry.name === 'STATUS') {
      status = entry.value;
      continue;
    }
    const value: AttributeValue =
      entry.name === 'TAGS'
        ? splitList(entry.value, /,/)
        : PROSE_FIELDS.has(entry.name)
          ? (markdownText(batch, entry.value, sourceId, at(file, entry.line)) ?? '')
          : entry.value;
    const previous = attributes[entry.name];
    // A repeated field (COMMENT) is a list of its values.
    attributes[entry.name] =
      previous === undefined
        ? value
        : [...(Array.isArray(previous) ? previous : [String(previous)]), String(value)];
  }
  for (const relation of node.relations) {
    const relationAt = at(file, relation.line);
    if (!relation.value) {
      batch.issue(
        'warning',
        'empty-link',
        `${sourceId}: a ${relation.type || 'relation'} without VALUE.`,
        relationAt,
      );
      continue;
    }
    const type = relation.role ? `${relation.type}:${relation.role}` : relation.type || 'Parent';
    batch.addRelation(
      { sourceId, targetId: relation.value, type, location: relationAt },
      relation.type === 'File',
    );
  }
  const text = textField
    ? markdownText(batch, textField.value, sourceId, at(file, textField.line))
    : undefined;
  const title = field(node, 'TITLE');
  const added = batch.addObject({
    sourceId,
    type: node.tag,
    ...(title ? { title } : {}),
    ...(text !== undefined ? { text } : {}),
    attributes,
    ...(section.length ? { section } : {}),
    ...(isHeading ? { isHeading: true } : {}),
    ...(status ? { provenance: { status } } : {}),
    location,
  });
  return added ? sourceId : undefined;
}
