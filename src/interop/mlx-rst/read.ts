/**
 * mlx.traceability items in `.rst` sources (format 'mlx-rst'): `.. item:: ID Caption`, its
 * relationship options (`:fulfills: A B`, space separated) as relations of that name, every other
 * option (`:value:`, `:asil:`, `:status:`) as an attribute, the body as text. Reverse
 * relationship names (`fulfilled_by`) are kept as written; the mapping decides what they mean.
 * `.. item-link::` adds relations between items defined elsewhere.
 *
 * An empty relationship option (`:fulfills:` with nothing after it) is how mlx projects mark a
 * trace still to be made: it becomes an 'empty-link' issue at its line, never dropped.
 *
 * Relationship names come from the caller's options, the `traceability_relationships` dict of the
 * `conf.py` files read, and mlx.traceability's defaults; `ext_*` options are links into other
 * tools, reported as 'external-link'.
 */
import { basename } from 'node:path';
import { at, BatchBuilder, splitList } from '../batch.js';
import type { AttributeValue, ImportBatch } from '../model.js';
import { type RstDirective, SectionTracker, scanRst } from '../rst/scan.js';
import { markdownText } from '../rst/text.js';
import { listSourceFiles, readSourceText } from '../source-files.js';

export interface MlxRstOptions {
  /** Relationship option names, forward or reverse, beyond conf.py and the defaults. */
  readonly relationships?: readonly string[];
}

/** mlx.traceability's default `traceability_relationships`, both directions. */
export const DEFAULT_MLX_RELATIONSHIPS: Readonly<Record<string, string>> = {
  fulfills: 'fulfilled_by',
  depends_on: 'impacts_on',
  implements: 'implemented_by',
  realizes: 'realized_by',
  validates: 'validated_by',
  trace: 'backtrace',
};

const DIRECTIVES = new Set(['item', 'item-link', 'item-relink']);

export async function readMlxRst(
  paths: readonly string[],
  options: MlxRstOptions = {},
): Promise<ImportBatch> {
  const files = await listSourceFiles(
    paths,
    (name) => name.endsWith('.rst') || name === 'conf.py',
    '*.rst files',
  );
  const relationships = new Set<string>(options.relationships ?? []);
  const addPair = (forward: string, reverse: string) => {
    relationships.add(forward);
    if (reverse) relationships.add(reverse);
  };
  for (const [forward, reverse] of Object.entries(DEFAULT_MLX_RELATIONSHIPS)) addPair(forward, reverse);
  for (const file of files.filter((f) => basename(f) === 'conf.py'))
    for (const [forward, reverse] of confRelationships(await readSourceText(file))) addPair(forward, reverse);
  const batch = new BatchBuilder('mlx-rst');
  const sources = files.filter((f) => basename(f) !== 'conf.py');
  for (const file of sources) readFile(batch, file, await readSourceText(file), relationships);
  return batch.finish(sources, 'mlx.traceability');
}

/** `'fulfills': 'fulfilled_by'` pairs of `traceability_relationships = {...}` in a conf.py. */
function confRelationships(source: string): [string, string][] {
  const start = /^traceability_relationships\s*=\s*\{([^}]*)\}/m.exec(source);
  if (!start) return [];
  return [...start[1]!.matchAll(/["']([\w-]+)["']\s*:\s*["']([\w-]*)["']/g)].map((m) => [m[1]!, m[2]!]);
}

function isRelationship(name: string, relationships: ReadonlySet<string>): boolean {
  return relationships.has(name) || name.startsWith('ext_');
}

function readFile(batch: BatchBuilder, file: string, text: string, relationships: ReadonlySet<string>): void {
  const sections = new SectionTracker();
  const objectIds: string[] = [];
  let title: string | undefined;
  for (const event of scanRst(text, (name) => DIRECTIVES.has(name))) {
    if (event.kind === 'heading') {
      title ??= event.title;
      sections.heading(event);
    } else if (event.name === 'item') {
      // Items nested in an item's body are read as items of their own, in writing order.
      const pending = [event];
      for (let item = pending.shift(); item; item = pending.shift()) {
        const id = readItem(batch, file, item, sections.path, relationships);
        if (id) objectIds.push(id);
        pending.unshift(...item.nested.filter((d) => d.name === 'item'));
      }
    } else if (event.name === 'item-link') {
      readItemLink(batch, file, event);
    } else {
      batch.issue(
        'warning',
        'skipped',
        `item-relink is not imported; relink ${event.options.map((o) => `:${o.name}: ${o.value}`).join(' ')} by hand.`,
        at(file, event.line),
      );
    }
  }
  batch.documents.push({ sourceId: file, ...(title ? { title } : {}), objectIds });
}

function readItem(
  batch: BatchBuilder,
  file: string,
  item: RstDirective,
  section: readonly string[],
  relationships: ReadonlySet<string>,
): string | undefined {
  const location = at(file, item.line);
  const [sourceId, ...caption] = item.argument.split(/\s+/);
  if (!sourceId) {
    batch.issue('error', 'skipped', 'An item directive without an id is skipped.', location);
    return undefined;
  }
  const attributes: Record<string, AttributeValue> = {};
  let status: string | undefined;
  for (const option of item.options) {
    const optionAt = at(file, option.line);
    if (isRelationship(option.name, relationships)) {
      const targets = splitList(option.value, /\s+/);
      if (targets.length === 0)
        batch.issue('warning', 'empty-link', `${sourceId}: :${option.name}: has no target.`, optionAt);
      for (const targetId of targets)
        batch.addRelation(
          { sourceId, targetId, type: option.name, location: optionAt },
          option.name.startsWith('ext_'),
        );
    } else if (option.name === 'status') {
      if (option.value) status = option.value;
    } else if (option.value !== '') {
      attributes[option.name] = option.value;
    } else {
      // A flag option (`:nocaptions:`) or an attribute left blank: kept as present.
      attributes[option.name] = true;
    }
  }
  const text = item.bodyLine ? markdownText(batch, item.body, sourceId, at(file, item.bodyLine)) : undefined;
  const title = caption.join(' ');
  const added = batch.addObject({
    sourceId,
    type: 'item',
    ...(title ? { title } : {}),
    ...(text !== undefined ? { text } : {}),
    attributes,
    ...(section.length ? { section } : {}),
    ...(status ? { provenance: { status } } : {}),
    location,
  });
  return added ? sourceId : undefined;
}

/** `.. item-link::` with `:sources:`, `:targets:` and `:type:`: one relation per source and target. */
function readItemLink(batch: BatchBuilder, file: string, link: RstDirective): void {
  const option = (name: string) => link.options.find((o) => o.name === name)?.value ?? '';
  const type = option('type');
  const sources = splitList(option('sources'), /\s+/);
  const targets = splitList(option('targets'), /\s+/);
  const location = at(file, link.line);
  if (!type || sources.length === 0 || targets.length === 0) {
    batch.issue('warning', 'empty-link', 'item-link without :sources:, :targets: or :type:.', location);
    return;
  }
  for (const sourceId of sources)
    for (const targetId of targets) batch.addRelation({ sourceId, targetId, type, location });
}
