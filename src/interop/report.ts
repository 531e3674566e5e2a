/**
 * `dossier import --format json`: a versioned contract (schemas/import-report.schema.json,
 * docs/migration.md); within a `schemaVersion` fields are only added.
 */
import { z } from 'zod';
import type { ImportOutcome } from './import.js';

export const IMPORT_REPORT_SCHEMA_VERSION = 1;

const location = z.strictObject({ file: z.string(), line: z.number().int().optional() });
const recordRef = {
  id: z.string().describe('Dossier id'),
  sourceId: z.string().describe('Id in the source'),
};

export const importReportSchema = z
  .strictObject({
    schemaVersion: z.literal(IMPORT_REPORT_SCHEMA_VERSION),
    format: z.string().describe('The reader'),
    tool: z.string().optional().describe('The tool that wrote the source, when it says'),
    sources: z.array(z.string()),
    dryRun: z.boolean(),
    counts: z.strictObject({
      objects: z.number().int(),
      relations: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      conflicts: z.number().int(),
      skipped: z.number().int(),
      gone: z.number().int(),
      unresolvedLinks: z
        .number()
        .int()
        .describe(
          'Source links not made Dossier links (kept in imported.unresolvedLinks); the import exits 1 while any',
        )
        .optional(),
    }),
    created: z.array(z.strictObject({ ...recordRef, kind: z.string(), title: z.string() })),
    updated: z.array(
      z.strictObject({
        ...recordRef,
        provenanceOnly: z.boolean().describe('Only `imported` was refreshed'),
        dropped: z.array(z.string()).describe('Owned fields the source no longer gives, removed'),
      }),
    ),
    conflicts: z.array(z.strictObject({ ...recordRef, reason: z.string() })),
    unchanged: z.array(z.string()),
    skipped: z.array(
      z.strictObject({ sourceId: z.string(), reason: z.string(), location: location.optional() }),
    ),
    gone: z.array(z.string()).describe('Records whose object is no longer in the source (kept)'),
    attachmentConflicts: z.array(z.string()),
    issues: z.array(
      z.strictObject({
        severity: z.enum(['error', 'warning', 'info']),
        code: z.string(),
        message: z.string(),
        location: location.optional(),
      }),
    ),
    written: z.array(z.string()).describe('Project-relative files written'),
  })
  .describe('What `dossier import` did (or, with --dry-run, would do)');

export type ImportReport = z.infer<typeof importReportSchema>;

export function importCounts(outcome: ImportOutcome): Required<ImportReport['counts']> {
  const by = (kind: string) => outcome.plan.actions.filter((a) => a.kind === kind).length;
  return {
    objects: outcome.batch.objects.length,
    relations: outcome.batch.relations.length,
    created: by('create'),
    updated: by('update'),
    unchanged: by('unchanged'),
    conflicts: by('conflict'),
    skipped: outcome.plan.skipped.length,
    gone: outcome.plan.gone.length,
    unresolvedLinks: outcome.plan.unresolvedLinks,
  };
}

export function importReport(outcome: ImportOutcome, dryRun: boolean): ImportReport {
  const { batch, plan } = outcome;
  const ref = (id: string, sourceId: string) => ({ id, sourceId });
  return {
    schemaVersion: IMPORT_REPORT_SCHEMA_VERSION,
    format: batch.format,
    ...(batch.tool ? { tool: batch.tool } : {}),
    sources: [...batch.sources],
    dryRun,
    counts: importCounts(outcome),
    created: plan.actions.flatMap((a) =>
      a.kind === 'create'
        ? [{ ...ref(a.record.id, a.record.object.sourceId), kind: a.record.kind, title: a.record.title }]
        : [],
    ),
    updated: plan.actions.flatMap((a) =>
      a.kind === 'update'
        ? [
            {
              ...ref(a.existing.id, a.record.object.sourceId),
              provenanceOnly: a.provenanceOnly,
              dropped: [...a.dropped],
            },
          ]
        : [],
    ),
    conflicts: plan.actions.flatMap((a) =>
      a.kind === 'conflict' ? [{ ...ref(a.existing.id, a.record.object.sourceId), reason: a.reason }] : [],
    ),
    unchanged: plan.actions.flatMap((a) => (a.kind === 'unchanged' ? [a.existing.id] : [])),
    skipped: plan.skipped.map((s) => ({
      sourceId: s.object.sourceId,
      reason: s.reason,
      ...(s.object.location ? { location: { ...s.object.location } } : {}),
    })),
    gone: plan.gone.map((r) => r.id),
    attachmentConflicts: [...outcome.attachmentConflicts],
    issues: plan.issues.map((i) => ({ ...i, ...(i.location ? { location: { ...i.location } } : {}) })),
    written: [...outcome.written],
  };
}
