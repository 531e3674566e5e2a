/**
 * The contract of the `dossier serve` JSON API (/api/v1/, docs/json.md) as zod schemas:
 * `npm run schemas` writes them to schemas/api-*.schema.json, and a test validates the server's real
 * answers for the example against them. Within `schemaVersion` 1 fields are only added.
 */
import { z } from 'zod';
import { diagnosticSchema, JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { KIND_NAMES } from '../model/kinds.js';
import { securityReportSchema } from '../security/security-report.js';

const envelope = {
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  tool: z.strictObject({ name: z.literal('dossier'), version: z.string() }),
  generation: z
    .number()
    .int()
    .min(0)
    .describe('The analysis the answer comes from; increases on every re-analysis'),
};
const count = z.number().int().min(0);
const kind = z.enum(KIND_NAMES);
const brief = { id: z.string(), kind, title: z.string() };

export const apiOverviewSchema = z
  .strictObject({
    ...envelope,
    device: z.strictObject({ name: z.string(), manufacturer: z.string() }),
    software: z.strictObject({
      system: z.string(),
      version: z.string().nullable(),
      declaredClass: z.string(),
      computedClass: z.string().nullable(),
    }),
    documentationLevel: z.string(),
    summary: z.strictObject({ errors: count, warnings: count, infos: count, records: count, files: count }),
    incomplete: z.boolean().describe('Record files did not load: nothing is complete'),
    counts: z.record(z.string(), count).describe('Records of every kind, 0 included'),
    releases: z.array(
      z.strictObject({
        id: z.string(),
        version: z.string(),
        date: z.string().nullable(),
        gate: z.enum(['ready', 'blocked', 'not-checked']),
        notChecked: z.string().optional().describe('Why the gate could not run at all'),
        blockers: z
          .array(
            z.strictObject({
              code: z.string(),
              clauses: z.array(z.string()),
              message: z.string(),
              recordId: z.string().nullable(),
            }),
          )
          .optional(),
        vulnerabilitiesChecked: z.boolean().optional(),
      }),
    ),
    advisoryData: z.array(
      z.strictObject({
        ecosystem: z.string(),
        items: count,
        status: z.string(),
        ageDays: z.number().nullable(),
      }),
    ),
    gapScan: z
      .union([
        z.strictObject({
          status: z.literal('scanned'),
          version: z.string().nullable(),
          applicable: count,
          evidenceFound: count,
          partial: count,
          noEvidence: count,
          notApplicable: count,
          allowed: count,
          evidenceFoundPercent: z.number().describe('For information only: never a verdict'),
        }),
        z.strictObject({ status: z.literal('not-run'), reason: z.string() }),
      ])
      .describe('The gap scan by status, as `dossier gap-scan` counts it, or why it did not run'),
  })
  .describe('GET /api/v1/overview');

export const apiRecordsSchema = z
  .strictObject({
    ...envelope,
    kind: kind.nullable().describe('The kind asked for; null: every kind'),
    total: count,
    page: z.number().int().min(1),
    pages: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    records: z.array(
      z.strictObject({
        ...brief,
        status: z.string(),
        file: z.string(),
        line: z.number().int().min(1),
        diagnostics: count,
      }),
    ),
  })
  .describe('GET /api/v1/records?kind=<kind>&page=<n>');

export const apiRecordSchema = z
  .strictObject({
    ...envelope,
    record: z.strictObject({
      id: z.string(),
      kind,
      title: z.string(),
      status: z.string(),
      tags: z.array(z.string()),
      safetyClass: z.string(),
      file: z.string().describe('Relative to the project folder'),
      line: z.number().int().min(1),
      fields: z.record(z.string(), z.unknown()).describe('As written, kind-specific'),
      links: z.record(z.string(), z.array(z.string())),
      text: z.string().describe('Markdown as written: untrusted, render it escaped'),
    }),
    upstream: z.array(z.strictObject({ field: z.string(), ...brief })),
    downstream: z.array(z.strictObject({ field: z.string(), ...brief })),
    brokenLinks: z.array(z.strictObject({ field: z.string(), target: z.string() })),
    diagnostics: z.array(diagnosticSchema),
    approvals: z
      .array(
        z.strictObject({
          signer: z.string().describe('Signer id as the signatures file gives it'),
          name: z.string().nullable().describe('Printed name; null: not in the signers file'),
          meaning: z.string(),
          time: z.string().describe('The time the signature claims (UTC)'),
          state: z
            .enum(['valid', 'void', 'invalid', 'revoked', 'backdated'])
            .describe('As dossier check verified it; void: the record changed after it was signed'),
          why: z.string().nullable().describe('Why it is invalid, revoked or backdated'),
          commit: z.string().nullable().describe('The commit that holds it; null: not checked'),
          identityVerified: z
            .boolean()
            .describe(
              'The signers file is certified by the pinned trust root; a signature counts only when valid, with a commit and a verified identity',
            ),
        }),
      )
      .describe('Signatures of the record (empty when the project signs nothing)'),
    neighbourhood: z
      .strictObject({
        columns: z.array(
          z.strictObject({
            step: z
              .number()
              .int()
              .describe('Negative: links to (upstream), 0: the record, positive: linked from'),
            ids: z.array(z.string()),
            more: count.describe('Records at this step not listed'),
          }),
        ),
        edges: z.array(z.strictObject({ from: z.string(), to: z.string(), field: z.string() })),
      })
      .describe('The graph view: two steps each way, at most 8 records per step'),
  })
  .describe('GET /api/v1/records/<ID>');

export const apiSearchSchema = z
  .strictObject({
    ...envelope,
    query: z.string(),
    total: count,
    hits: z.array(z.strictObject(brief)),
  })
  .describe('GET /api/v1/search?q=<query>&limit=<n>');

export const apiDiagnosticsSchema = z
  .strictObject({
    ...envelope,
    total: count,
    page: z.number().int().min(1),
    pages: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    rules: z.array(z.strictObject({ code: z.string(), count })),
    diagnostics: z.array(diagnosticSchema),
  })
  .describe('GET /api/v1/diagnostics?page=<n>');

export const apiSecuritySchema = z
  .strictObject({
    ...envelope,
    cyberDevice: z.boolean().nullable().describe('device.cyberDevice; null: dossier.yaml does not say'),
    status: z
      .enum(['reported', 'missing', 'not-cyber-device'])
      .describe('missing: a cyber device (or one that does not say) without security records'),
    missing: z.array(z.string()).describe('With missing: what the project lacks'),
    report: securityReportSchema
      .nullable()
      .describe('What `dossier security --format json` reports; null unless reported'),
  })
  .describe('GET /api/v1/security');

/** File names under schemas/ (written by `dossier schemas`). */
export const API_SCHEMAS = {
  'api-overview.schema.json': apiOverviewSchema,
  'api-records.schema.json': apiRecordsSchema,
  'api-record.schema.json': apiRecordSchema,
  'api-search.schema.json': apiSearchSchema,
  'api-diagnostics.schema.json': apiDiagnosticsSchema,
  'api-security.schema.json': apiSecuritySchema,
} as const;
