/**
 * `dossier import` as a library call: read the source, plan against the project, write (unless a
 * dry run), and say what happened. The caller loads the project and holds the project lock.
 */
import path from 'node:path';
import type { Project } from '../load/project.js';
import { prefixFor } from '../model/config.js';
import { type KindName, kindSpec } from '../model/kinds.js';
import { limitsOf } from '../model/limits.js';
import { schemaCache } from '../model/schemas.js';
import { insideProject } from '../util/write-guard.js';
import { applyImport, attachmentWrites, recordFilePath } from './apply.js';
import { type MappingFile, mergeMapping } from './mapping.js';
import type { ImportBatch, ImportIssue } from './model.js';
import { type ImportAction, type ImportPlan, planImport, type SkippedObject } from './plan.js';
import { type ReaderSpec, readerFor } from './readers.js';

export interface ImportRequest {
  /** The reader (`dossier import --help` lists them). */
  readonly format: string;
  readonly files: readonly string[];
  /** Project-relative folder for new records. */
  readonly into: string;
  readonly mapping?: MappingFile;
  /** YYYY-MM-DD recorded in `imported.date`. */
  readonly date: string;
  readonly dryRun: boolean;
  /** A reader of the caller's own (library use); default: the one `format` names. */
  readonly reader?: ReaderSpec;
  /** Told as each stage starts (a long import shows where it is). */
  readonly onStage?: (stage: 'read' | 'plan' | 'write', detail: string) => void;
}

export interface ImportOutcome {
  readonly batch: ImportBatch;
  readonly plan: ImportPlan;
  /** Attachments that exist with other content, not written. */
  readonly attachmentConflicts: readonly string[];
  /** Project-relative files written (empty for a dry run). */
  readonly written: readonly string[];
}

/** Source files as `imported.file` names them: project-relative when inside the project. */
function sourceName(root: string, file: string): string {
  const rel = path.relative(root, path.resolve(file));
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

export async function importIntoProject(project: Project, request: ImportRequest): Promise<ImportOutcome> {
  const root = project.root;
  insideProject(root, request.into, request.into);
  const mapping = mergeMapping(request.format, request.mapping);
  const reader = request.reader ?? readerFor(request.format);
  request.onStage?.(
    'read',
    `reading ${request.files.length === 1 ? request.files[0] : `${request.files.length} files`}`,
  );
  const read = await reader.read(request.files, { mapping, limits: limitsOf(project.config.limits) });
  // Sources are named the way `imported.file` keeps them, so that a re-import finds its records.
  const names = new Map(request.files.map((f) => [f, sourceName(root, f)]));
  const rename = (file: string) => names.get(file) ?? file;
  const batch: ImportBatch = {
    ...read,
    sources: read.sources.map(rename),
    objects: read.objects.map((o) =>
      o.location ? { ...o, location: { ...o.location, file: rename(o.location.file) } } : o,
    ),
  };
  request.onStage?.('plan', `planning ${batch.objects.length.toLocaleString('en-US')} objects`);
  const schemaOf = schemaCache(project.config);
  const plan = planImport({
    batch,
    mapping,
    records: project.records,
    prefixOf: (kind: KindName) => prefixFor(project.config, kind, kindSpec(kind).defaultPrefix),
    fieldSchema: (kind, field) =>
      (schemaOf(kind).shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[field],
    date: request.date,
  });
  const attachments = attachmentWrites(root, request.into, batch.attachments);
  const writes = plan.actions.some((a) => a.kind === 'create' || a.kind === 'update');
  if (request.dryRun || (!writes && attachments.writes.length === 0)) {
    return { batch, plan, attachmentConflicts: attachments.conflicts, written: [] };
  }
  request.onStage?.(
    'write',
    `writing ${(plan.actions.filter((a) => a.kind === 'create' || a.kind === 'update').length + attachments.writes.length).toLocaleString('en-US')} files`,
  );
  const result = applyImport(plan.actions, attachments.writes, {
    root,
    into: request.into,
    sources: project.sources,
    ...(project.config.limits?.maxFileBytes !== undefined
      ? { maxFileBytes: project.config.limits.maxFileBytes }
      : {}),
  });
  return { batch, plan, attachmentConflicts: attachments.conflicts, written: result.written };
}

/** One line per action, for the text report and `--dry-run`. */
export function describeImportAction(action: ImportAction, into: string): string {
  switch (action.kind) {
    case 'create':
      return `  + ${action.record.id} ${action.record.kind} "${action.record.title}" → ${recordFilePath(into, action.record.id)} (from ${action.record.object.sourceId})`;
    case 'update':
      return action.provenanceOnly
        ? `  ~ ${action.existing.id}: source details refreshed (imported)`
        : `  ~ ${action.existing.id}: updated from the source${action.dropped.length > 0 ? `; no longer given: ${action.dropped.join(', ')}` : ''}`;
    case 'conflict':
      return `  ! ${action.existing.id} ${action.reason}`;
    case 'unchanged':
      return `  = ${action.existing.id}`;
  }
}

export function describeSkipped(skipped: SkippedObject): string {
  const at = skipped.object.location
    ? ` (${skipped.object.location.file}${skipped.object.location.line ? `:${skipped.object.location.line}` : ''})`
    : '';
  return `  - ${skipped.object.sourceId}${at}: ${skipped.reason}`;
}

export function describeIssue(issue: ImportIssue): string {
  const at = issue.location
    ? `${issue.location.file}${issue.location.line ? `:${issue.location.line}` : ''}: `
    : '';
  return `${at}${issue.severity}: ${issue.message}`;
}
