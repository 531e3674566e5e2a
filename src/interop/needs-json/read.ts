/**
 * A sphinx-needs `needs.json` (format 'needs-json'): the needs of one version (the file's
 * `current_version` unless the caller names another), each an object with its id, type, title,
 * content as Markdown, status as provenance and extra options as attributes.
 *
 * Links: `links` and every other link type become relations from the need to each target. The
 * computed reverse options (`links_back`, `implements_back`) are left out: they repeat, the other
 * way round, the links already read. Link types are taken from the caller's options, from the
 * version's `needs_schema` (sphinx-needs 2+ marks link fields there), and otherwise from the data:
 * a list-valued option with a `<name>_back` companion is a link type.
 *
 * External needs (`is_external`, imported into that Sphinx project from another) are not objects
 * of this batch; links to them are reported as 'external-link'.
 */
import { at, attributeValue, BatchBuilder, splitList } from '../batch.js';
import { type AttributeValue, type ImportBatch, ImportError } from '../model.js';
import { markdownText } from '../rst/text.js';
import { listSourceFiles, readSourceText } from '../source-files.js';
import { NEEDS_INTERNAL_FIELDS } from './fields.js';

export interface NeedsJsonOptions {
  /** The version to read; the file's `current_version` by default. */
  readonly version?: string;
  /** Link option names, beyond those the file declares or shows. */
  readonly linkTypes?: readonly string[];
}

type Need = Record<string, unknown>;

export async function readNeedsJson(
  paths: readonly string[],
  options: NeedsJsonOptions = {},
): Promise<ImportBatch> {
  const files = await listSourceFiles(paths, (name) => name.endsWith('.json'), '*.json files');
  const batch = new BatchBuilder('needs-json');
  let tool: string | undefined;
  for (const file of files) tool = readFile(batch, file, await readSourceText(file), options) ?? tool;
  return batch.finish(files, tool ?? 'sphinx-needs');
}

function readFile(
  batch: BatchBuilder,
  file: string,
  text: string,
  options: NeedsJsonOptions,
): string | undefined {
  const root = parseJson(file, text);
  const versions = isRecord(root) ? root.versions : undefined;
  if (!isRecord(versions))
    throw new ImportError(`${file}: not a sphinx-needs needs.json (no "versions" object).`, { file });
  const wanted =
    options.version ??
    (typeof (root as Need).current_version === 'string' && (root as Need).current_version !== ''
      ? ((root as Need).current_version as string)
      : Object.keys(versions).length === 1
        ? Object.keys(versions)[0]!
        : undefined);
  if (wanted === undefined)
    throw new ImportError(
      `${file}: no current_version; name the version to read (${Object.keys(versions).join(', ')}).`,
      { file },
    );
  const version = versions[wanted];
  if (!isRecord(version) || !isRecord(version.needs))
    throw new ImportError(`${file}: version "${wanted}" has no "needs" object.`, { file });
  const needs = Object.entries(version.needs).filter((entry): entry is [string, Need] => isRecord(entry[1]));
  const lines = keyLines(text);
  const linkTypes = linkTypesOf(
    root as Need,
    version,
    needs.map(([, need]) => need),
    options.linkTypes ?? [],
  );
  const ids = new Set(needs.map(([id]) => id));
  const externalIds = new Set(needs.filter(([, need]) => need.is_external === true).map(([id]) => id));
  const documents = new Map<string, { id: string; line: number }[]>();

  for (const [key, need] of needs) {
    const sourceId = typeof need.id === 'string' && need.id !== '' ? need.id : key;
    const location = at(file, lines.get(key));
    if (externalIds.has(key)) {
      batch.issue(
        'info',
        'skipped',
        `${sourceId} is an external need of this Sphinx project; links to it are kept.`,
        location,
      );
      continue;
    }
    const attributes: Record<string, AttributeValue> = {};
    for (const [name, value] of Object.entries(need)) {
      if (linkTypes.has(name)) {
        for (const target of linkTargets(value)) {
          // `REQ_1.p2` links to a part of REQ_1: the part is Sphinx rendering, the need is REQ_1.
          const dot = target.indexOf('.');
          const targetId =
            !ids.has(target) && dot > 0 && ids.has(target.slice(0, dot)) ? target.slice(0, dot) : target;
          batch.addRelation({ sourceId, targetId, type: name, location }, externalIds.has(targetId));
        }
        continue;
      }
      if (NEEDS_INTERNAL_FIELDS.has(name) || isBackLink(name, linkTypes)) continue;
      const kept = attributeValue(value);
      // sphinx-needs writes every declared extra option on every need, mostly as "": only the
      // ones given a value say anything.
      if (kept === undefined || kept === '' || (Array.isArray(kept) && kept.length === 0)) continue;
      attributes[name] = kept;
    }
    const tags = typeof need.tags === 'string' ? splitList(need.tags) : linkTargets(need.tags);
    if (tags.length) attributes.tags = tags;
    const body = typeof need.content === 'string' && need.content !== '' ? need.content : need.description;
    const text = typeof body === 'string' ? markdownText(batch, body, sourceId, location) : undefined;
    const sections = Array.isArray(need.sections)
      ? need.sections.filter((s): s is string => typeof s === 'string')
      : [];
    const status = typeof need.status === 'string' && need.status !== '' ? need.status : undefined;
    const added = batch.addObject({
      sourceId,
      type: typeof need.type === 'string' && need.type !== '' ? need.type : 'need',
      ...(typeof need.title === 'string' && need.title !== '' ? { title: need.title } : {}),
      ...(text !== undefined ? { text } : {}),
      attributes,
      // sphinx-needs lists sections innermost first.
      ...(sections.length ? { section: [...sections].reverse() } : {}),
      ...(status ? { provenance: { status } } : {}),
      location,
    });
    if (added && typeof need.docname === 'string') {
      const list = documents.get(need.docname) ?? [];
      list.push({ id: sourceId, line: typeof need.lineno === 'number' ? need.lineno : 0 });
      documents.set(need.docname, list);
    }
  }
  for (const docname of [...documents.keys()].sort()) {
    const entries = documents.get(docname)!;
    entries.sort((a, b) => a.line - b.line || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    batch.documents.push({ sourceId: docname, objectIds: entries.map((e) => e.id) });
  }
  const creator = isRecord(version.creator) ? version.creator : undefined;
  return creator && typeof creator.program === 'string'
    ? `${creator.program}${typeof creator.version === 'string' ? ` ${creator.version}` : ''}`
    : undefined;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const lineColumn = /line (\d+) column/.exec(message);
    const line = lineColumn
      ? Number(lineColumn[1])
      : position
        ? text.slice(0, Number(position[1])).split('\n').length
        : undefined;
    const reason = message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/\s*\(line \d+ column \d+\)/, '');
    throw new ImportError(`${file}${line ? `:${line}` : ''}: not valid JSON (${reason}).`, at(file, line));
  }
}

/**
 * Link options: the caller's, those the file declares (`needs_extra_links`, the schema's link
 * fields), `links`, and any list-valued option
 * that has a computed `_back` companion on some need.
 */
function linkTypesOf(
  root: Need,
  version: Need,
  needs: readonly Need[],
  given: readonly string[],
): Set<string> {
  const types = new Set<string>(['links', ...given]);
  // Some exports carry the configuration itself: `needs_extra_links` as Sphinx has it
  // (`{"option": "implements", ...}`) or as plain names.
  const declared = version.needs_extra_links ?? root.needs_extra_links;
  if (Array.isArray(declared))
    for (const entry of declared) {
      const name = typeof entry === 'string' ? entry : isRecord(entry) ? entry.option : undefined;
      if (typeof name === 'string' && name !== '') types.add(name);
    }
  const schema = isRecord(version.needs_schema) ? version.needs_schema.properties : undefined;
  if (isRecord(schema))
    for (const [name, field] of Object.entries(schema))
      if (isRecord(field) && field.field_type === 'links' && !name.endsWith('_back')) types.add(name);
  for (const need of needs)
    for (const name of Object.keys(need))
      if (name.endsWith('_back') && Array.isArray(need[name])) types.add(name.slice(0, -5));
  return types;
}

function isBackLink(name: string, linkTypes: ReadonlySet<string>): boolean {
  return name.endsWith('_back') && linkTypes.has(name.slice(0, -5));
}

function linkTargets(value: unknown): string[] {
  if (typeof value === 'string') return splitList(value);
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** The 1-based line of each `"key": {` of the file, first occurrence: where a need starts. */
function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const pattern = /"((?:[^"\\]|\\.)*)"\s*:\s*\{/g;
  let line = 1;
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    if (!lines.has(m[1]!)) lines.set(m[1]!, line);
  }
  return lines;
}

function isRecord(value: unknown): value is Need {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
