/**
 * Writes a {@link SyncPlan} into the user's files without losing a word.
 *
 * Edits are splices into the original text at positions taken from the `yaml` parser, so every
 * byte not edited — comments, quoting, spacing, key order, Markdown bodies — stays as the user
 * wrote it (re-serialising the document would normalise all of that). Every file is replaced
 * atomically, all files are prepared before any is written, and a file changed on disk since it
 * was loaded is refused rather than overwritten.
 *
 * Nothing is written that the loader would refuse: every file is checked with the loader's own
 * reader and against the record-file size limit before anything is written. New records fill the
 * `into` file only to half the limit, leaving room for what people add to them (requirements,
 * reviews), and go on in numbered files beside it (`imported-2.yaml`, `imported-3.yaml`, …).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { splitFrontMatter } from '../../load/read-file.js';
import type { SourceFile } from '../../load/source.js';
import { recordFileRefusal, WRITER_FILL_SHARE } from '../../load/would-load.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../model/config.js';
import type { DossierRecord } from '../../model/record.js';
import { sha256Hex } from '../../util/hash.js';
import { ChangedOnDiskError, insideProject } from '../../util/write-guard.js';
import { writeFilesAtomically } from '../../util/write-journal.js';
import { needsEscapes, yamlDoubleQuoted, yamlText } from '../../util/yaml-text.js';
import type { FieldEdit, FieldValue, SyncAction } from './plan.js';

export interface ApplyResult {
  /** Project-relative paths written. */
  readonly written: readonly string[];
}

export class SyncConflictError extends Error {}

interface Splice {
  readonly at: number;
  readonly end: number;
  readonly text: string;
}

export interface ApplyOptions {
  readonly root: string;
  /** Project-relative collection file that receives new records. */
  readonly into: string;
  /** Files as they were loaded, to refuse writing over concurrent edits. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** The loader's record-file size limit (`limits.maxFileBytes`). */
  readonly maxFileBytes?: number;
  /** The command, named in the write journal (default `dossier soup import`). */
  readonly owner?: string;
  /**
   * Whole new files written in the same all-or-nothing write (`dossier import` writes one Markdown
   * file per new record, and the attachments its texts link to). Never written over a file that
   * exists, or one that appears while the command runs.
   */
  readonly newFiles?: readonly { readonly rel: string; readonly content: string | Uint8Array }[];
}

const NEW_FILE_HEADER = `# SOUP imported by \`dossier soup import\`. The tool keeps version, purl, dependency,
# sources, hashes and dependsOn in step with the lockfiles; what only people can say is yours:
# manufacturer (8.1.2 b), requirements (5.3.3), systemRequirements (5.3.4),
# anomalyReview (7.1.3), supportLevel and endOfSupport (FDA cybersecurity; taken from an SBOM
# only where it gives them, as supportSource says).
kind: soup
records:
`;

/** Fields written as inline lists of ids or paths, as people write them (`dependsOn: [SOUP-002]`). */
const FLOW_LISTS = new Set(['dependsOn', 'sources']);

/**
 * Lists of long lines written one item per line, whatever their items: link review stamps
 * (docs/change-control.md), so that each link's review is its own line in a diff and a merge.
 */
const BLOCK_LISTS = new Set(['linkReviews']);

/**
 * A scalar as YAML, for a key at column `indent`. A multi-line string becomes a block scalar whose
 * lines are indented under the key (the `yaml` library picks the style and chomping, and falls back
 * to a quoted scalar where a block cannot hold the text).
 */
function scalarText(value: unknown, indent = ''): string {
  const text = yamlText({ v: value }).replace(/\n$/, '');
  const [first = '', ...rest] = text.split('\n');
  return [first.slice('v: '.length), ...rest.map((line) => (line === '' ? '' : indent + line))].join('\n');
}

/** The text after `key:` for a value: ` inline` or a newline and an indented block. */
function valueText(field: string, value: FieldValue, indent: string): string {
  if (
    Array.isArray(value) &&
    !BLOCK_LISTS.has(field) &&
    (FLOW_LISTS.has(field) || value.every((v) => typeof v !== 'object'))
  ) {
    // Written as a flow list, each item quoted as a flow collection needs: a plain `a,b` or `}` there
    // would split or break the list, and a block scalar cannot stand in it.
    return ` ${yamlText(value, { flow: true }).replace(/\n$/, '')}`;
  }
  if (typeof value === 'object') return `\n${blockText(value, `${indent}  `)}`;
  return ` ${scalarText(value, indent)}`;
}

/** `value` in the quoting style of the scalar it replaces; undefined for plain scalars. */
function requote(type: string | undefined, value: string): string | undefined {
  if (type === 'QUOTE_DOUBLE') return yamlDoubleQuoted(value);
  // A single-quoted scalar cannot escape anything, and folds line breaks: such a value is written
  // in the style its content needs instead.
  if (type === 'QUOTE_SINGLE' && !needsEscapes(value) && !/[\r\n\t]/.test(value))
    return `'${value.replace(/'/g, "''")}'`;
  return undefined;
}

function blockText(value: unknown, indent: string): string {
  return yamlText(value)
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the end of the line holding `offset`, before its `\n` or `\r\n`. */
function lineEnd(text: string, offset: number): number {
  const n = text.indexOf('\n', offset);
  if (n < 0) return text.length;
  return n > 0 && text[n - 1] === '\r' ? n - 1 : n;
}

/** Spaces up to the column of `offset` (a key after `- ` is indented by the dash too). */
function indentAt(text: string, offset: number): string {
  return ' '.repeat(offset - lineStart(text, offset));
}

function pairOf(map: YAMLMap, field: string): Pair<Node, Node> | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === field) as
    | Pair<Node, Node>
    | undefined;
}

function editsForRecord(text: string, map: YAMLMap, edits: readonly FieldEdit[]): Splice[] {
  if (map.flow || map.items.length === 0) {
    throw new SyncConflictError(
      'a record written as an inline {…} map cannot be edited in place; write it as a block map',
    );
  }
  const firstKey = map.items[0]!.key as Node;
  const indent = indentAt(text, firstKey.range![0]);
  const last = map.items[map.items.length - 1]! as Pair<Node, Node>;
  const endOfRecord = lineEnd(text, lastContentOffset(text, (last.value ?? last.key).range![1]));
  const splices: Splice[] = [];
  let appended = '';
  for (const edit of edits) {
    const pair = pairOf(map, edit.field);
    if (!pair) {
      if (edit.value === undefined) continue;
      const value = edit.append ? [edit.value] : edit.value;
      appended += `\n${indent}${edit.field}:${valueText(edit.field, value as FieldValue, indent)}`;
      continue;
    }
    const key = pair.key as Node;
    const valueNode = pair.value as Node | null;
    if (edit.addItems && Array.isArray(edit.value)) {
      splices.push(...addedItems(text, key, valueNode, edit.value as readonly string[], indent));
      continue;
    }
    if (edit.value === undefined) {
      // Delete the whole entry, from its line start to the end of its value's last line.
      const from = lineStart(text, key.range![0]);
      const to = lineEnd(text, lastContentOffset(text, (valueNode ?? key).range![1]));
      const newline = text.startsWith('\r\n', to) ? 2 : 1;
      splices.push({ at: from, end: Math.min(text.length, to + newline), text: '' });
      continue;
    }
    if (edit.append && isSeq(valueNode) && valueNode.flow && valueNode.items.length > 0) {
      // Replacing the list by the one new item would drop those already there.
      throw new SyncConflictError(
        `\`${edit.field}\` is written as an inline [...] list, where an item cannot be added in place; write it as a block list (one \`- \` item per line) and run again`,
      );
    }
    if (edit.append && valueNode && isSeq(valueNode) && !valueNode.flow && valueNode.items.length > 0) {
      const seq = valueNode as YAMLSeq<Node>;
      const itemIndent = indentAt(text, seq.range![0]);
      const at = lineEnd(text, lastContentOffset(text, seq.range![1]));
      splices.push({ at, end: at, text: `\n${blockText([edit.value], itemIndent)}` });
      continue;
    }
    const value = edit.append ? [edit.value] : edit.value;
    const valueEnd = valueNode ? lastContentOffset(text, valueNode.range![1]) : key.range![1];
    // A scalar replaced by a scalar keeps the quotes its author chose (`version: "3.1.1"`).
    const quoted =
      valueNode && isScalar(valueNode) && typeof value === 'string'
        ? requote(valueNode.type, value)
        : undefined;
    splices.push({
      at: key.range![1],
      end: valueEnd,
      text: `:${quoted !== undefined ? ` ${quoted}` : valueText(edit.field, value as FieldValue, indent)}`,
    });
  }
  if (appended) splices.push({ at: endOfRecord, end: endOfRecord, text: appended });
  return splices;
}

/** Adds ids to a list in its own style: `[a]` → `[a, b]`, a block list gains `- b` lines. */
function addedItems(
  text: string,
  key: Node,
  valueNode: Node | null,
  items: readonly string[],
  indent: string,
): Splice[] {
  const present = isSeq(valueNode) ? valueNode.items.map((i) => String(isScalar(i) ? i.value : '')) : [];
  const missing = items.filter((id) => !present.includes(id));
  if (missing.length === 0) return [];
  if (isSeq(valueNode) && valueNode.flow) {
    // The closing bracket is the last character of the flow sequence.
    const close = text.lastIndexOf(']', valueNode.range![1] - 1);
    const before = text.slice(0, close).trimEnd();
    const separator = before.endsWith('[') ? '' : ', ';
    const items = yamlText(missing, { flow: true }).trim().slice(1, -1);
    return [{ at: close, end: close, text: `${separator}${items}` }];
  }
  if (isSeq(valueNode) && valueNode.items.length > 0) {
    const itemIndent = indentAt(text, valueNode.range![0]);
    const at = lineEnd(text, lastContentOffset(text, valueNode.range![1]));
    return [{ at, end: at, text: missing.map((m) => `\n${itemIndent}- ${scalarText(m)}`).join('') }];
  }
  // No list yet (`uses:` empty, or an empty block): write one.
  const end = valueNode ? lastContentOffset(text, valueNode.range![1]) : key.range![1];
  return [
    { at: key.range![1], end: Math.max(end, key.range![1]), text: `:${valueText('uses', missing, indent)}` },
  ];
}

/** Block collections end after their trailing newline; step back to the last content character. */
function lastContentOffset(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

function recordMap(root: Node | null, record: DossierRecord, rel: string): YAMLMap {
  let node: unknown = root;
  for (const segment of record.origin.path) {
    if (isMap(node)) node = node.get(segment, true);
    else if (isSeq(node)) node = node.items[Number(segment)];
    else node = undefined;
  }
  if (!isMap(node) || String(node.get('id')) !== record.id) {
    throw new SyncConflictError(
      `${rel}: ${record.id} is no longer where it was loaded from; run the import again`,
    );
  }
  return node;
}

/** The map at `within` inside a record's map (a nested object, or a list item that is a map). */
function nestedMap(map: YAMLMap, within: readonly (string | number)[], record: DossierRecord, rel: string) {
  let node: unknown = map;
  for (const step of within) {
    if (isMap(node) && typeof step === 'string') node = node.get(step, true);
    else if (isSeq(node) && typeof step === 'number') node = node.items[step];
    else node = undefined;
  }
  if (!isMap(node)) {
    throw new SyncConflictError(
      `${rel}: ${record.id} has no map at ${within.join('.')} any more; run the command again`,
    );
  }
  return node;
}

function newRecordText(fields: Readonly<Record<string, FieldValue>>, indent: string): string {
  const lines = Object.entries(fields).map(
    ([key, value]) => `${indent}  ${key}:${valueText(key, value, `${indent}  `)}`,
  );
  return `${indent}- ${lines.join('\n').slice(indent.length + 2)}`;
}

function appendRecords(text: string, root: Node | null, rel: string, records: string[][]): Splice[] {
  const blocks = (indent: string) => records.map((fields) => fields.join('\n').replaceAll('\u0000', indent));
  // The indent of a sequence is the column of its dashes; a block sequence's range starts at the first.
  if (isSeq(root) && !root.flow) {
    const indent = root.items.length > 0 ? indentAt(text, root.range![0]) : '';
    const at = root.items.length > 0 ? lineEnd(text, lastContentOffset(text, root.range![1])) : text.length;
    return [
      {
        at,
        end: at,
        text: blocks(indent)
          .map((b) => `\n\n${b}`)
          .join(''),
      },
    ];
  }
  if (isMap(root)) {
    const kind = root.get('kind');
    if (kind !== undefined && kind !== 'soup') {
      throw new SyncConflictError(
        `${rel} holds kind ${String(kind)} records; new SOUP records need a SOUP collection, choose another file with --into`,
      );
    }
    const pair = pairOf(root, 'records');
    const seq = pair?.value;
    if (pair && isSeq(seq) && !seq.flow && seq.items.length > 0) {
      const indent = indentAt(text, seq.range![0]);
      const at = lineEnd(text, lastContentOffset(text, seq.range![1]));
      return [
        {
          at,
          end: at,
          text: blocks(indent)
            .map((b) => `\n\n${b}`)
            .join(''),
        },
      ];
    }
    const empty =
      seq === null || (isScalar(seq) && seq.value === null) || (isSeq(seq) && seq.items.length === 0);
    if (pair && empty) {
      const from = (pair.key as Node).range![1];
      const to = isSeq(seq) ? lastContentOffset(text, seq.range![1]) : lineEnd(text, from);
      return [{ at: from, end: to, text: `:\n${blocks('  ').join('\n\n')}` }];
    }
  }
  throw new SyncConflictError(
    `${rel} is not a SOUP collection (kind: soup with records:), so new records cannot go there; choose another file with --into`,
  );
}

/** Replaces a Markdown record's body, keeping its closing `---` line as it is. */
function replaceBody(out: Output, body: string): void {
  if (out.source?.bodyLine === undefined) {
    throw new SyncConflictError(`${out.rel} is not a Markdown record; its text is a field`);
  }
  const closing = /^[^\n]*\n?/.exec(out.after)![0];
  const eol = closing.endsWith('\r\n') ? '\r\n' : '\n';
  const text = body.replace(/\s+$/u, '');
  out.after = `${closing.endsWith('\n') ? closing : `${closing}${eol}`}${text === '' ? '' : `${eol}${text.replace(/\r?\n/g, eol)}${eol}`}`;
}

function splitRegion(
  text: string,
  source: SourceFile | undefined,
  rel: string,
): { before: string; yaml: string; after: string } {
  if (source?.bodyLine === undefined) return { before: '', yaml: text, after: '' };
  const split = splitFrontMatter(text);
  if (!split.ok) throw new SyncConflictError(`${rel}: the front matter can no longer be found`);
  return { before: split.open, yaml: split.yaml, after: split.rest };
}

/**
 * Applies splices from the end of the text backwards. Insertions at one offset (a list item appended
 * at the end of a record's last field, then a field appended after the record) land in the order
 * they were made: the later one is applied first, so the earlier one ends up before it.
 */
function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  const ordered = splices
    .map((splice, index) => ({ splice, index }))
    .sort((a, b) => b.splice.at - a.splice.at || b.splice.end - a.splice.end || b.index - a.index);
  for (const { splice: s } of ordered) {
    out = out.slice(0, s.at) + s.text + out.slice(s.end);
  }
  return out;
}

interface Output {
  readonly rel: string;
  readonly absolute: string;
  /** The sha256 of the file's bytes as read here, or null for a new file: checked again just before the rename. */
  readonly readSha256: string | null;
  readonly before: string;
  yaml: string;
  /** A Markdown record's closing `---` line and body; empty for a YAML file. */
  after: string;
  readonly source?: SourceFile;
}

/** Reads a file to edit (or starts a new collection) and checks it is still what was loaded. */
function openOutput(root: string, rel: string, sources: ReadonlyMap<string, SourceFile>): Output {
  const absolute = insideProject(root, rel);
  const raw = fs.existsSync(absolute) ? fs.readFileSync(absolute) : undefined;
  const text = raw ? raw.toString('utf8') : NEW_FILE_HEADER;
  const source = sources.get(rel);
  const region = splitRegion(text, source, rel);
  if (source && region.yaml !== source.yaml) {
    throw new SyncConflictError(
      `${rel} changed on disk since it was read; nothing was written, run the import again`,
    );
  }
  return {
    rel,
    absolute,
    readSha256: raw ? sha256Hex(raw) : null,
    before: region.before,
    yaml: region.yaml,
    after: region.after,
    ...(source ? { source } : {}),
  };
}

function parsed(output: Output) {
  const doc = parseDocument(output.yaml, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new SyncConflictError(`${output.rel}: ${doc.errors[0]!.message}`);
  return doc.contents as Node | null;
}

/** Applies splices in the file's own line endings. */
function splice(output: Output, splices: readonly Splice[]): void {
  const eol = output.yaml.includes('\r\n') ? '\r\n' : '\n';
  const native =
    eol === '\n' ? splices : splices.map((sp) => ({ ...sp, text: sp.text.replace(/\r?\n/g, eol) }));
  output.yaml = applySplices(output.yaml, native);
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const fullText = (o: Output) => o.before + o.yaml + o.after;

/** `records/soup/imported.yaml` → `records/soup/imported-2.yaml` for n = 2. */
function numbered(rel: string, n: number): string {
  if (n === 1) return rel;
  const ext = path.posix.extname(rel);
  return `${rel.slice(0, rel.length - ext.length)}-${n}${ext}`;
}

/**
 * Which file each new record goes to: the last file of the `into` chain that exists, while it stays
 * under the fill share of the limit, then new numbered files. Sizes are estimated from the record
 * text; the files are checked exactly before anything is written.
 */
function placeNewRecords(
  blocks: readonly string[],
  options: ApplyOptions,
  sizeOf: (rel: string) => number | undefined,
): Map<string, number[]> {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const fill = Math.floor(limit * WRITER_FILL_SHARE);
  let n = 1;
  while (sizeOf(numbered(options.into, n + 1)) !== undefined) n++;
  let rel = numbered(options.into, n);
  let size = sizeOf(rel) ?? bytes(NEW_FILE_HEADER);
  let placedHere = 0;
  const placed = new Map<string, number[]>();
  blocks.forEach((block, index) => {
    const grown = size + bytes(block) + 2;
    // A file takes records up to the fill share; an empty one takes at least one that fits at all.
    if (grown > fill && !(placedHere === 0 && sizeOf(rel) === undefined && grown <= limit)) {
      n++;
      rel = numbered(options.into, n);
      size = sizeOf(rel) ?? bytes(NEW_FILE_HEADER);
      placedHere = 0;
    }
    placed.set(rel, [...(placed.get(rel) ?? []), index]);
    size += bytes(block) + 2;
    placedHere++;
  });
  return placed;
}

/** What the loader would say about a file: nothing, or why it would not load (src/load/would-load.ts). */
function loadProblem(output: Output, limit: number): string | undefined {
  const problem = recordFileRefusal(output.rel, fullText(output), limit);
  return problem && bytes(fullText(output)) > limit
    ? `${problem}; move some of its records to another file, or raise the limit`
    : problem;
}

export function applySync(actions: readonly SyncAction[], options: ApplyOptions): ApplyResult {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const outputs = new Map<string, Output>();
  const output = (rel: string) => {
    let found = outputs.get(rel);
    if (!found) {
      found = openOutput(options.root, rel, options.sources);
      outputs.set(rel, found);
    }
    return found;
  };

  // Edits of records where they are.
  const byFile = new Map<string, SyncAction[]>();
  for (const action of actions) {
    if (action.kind === 'create') continue;
    const rel = action.record.origin.source.path;
    byFile.set(rel, [...(byFile.get(rel) ?? []), action]);
  }
  for (const [rel, fileActions] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const out = output(rel);
    const root = parsed(out);
    const splices: Splice[] = [];
    for (const action of fileActions) {
      if (action.kind === 'create') continue;
      const map = recordMap(root, action.record, rel);
      const target =
        action.kind === 'update' && action.within ? nestedMap(map, action.within, action.record, rel) : map;
      splices.push(...editsForRecord(out.yaml, target, action.edits));
      if (action.kind === 'update' && action.body !== undefined) replaceBody(out, action.body);
    }
    splice(out, splices);
  }

  // New records, spread over the `into` file and numbered files beside it.
  const creates = actions.filter((a): a is Extract<SyncAction, { kind: 'create' }> => a.kind === 'create');
  if (creates.length > 0) {
    const blocks = creates.map((a) => newRecordText(a.fields, '\u0000'));
    const sizeOf = (rel: string) => {
      const known = outputs.get(rel);
      if (known) return bytes(fullText(known));
      const absolute = path.join(options.root, rel);
      return fs.existsSync(absolute) ? fs.statSync(absolute).size : undefined;
    };
    for (const [rel, indexes] of placeNewRecords(
      blocks.map((b) => b.replaceAll('\u0000', '  ')),
      options,
      sizeOf,
    )) {
      const out = output(rel);
      splice(
        out,
        appendRecords(
          out.yaml,
          parsed(out),
          rel,
          indexes.map((i) => [blocks[i]!]),
        ),
      );
    }
  }

  // Nothing is written unless every file parses and loads within the limit.
  const written = [...outputs.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1));
  const newFiles = (options.newFiles ?? []).map((f) => {
    const absolute = insideProject(options.root, f.rel);
    if (outputs.has(f.rel) || fs.existsSync(absolute)) {
      throw new SyncConflictError(`${f.rel} already exists; nothing was written`);
    }
    if (typeof f.content === 'string') {
      const problem = recordFileRefusal(f.rel, f.content, limit);
      if (problem) throw new SyncConflictError(`${problem}; nothing was written`);
    }
    return { path: absolute, content: f.content, unchangedSince: null, rel: f.rel };
  });
  for (const out of written) {
    if (!out.yaml.endsWith('\n') && out.after === '') out.yaml += '\n';
    const check = parseDocument(out.yaml, { uniqueKeys: false });
    if (check.errors.length > 0) {
      throw new SyncConflictError(
        `${out.rel}: the edit would not be valid YAML (${check.errors[0]!.message}); nothing was written`,
      );
    }
    const problem = loadProblem(out, limit);
    if (problem) throw new SyncConflictError(`${problem}; nothing was written`);
  }
  // All files or none: a command killed half-way is completed or undone by the next one.
  try {
    writeFilesAtomically(options.root, options.owner ?? 'dossier soup import', [
      ...written.map((out) => ({
        path: out.absolute,
        content: fullText(out),
        unchangedSince: out.readSha256,
      })),
      ...newFiles.map(({ rel: _rel, ...write }) => write),
    ]);
  } catch (error) {
    if (!(error instanceof ChangedOnDiskError)) throw error;
    const rel = path.relative(options.root, error.file).split(path.sep).join('/');
    throw new SyncConflictError(
      `${rel} changed on disk while the import ran; your edit was kept and nothing was written; run the import again`,
    );
  }
  const done = [...written.map((out) => out.rel), ...newFiles.map((f) => f.rel)].sort();
  return { written: done };
}
