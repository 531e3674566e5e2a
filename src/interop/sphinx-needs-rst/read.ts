/**
 * sphinx-needs directives in `.rst` sources, read without running Sphinx (format
 * 'sphinx-needs-rst'). Each `.. req:: Title` (or any need type) becomes an object: `:id:` its
 * source id, `:status:` its provenance status, `:tags:` an attribute, the link options relations
 * from the need to each target, every other option an attribute, the body its text. Section
 * headings above a need give its section path.
 *
 * Need types and link options come from, in order: the caller's options, the `conf.py` files
 * among the paths read (`needs_types`, `needs_extra_links`), then the sphinx-needs defaults
 * (req, spec, impl, test, need; `links`).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { at, BatchBuilder, splitList } from '../batch.js';
import type { AttributeValue, ImportBatch } from '../model.js';
import { type RstDirective, SectionTracker, scanRst } from '../rst/scan.js';
import { markdownText } from '../rst/text.js';
import { listSourceFiles, readSourceText } from '../source-files.js';
import { readNeedsConf } from './conf.js';

export interface SphinxNeedsRstOptions {
  /** Directive names that are needs; adds to those of conf.py and the defaults. */
  readonly needTypes?: readonly string[];
  /** Options that are links (`implements`, `tests`); adds to those of conf.py and `links`. */
  readonly linkTypes?: readonly string[];
}

export const DEFAULT_NEED_TYPES = ['req', 'spec', 'impl', 'test', 'need'] as const;

/** Options that say how a need is shown, not what it is: left out of the attributes. */
const PRESENTATION_OPTIONS = new Set([
  'collapse',
  'hide',
  'layout',
  'style',
  'template',
  'pre_template',
  'post_template',
  'jinja_content',
  'delete',
]);

export async function readSphinxNeedsRst(
  paths: readonly string[],
  options: SphinxNeedsRstOptions = {},
): Promise<ImportBatch> {
  const files = await listSourceFiles(
    paths,
    (name) => name.endsWith('.rst') || name === 'conf.py',
    '*.rst files',
  );
  const needTypes = new Set<string>([...DEFAULT_NEED_TYPES, ...(options.needTypes ?? [])]);
  const linkTypes = new Set<string>(['links', ...(options.linkTypes ?? [])]);
  for (const file of files.filter((f) => basename(f) === 'conf.py')) {
    const conf = readNeedsConf(await readSourceText(file));
    for (const type of conf.needTypes) needTypes.add(type);
    for (const type of conf.linkTypes) linkTypes.add(type);
  }
  const batch = new BatchBuilder('sphinx-needs-rst');
  const sources = files.filter((f) => basename(f) !== 'conf.py');
  for (const file of sources) readFile(batch, file, await readSourceText(file), needTypes, linkTypes);
  return batch.finish(sources, 'sphinx-needs');
}

function readFile(
  batch: BatchBuilder,
  file: string,
  text: string,
  needTypes: ReadonlySet<string>,
  linkTypes: ReadonlySet<string>,
): void {
  const sections = new SectionTracker();
  const objectIds: string[] = [];
  let title: string | undefined;
  for (const event of scanRst(text, (name) => needTypes.has(name))) {
    if (event.kind === 'heading') {
      title ??= event.title;
      sections.heading(event);
      continue;
    }
    objectIds.push(...readNeed(batch, file, event, sections.path, linkTypes));
  }
  batch.documents.push({ sourceId: file, ...(title ? { title } : {}), objectIds });
}

function readNeed(
  batch: BatchBuilder,
  file: string,
  need: RstDirective,
  section: readonly string[],
  linkTypes: ReadonlySet<string>,
  parentId?: string,
): string[] {
  const location = at(file, need.line);
  const idOption = need.options.find((o) => o.name === 'id');
  let sourceId = idOption?.value ?? '';
  if (sourceId === '') {
    // sphinx-needs makes such ids from a hash of the title; the type prefix is configuration we do
    // not read, so the id is ours and said so.
    const hash = createHash('sha1').update(need.argument).digest('hex').slice(0, 5).toUpperCase();
    sourceId = `${need.name.toUpperCase()}_${hash}`;
    batch.issue(
      'info',
      'approximated',
      `A ${need.name} without :id: was given the id ${sourceId}.`,
      location,
    );
  }
  const attributes: Record<string, AttributeValue> = {};
  let status: string | undefined;
  for (const option of need.options) {
    const optionAt = at(file, option.line);
    if (option.name === 'id' || PRESENTATION_OPTIONS.has(option.name)) continue;
    if (option.name === 'status') {
      if (option.value !== '') status = option.value;
    } else if (option.name === 'tags') {
      const tags = splitList(option.value);
      if (tags.length) attributes.tags = tags;
    } else if (linkTypes.has(option.name)) {
      const targets = splitList(option.value, /[,;]|\s+/);
      if (targets.length === 0)
        batch.issue('warning', 'empty-link', `${sourceId}: :${option.name}: has no target.`, optionAt);
      for (const targetId of targets)
        batch.addRelation({ sourceId, targetId, type: option.name, location: optionAt });
    } else if (option.name.endsWith('_back') && linkTypes.has(option.name.slice(0, -5))) {
      // The computed reverse of a link type; sphinx-needs writes it itself.
    } else if (option.value !== '') {
      // An extra option written with no value is sphinx-needs' empty string: nothing to keep.
      attributes[option.name] = option.value;
    }
  }
  const text = need.bodyLine ? markdownText(batch, need.body, sourceId, at(file, need.bodyLine)) : undefined;
  const added = batch.addObject({
    sourceId,
    type: need.name,
    ...(need.argument ? { title: need.argument } : {}),
    ...(text !== undefined ? { text } : {}),
    attributes,
    ...(section.length ? { section } : {}),
    ...(status ? { provenance: { status } } : {}),
    location,
  });
  // A need written inside another is its child: sphinx-needs records that as `parent_needs`.
  if (parentId) batch.addRelation({ sourceId, targetId: parentId, type: 'parent_needs', location });
  const ids = added ? [sourceId] : [];
  for (const child of need.nested) ids.push(...readNeed(batch, file, child, section, linkTypes, sourceId));
  return ids;
}
