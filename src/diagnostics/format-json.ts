import { DOSSIER_VERSION } from '../version.js';
import { displayPaths, type ReportInput, toPosix, unloadedFilesReport } from './format.js';
import { type CheckReport, JSON_SCHEMA_VERSION } from './report.js';

export function checkReport(input: ReportInput): CheckReport {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    project: { ...(input.device ? { device: input.device } : {}), root: toPosix(input.displayRoot) },
    summary: {
      errors: input.summary.errors,
      warnings: input.summary.warnings,
      infos: input.summary.infos,
      records: input.summary.records,
      files: input.summary.files,
    },
    incomplete: (input.unloaded?.length ?? 0) > 0,
    unloadedFiles: unloadedFilesReport(input.unloaded ?? [], input.displayRoot),
    lowered: (input.lowered ?? []).map((l) => ({ ...l })),
    diagnostics: displayPaths(input.diagnostics, input.displayRoot).map(
      ({ related, clauses, lowered, ...rest }) => ({
        ...rest,
        clauses: [...clauses],
        ...(lowered ? { lowered: { ...lowered } } : {}),
        ...(related ? { related: related.map((r) => ({ ...r })) } : {}),
      }),
    ),
  };
}

export function formatJson(input: ReportInput): string {
  return `${JSON.stringify(checkReport(input), null, 2)}\n`;
}
