import { z } from 'zod';
import { SEVERITIES } from './diagnostic.js';

/** Version of the `--format json` contracts; bump on any incompatible change (docs/json.md). */
export const JSON_SCHEMA_VERSION = 1;

const location = {
  file: z.string().describe('Path relative to the directory Dossier was run from').optional(),
  line: z.number().int().min(1).optional(),
  column: z.number().int().min(1).optional(),
};

export const diagnosticSchema = z.strictObject({
  severity: z.enum(SEVERITIES),
  code: z.string().describe('Stable rule code, e.g. link/dangling'),
  message: z.string(),
  recordId: z.string().optional(),
  ...location,
  clauses: z
    .array(z.string())
    .describe('Clauses of IEC 62304 (or other standards, prefixed) the finding enforces'),
  safetyClass: z
    .string()
    .describe('For rules whose severity follows the class: the class of the record the finding is about')
    .optional(),
  lowered: z
    .strictObject({ from: z.enum(SEVERITIES), reason: z.string().optional() })
    .describe('dossier.yaml lowered this finding: its severity before, and the reason written there')
    .optional(),
  hint: z.string().optional(),
  related: z.array(z.strictObject({ message: z.string(), ...location })).optional(),
  consequenceOf: z
    .string()
    .describe(
      'A record file that did not load and holds the id this finding misses: the finding follows from that load error (it still counts)',
    )
    .optional(),
});

export const unloadedFileSchema = z.strictObject({
  file: z.string().describe('Path relative to the directory Dossier was run from'),
  code: z.string().describe('Code of the load error, e.g. load/front-matter-unclosed'),
  reason: z.string().describe('Why the file did not load'),
  recordsAtHead: z
    .number()
    .int()
    .min(0)
    .nullable()
    .describe('Records the file held in its last committed version (HEAD); null when unknown'),
  recordIdsAtHead: z.array(z.string()).describe('Their ids (empty when unknown)'),
  atHead: z.string().describe('The same in words, or why it is unknown (new file, not in git, ...)'),
});

export const checkReportSchema = z
  .strictObject({
    schemaVersion: z.literal(JSON_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('dossier'), version: z.string() }),
    project: z.strictObject({ device: z.string().optional(), root: z.string() }),
    summary: z.strictObject({
      errors: z.number().int().min(0),
      warnings: z.number().int().min(0),
      infos: z.number().int().min(0),
      records: z.number().int().min(0),
      files: z.number().int().min(0),
    }),
    incomplete: z
      .boolean()
      .describe('true when some record files did not load: their records are missing from this check'),
    unloadedFiles: z.array(unloadedFileSchema).describe('The record files that did not load, by path'),
    lowered: z
      .array(
        z.strictObject({
          code: z.string(),
          from: z.enum(SEVERITIES),
          to: z.enum([...SEVERITIES, 'off']),
          reason: z.string().optional(),
          findings: z.number().int().min(0).describe('Findings shown lower, or left out when `to` is off'),
        }),
      )
      .describe('Rules dossier.yaml lowers below their default severity, with the reason written there'),
    diagnostics: z
      .array(diagnosticSchema)
      .describe('Load errors first, each followed by its consequences; then the rest by file and line'),
  })
  .describe('Output of `dossier check --format json`');

export type CheckReport = z.infer<typeof checkReportSchema>;
