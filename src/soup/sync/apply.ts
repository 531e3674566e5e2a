/**
 * Writes a {@link SyncPlan} into the user's files without losing a word.
 *
 * Edits are splices into the original text at positions taken from the `yaml` parser, so every
 * byte not edited — comments, quoting, spacing, key order, Markdown bodies — stays as the user
 * wrote it (re-serialising the document would normalise all of that). Every file is replaced
 * atomically, all files are prepared before any is written, and a file changed on disk since it
 * was loaded is refused rather than overwritten.
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
  stringify,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { splitFrontMatter } from '../../load/read-file.js';
import type { SourceFile } from '../../load/source.js';
import type { DossierRecord } from '../../model/record.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
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
}

const NEW_FILE_HEADER = `# SOUP imported by \`dossier soup import\`. The tool keeps version, purl, dependency,
# sources, hashes and dependsOn in step with the lockfiles; what only people can say is yours:
# manufacturer (8.1.2 b), requirements (5.3.3), systemRequirements (5.3.4),
# anomalyReview (7.1.3), supportLevel and endOfSupport (FDA cybersecurity).
kind: soup
records:
`;

/** Fields written as inline lists of ids or paths, as people write them (`dependsOn: [SOUP-002]`). */
const FLOW_LISTS = new Set(['dependsOn', 'sources']);

function scalarText(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

/** The text after `key:` for a value: ` inline` or a newline and an indented block. */
function valueText(field: string, value: FieldValue, indent: string): string {
  if (Array.isArray(value) && (FLOW_LISTS.has(field) || value.every((v) => typeof v !== 'object'))) {
    return ` [${value.map(scalarText).join(', ')}]`;
  }
  if (typeof value === 'object') return `\n${blockText(value, `${indent}  `)}`;
  return ` ${scalarText(value)}`;
}

/** `value` in the quoting style of the scalar it replaces; undefined for plain scalars. */
function requote(type: string | undefined, value: string): string | undefined {
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return undefined;
}

function blockText(value: unknown, indent: string): string {
  return stringify(value, { lineWidth: 0 })
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
    if (edit.value === undefined) {
      // Delete the whole entry, from its line start to the end of its value's last line.
      const from = lineStart(text, key.range![0]);
      const to = lineEnd(text, lastContentOffset(text, (valueNode ?? key).range![1]));
      const newline = text.startsWith('\r\n', to) ? 2 : 1;
      splices.push({ at: from, end: Math.min(text.length, to + newline), text: '' });
      continue;
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

function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.at - a.at || b.end - a.end)) {
    out = out.slice(0, s.at) + s.text + out.slice(s.end);
  }
  return out;
}

export function applySync(actions: readonly SyncAction[], options: ApplyOptions): ApplyResult {
  const byFile = new Map<string, SyncAction[]>();
  const fileOf = (a: SyncAction) => (a.kind === 'create' ? options.into : a.record.origin.source.path);
  for (const action of actions) byFile.set(fileOf(action), [...(byFile.get(fileOf(action)) ?? []), action]);

  const outputs: [string, string][] = [];
  for (const [rel, fileActions] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const absolute = path.join(options.root, rel);
    const text = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : NEW_FILE_HEADER;
    const source = options.sources.get(rel);
    const region = splitRegion(text, source, rel);
    if (source && region.yaml !== source.yaml) {
      throw new SyncConflictError(
        `${rel} changed on disk since it was read; nothing was written, run the import again`,
      );
    }
    const doc = parseDocument(region.yaml, { uniqueKeys: false });
    if (doc.errors.length > 0) throw new SyncConflictError(`${rel}: ${doc.errors[0]!.message}`);
    const root = doc.contents as Node | null;
    const splices: Splice[] = [];
    const created: string[][] = [];
    for (const action of fileActions) {
      if (action.kind === 'create') {
        created.push([newRecordText(action.fields, '\u0000')]);
        continue;
      }
      splices.push(...editsForRecord(region.yaml, recordMap(root, action.record, rel), action.edits));
    }
    if (created.length > 0) splices.push(...appendRecords(region.yaml, root, rel, created));
    // Inserted text follows the file's line endings (a CRLF file stays CRLF).
    const eol = region.yaml.includes('\r\n') ? '\r\n' : '\n';
    const native =
      eol === '\n' ? splices : splices.map((sp) => ({ ...sp, text: sp.text.replace(/\r?\n/g, eol) }));
    let yaml = applySplices(region.yaml, native);
    if (!yaml.endsWith('\n') && region.after === '') yaml += '\n';
    const check = parseDocument(yaml, { uniqueKeys: false });
    if (check.errors.length > 0) {
      throw new SyncConflictError(
        `${rel}: the edit would not be valid YAML (${check.errors[0]!.message}); nothing was written`,
      );
    }
    outputs.push([absolute, region.before + yaml + region.after]);
  }
  for (const [absolute, content] of outputs) writeFileAtomic(absolute, content);
  return { written: outputs.map(([a]) => path.relative(options.root, a).split(path.sep).join('/')) };
}
