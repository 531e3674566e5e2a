/**
 * Writes an import plan: one Markdown file per new record under `--into`, owned fields of updated
 * records edited in place (comments, key order and the fields people added survive, as with every
 * writer of records here), and the attachments the texts link to. All files or none, under the
 * project lock the command holds; nothing is ever deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../load/source.js';
import { IMPORTED_FIELD } from '../model/imported.js';
import { type ApplyResult, applySync } from '../soup/sync/apply.js';
import type { FieldEdit, FieldValue, SyncAction } from '../soup/sync/plan.js';
import { yamlText } from '../util/yaml-text.js';
import type { ImportedAttachment } from './model.js';
import type { ImportAction, PlannedRecord } from './plan.js';

export interface ApplyImportOptions {
  readonly root: string;
  /** Project-relative folder that receives new records and attachments. */
  readonly into: string;
  readonly sources: ReadonlyMap<string, SourceFile>;
  readonly maxFileBytes?: number;
}

/** The front matter and body of a new record file. */
export function recordFileText(record: PlannedRecord): string {
  const front: Record<string, unknown> = { id: record.id, title: record.title, status: 'draft' };
  if (record.tags.length > 0) front.tags = [...record.tags];
  Object.assign(front, record.fields, record.links);
  front[IMPORTED_FIELD] = record.imported;
  const body = record.text.replace(/\r\n?/g, '\n').replace(/\s+$/u, '');
  return `---\n${yamlText(front)}---\n${body === '' ? '' : `\n${body}\n`}`;
}

export const recordFilePath = (into: string, id: string) => path.posix.join(into, `${id}.md`);

function updateAction(action: Extract<ImportAction, { kind: 'update' }>): SyncAction {
  const { existing, record } = action;
  const edits: FieldEdit[] = [];
  let body: string | undefined;
  if (!action.provenanceOnly) {
    const owned = new Set(record.imported.owns);
    if (record.title !== existing.title) edits.push({ field: 'title', value: record.title });
    if (owned.has('tags')) edits.push({ field: 'tags', value: record.tags });
    for (const [field, value] of Object.entries(record.fields)) {
      edits.push({ field, value: value as FieldValue });
    }
    for (const [field, targets] of Object.entries(record.links)) edits.push({ field, value: targets });
    for (const field of action.dropped) {
      if (field !== 'title' && field !== 'text') edits.push({ field, value: undefined });
    }
    if (record.text !== existing.text) {
      if (existing.origin.source.bodyLine !== undefined) body = record.text;
      else edits.push({ field: 'text', value: record.text });
    }
  }
  edits.push({ field: IMPORTED_FIELD, value: record.imported as unknown as FieldValue });
  return { kind: 'update', record: existing, edits, ...(body !== undefined ? { body } : {}) };
}

/** Attachments to write: new files only; one already there with other bytes is a conflict. */
export function attachmentWrites(
  root: string,
  into: string,
  attachments: readonly ImportedAttachment[],
): { writes: { rel: string; content: Uint8Array }[]; conflicts: string[] } {
  const writes: { rel: string; content: Uint8Array }[] = [];
  const conflicts: string[] = [];
  for (const attachment of attachments) {
    // Readers normalise paths; a path that would leave the folder is refused here too.
    const normal = path.posix.normalize(attachment.path);
    if (path.posix.isAbsolute(normal) || normal.startsWith('../') || normal === '..') {
      conflicts.push(attachment.path);
      continue;
    }
    const rel = path.posix.join(into, normal);
    const absolute = path.join(root, rel);
    if (fs.existsSync(absolute)) {
      if (!Buffer.from(attachment.bytes).equals(fs.readFileSync(absolute))) conflicts.push(rel);
      continue;
    }
    writes.push({ rel, content: attachment.bytes });
  }
  return { writes, conflicts };
}

export function applyImport(
  actions: readonly ImportAction[],
  attachments: readonly { rel: string; content: Uint8Array }[],
  options: ApplyImportOptions,
): ApplyResult {
  const updates = actions.flatMap((a) => (a.kind === 'update' ? [updateAction(a)] : []));
  const newFiles = [
    ...actions.flatMap((a) =>
      a.kind === 'create'
        ? [{ rel: recordFilePath(options.into, a.record.id), content: recordFileText(a.record) }]
        : [],
    ),
    ...attachments,
  ];
  return applySync(updates, {
    root: options.root,
    into: '',
    sources: options.sources,
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    owner: 'dossier import',
    newFiles,
  });
}
