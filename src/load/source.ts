import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { ValuePath } from '../diagnostics/diagnostic.js';
import { type ItemOffsets, itemOffsets } from './collection-items.js';
import { positionOf, quickEntryPosition, quickTopLevelOffset } from './quick-locate.js';

/**
 * The text of one loaded file, kept so that any value can be located later.
 *
 * Why two YAML parsers: records are read with js-yaml (about 10 µs per record) because the `yaml`
 * package's position-tracking parser costs about 80 µs, which alone would take 8 s on a 100,000-record
 * project. Positions are only needed for the few values a diagnostic points at, so the `yaml`
 * AST is built lazily, once per file that has a finding.
 */
export interface SourceFile {
  /** Path relative to the project root, with forward slashes. */
  readonly path: string;
  /** The YAML part of the file (the whole file, or a Markdown file's front matter). */
  readonly yaml: string;
  /** Zero-based line of the file on which `yaml` starts. */
  readonly yamlLine: number;
  /** One-based line on which the Markdown body starts, when the file has one. */
  readonly bodyLine?: number;
  /** For a collection: whether its records are under `records:` (or the file is a list), and how many. */
  readonly entries?: { readonly keyed: boolean; readonly count: number };
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

interface ParsedSource {
  readonly root: Node | null;
  readonly lines: LineCounter;
}

const parsedCache = new WeakMap<SourceFile, ParsedSource>();

function parsed(source: SourceFile): ParsedSource {
  let entry = parsedCache.get(source);
  if (!entry) {
    const lines = new LineCounter();
    const doc = parseDocument(source.yaml, { lineCounter: lines, uniqueKeys: false, strict: false });
    entry = { root: (doc.contents as Node | null) ?? null, lines };
    parsedCache.set(source, entry);
  }
  return entry;
}

// Positions found, per file: a source is the same object for as long as its file is unchanged (the
// file memo of `dossier serve`), so a re-analysis after an edit locates only the changed file's findings.
const positionCache = new WeakMap<SourceFile, Map<string, Position>>();

/**
 * One-based line and column of the value at `path` (or of its key with `atKey`). When the path
 * does not exist (a missing field), the position of the deepest existing node is returned.
 */
export function locate(source: SourceFile, path: ValuePath = [], atKey = false): Position {
  const key = `${atKey ? 'k' : 'v'}${JSON.stringify(path)}`;
  let known = positionCache.get(source);
  const position = known?.get(key);
  if (position) return position;
  const found = locateInText(source, path, atKey);
  if (!known) {
    known = new Map();
    positionCache.set(source, known);
  }
  known.set(key, found);
  return found;
}

function locateInText(source: SourceFile, path: ValuePath, atKey: boolean): Position {
  if (path.length <= 1 && (path.length === 0 || typeof path[0] === 'string') && !parsedCache.has(source)) {
    const offset = quickTopLevelOffset(source.yaml, path[0] as string | undefined, atKey);
    if (offset !== undefined) {
      const pos = positionOf(source.yaml, offset);
      return { line: pos.line + source.yamlLine, column: pos.col };
    }
  }
  if (source.entries) {
    const inEntry = quickEntryLocate(source, source.entries, path, atKey);
    if (inEntry) return inEntry;
  }
  return locateByParse(source, path, atKey);
}

/**
 * The fast way to a field of one record of a collection (most warnings of a large project point at
 * records of test and SOUP collections): the record's text as collection-items.ts cuts it, read by
 * {@link quickEntryPosition}; undefined for a deeper path or a shape it does not answer for.
 */
function quickEntryLocate(
  source: SourceFile,
  entries: NonNullable<SourceFile['entries']>,
  path: ValuePath,
  atKey: boolean,
): Position | undefined {
  const index = entries.keyed ? (path[0] === 'records' ? path[1] : undefined) : path[0];
  const inEntry = path.slice(entries.keyed ? 2 : 1);
  if (typeof index !== 'number' || inEntry.length > 1) return undefined;
  if (inEntry.length === 1 && typeof inEntry[0] !== 'string') return undefined;
  const offsets = offsetsOf(source, entries);
  if (!offsets || index >= offsets.starts.length) return undefined;
  const text = source.yaml.slice(offsets.starts[index]!, offsets.starts[index + 1] ?? offsets.end);
  const pos = quickEntryPosition(text, inEntry[0] as string | undefined, atKey);
  return pos && { line: pos.line + offsets.lines[index]! + source.yamlLine, column: pos.col };
}

/** {@link locate} always through the `yaml` package's syntax tree (the reference the fast path is tested against). */
export function locateByParse(source: SourceFile, path: ValuePath = [], atKey = false): Position {
  const entry = source.entries ? entryOf(source, source.entries, path) : undefined;
  if (entry) {
    const inEntry = path.slice(source.entries!.keyed ? 2 : 1);
    const pos = entry.lines.linePos(offsetOf(entry.root, inEntry, atKey));
    return { line: pos.line + entry.line + source.yamlLine, column: pos.col };
  }
  const { root, lines } = parsed(source);
  const pos = lines.linePos(offsetOf(root, path, atKey));
  return { line: pos.line + source.yamlLine, column: pos.col };
}

/** Offset of the value at `path` below `root` (of its key with `atKey`; else of the deepest node found). */
function offsetOf(root: Node | null, path: ValuePath, atKey: boolean): number {
  let node: Node | null = root;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length && node; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) break;
      const keyNode = pair.key as Node;
      const valueNode = (pair.value as Node | null) ?? null;
      if (last && atKey) return keyNode.range?.[0] ?? offset;
      offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

interface ParsedEntry {
  readonly root: Node | null;
  readonly lines: LineCounter;
  /** Zero-based line of the YAML on which the entry starts. */
  readonly line: number;
}

const offsetsCache = new WeakMap<SourceFile, ItemOffsets | null>();
const entryCache = new WeakMap<SourceFile, Map<number, ParsedEntry | null>>();

/** Where each record of a collection starts (null: the lines do not give them), found once per file. */
function offsetsOf(source: SourceFile, entries: NonNullable<SourceFile['entries']>): ItemOffsets | null {
  let offsets = offsetsCache.get(source);
  if (offsets === undefined) {
    offsets = itemOffsets(source.yaml, entries.keyed, entries.count) ?? null;
    offsetsCache.set(source, offsets);
  }
  return offsets;
}

/** The one record of a collection that `path` points into, parsed alone (undefined: parse the file). */
function entryOf(
  source: SourceFile,
  entries: NonNullable<SourceFile['entries']>,
  path: ValuePath,
): ParsedEntry | undefined {
  const index = entries.keyed ? (path[0] === 'records' ? path[1] : undefined) : path[0];
  if (typeof index !== 'number') return undefined;
  const offsets = offsetsOf(source, entries);
  if (!offsets || index >= offsets.starts.length) return undefined;
  let byIndex = entryCache.get(source);
  if (!byIndex) {
    byIndex = new Map();
    entryCache.set(source, byIndex);
  }
  let entry = byIndex.get(index);
  if (entry === undefined) {
    const start = offsets.starts[index]!;
    const text = source.yaml.slice(start, offsets.starts[index + 1] ?? offsets.end);
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, strict: false });
    const seq = doc.contents;
    entry =
      doc.errors.length === 0 && isSeq(seq) && seq.items.length === 1
        ? { root: (seq.items[0] as Node | null) ?? null, lines, line: offsets.lines[index]! }
        : null;
    byIndex.set(index, entry);
  }
  return entry ?? undefined;
}
