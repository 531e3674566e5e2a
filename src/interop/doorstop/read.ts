/**
 * A Doorstop tree (format 'doorstop'): every directory with a `.doorstop.yml` is a document (its
 * `settings.prefix` the document id), every `<UID>.yml` in it an item. Items are ordered by
 * `level` (1.2.10 after 1.2.9); non-normative items are headings, and their titles the section
 * path of the items numbered under them. `header` is the title (for a heading without one, the
 * first line of its text); `text` is already Markdown; `links` become 'parent' relations from the
 * item to each linked UID (the fingerprints, Doorstop's link review stamps, are not kept). Every
 * other attribute, `derived`, `ref`, `references`, `reviewed` and custom ones, is an attribute:
 * `reviewed` stays an attribute, not a provenance status, because whether the fingerprint still
 * matches the item can only be decided by Doorstop's own hashing.
 *
 * Inactive items (`active: false`) are skipped with an issue; links to them are then broken.
 * A document marked with `.doorstop.skip` is skipped as Doorstop does.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { at, attributeValue, BatchBuilder } from '../batch.js';
import type { AttributeValue, ImportBatch, ImportedObject } from '../model.js';
import { listSourceFiles, readSourceText, readSourceTexts } from '../source-files.js';
import { compareLevels, isUnder, levelParts } from './level.js';
import { parseDoorstopYaml } from './yaml-file.js';

/** Item attributes the reader places itself (title, text, structure, links). */
const PLACED = new Set(['active', 'header', 'level', 'links', 'normative', 'text']);

interface Item {
  readonly object: ImportedObject;
  readonly level: number[];
  readonly links: string[];
  readonly linksLine: number | undefined;
}

export async function readDoorstop(paths: readonly string[]): Promise<ImportBatch> {
  const configs = await listSourceFiles(
    paths,
    (name) => name === '.doorstop.yml',
    'Doorstop documents (.doorstop.yml)',
  );
  const batch = new BatchBuilder('doorstop');
  const sources: string[] = [];
  for (const config of configs) sources.push(config, ...(await readDocument(batch, config)));
  return batch.finish(sources, 'Doorstop');
}

async function readDocument(batch: BatchBuilder, config: string): Promise<string[]> {
  const dir = dirname(config);
  const settingsFile = parseDoorstopYaml(config, await readSourceText(config));
  const settings = record(settingsFile.data.settings);
  const prefix = typeof settings.prefix === 'string' ? settings.prefix : basename(dir);
  if (existsSync(join(dir, '.doorstop.skip'))) {
    batch.issue('info', 'skipped', `Document ${prefix} is marked .doorstop.skip.`, at(config));
    return [];
  }
  const defaults = record(record(settingsFile.data.attributes).defaults);
  const markdownItems = settings.itemformat === 'markdown';
  const extension = markdownItems ? '.md' : '.yml';
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith(extension) && e.name !== '.doorstop.yml')
    .map((e) => e.name)
    .sort();
  const files: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if (name.startsWith(prefix)) files.push(file);
    else
      batch.issue(
        'info',
        'skipped',
        `${file}: not an item of ${prefix} (its name does not start with the prefix).`,
        at(file),
      );
  }
  const texts = await readSourceTexts(files);
  const items: Item[] = [];
  files.forEach((file, index) => {
    const uid = basename(file).slice(0, -extension.length);
    const item = readItem(batch, file, uid, prefix, texts[index]!, defaults, markdownItems);
    if (item) items.push(item);
  });
  items.sort((a, b) => compareLevels(a.level, b.level) || (a.object.sourceId < b.object.sourceId ? -1 : 1));
  // Items are in level order, so the headings an item sits under are a stack: pop those whose
  // level is not a prefix of the item's, push the item if it is a heading itself.
  const open: Item[] = [];
  const objectIds: string[] = [];
  for (const item of items) {
    while (open.length && !isUnder(item.level, open[open.length - 1]!.level)) open.pop();
    const section = open.filter((h) => h.object.title).map((h) => h.object.title!);
    if (item.object.isHeading) open.push(item);
    const object = section.length ? { ...item.object, section } : item.object;
    if (!batch.addObject(object)) continue;
    objectIds.push(object.sourceId);
    for (const targetId of item.links)
      batch.addRelation({
        sourceId: object.sourceId,
        targetId,
        type: 'parent',
        location: at(object.location!.file, item.linksLine),
      });
  }
  batch.documents.push({ sourceId: prefix, title: prefix, objectIds });
  return files;
}

function readItem(
  batch: BatchBuilder,
  file: string,
  uid: string,
  prefix: string,
  text: string,
  defaults: Record<string, unknown>,
  markdown: boolean,
): Item | undefined {
  const { yaml, body } = markdown ? frontMatter(text) : { yaml: text, body: undefined };
  const parsed = parseDoorstopYaml(file, yaml);
  const data = { ...defaults, ...parsed.data };
  if (data.active === false) {
    batch.issue('info', 'skipped', `${uid} is inactive (active: false).`, at(file));
    return undefined;
  }
  const normative = data.normative !== false;
  const rawText = (body ?? (typeof data.text === 'string' ? data.text : '')).trim();
  let title = typeof data.header === 'string' && data.header.trim() !== '' ? data.header.trim() : undefined;
  let itemText = rawText;
  // A Doorstop heading without header shows the first line of its text as the heading; a
  // Markdown item writes its header as the body's first `#` heading.
  if (!title && rawText !== '' && (!normative || (markdown && /^#\s/.test(rawText)))) {
    const [first, ...rest] = rawText.split('\n');
    title = first!.replace(/^#+\s*/, '').trim();
    itemText = rest.join('\n').trim();
  }
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(data)) {
    if (PLACED.has(name)) continue;
    const kept =
      name === 'references' && Array.isArray(value)
        ? value.map((r) => (typeof record(r).path === 'string' ? String(record(r).path) : JSON.stringify(r)))
        : attributeValue(value);
    if (kept === undefined || kept === '') continue;
    attributes[name] = kept;
  }
  const levelSource = markdown
    ? data.level === undefined
      ? undefined
      : String(data.level)
    : parsed.source('level');
  return {
    object: {
      sourceId: uid,
      type: prefix,
      ...(title ? { title } : {}),
      ...(itemText ? { text: itemText } : {}),
      attributes,
      ...(normative ? {} : { isHeading: true }),
      location: at(file, 1),
    },
    level: levelParts(levelSource ?? '1.0'),
    links: linkTargets(data.links),
    linksLine: markdown ? undefined : parsed.lineOf('links'),
  };
}

/** `- REQ001: fingerprint`, `- REQ001: null` or `- REQ001`: the linked UIDs. */
function linkTargets(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) =>
    typeof entry === 'string' ? [entry] : entry && typeof entry === 'object' ? Object.keys(entry) : [],
  );
}

/** Doorstop 3 Markdown items: YAML front matter between `---` lines, the body the text. */
function frontMatter(text: string): { yaml: string; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  // The opening `---` line is kept as an empty line, so YAML error lines are the file's lines.
  return match ? { yaml: `\n${match[1]!}`, body: match[2]! } : { yaml: '', body: text };
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
