import { z } from 'zod';
import { checkReportSchema } from '../diagnostics/report.js';
import { gapScanReportSchema } from '../gap/report-json.js';
import { diffReportSchema } from '../history/diff-report.js';
import { historyReportSchema } from '../history/history-report.js';
import { impactReportSchema } from '../impact/report.js';
import { answersFileSchema } from '../impact/submission-answers.js';
import { submissionReportSchema } from '../impact/submission-report.js';
import { mappingSchema } from '../interop/mapping.js';
import { importReportSchema } from '../interop/report.js';
import { securityPostmarketSchema } from '../security/postmarket.js';
import { securityReportSchema } from '../security/security-report.js';
import { signaturesFileSchema, signersFileSchema } from '../signatures/files.js';
import { API_SCHEMAS } from '../site/api-schema.js';
import { configSchema, type DossierConfig, prefixFor } from './config.js';
import { KINDS } from './kinds.js';
import { recordSchema } from './schemas.js';

/**
 * JSON Schemas generated from the zod schemas, for editors with the YAML language server and for
 * consumers of the JSON output. `dossier schemas --out schemas` writes them; a test keeps the
 * committed copies in step with the code.
 */
export function jsonSchemas(
  /** A project's configuration: its custom fields and id prefixes go into the record schemas. */
  project?: Pick<DossierConfig, 'customFields' | 'ids'>,
): Record<string, unknown> {
  // No $id: relative $refs then resolve against wherever the files are, which is what editors need.
  const toJson = (schema: z.ZodType) =>
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  const files: Record<string, unknown> = {
    'config.schema.json': toJson(configSchema),
    'check-report.schema.json': toJson(checkReportSchema),
    'gap-scan-report.schema.json': toJson(gapScanReportSchema),
    'diff-report.schema.json': toJson(diffReportSchema),
    'history-report.schema.json': toJson(historyReportSchema),
    'impact-report.schema.json': toJson(impactReportSchema),
    'submission-report.schema.json': toJson(submissionReportSchema),
    'submission-answers.schema.json': toJson(answersFileSchema),
    'signers.schema.json': toJson(signersFileSchema),
    'signatures.schema.json': toJson(signaturesFileSchema),
    'import-mapping.schema.json': toJson(mappingSchema),
    'import-report.schema.json': toJson(importReportSchema),
    'security-report.schema.json': toJson(securityReportSchema),
    'security-postmarket.schema.json': toJson(securityPostmarketSchema),
    ...Object.fromEntries(Object.entries(API_SCHEMAS).map(([name, schema]) => [name, toJson(schema)])),
  };
  const recordRefs: unknown[] = [];
  for (const spec of KINDS) {
    const name = `${spec.name}.schema.json`;
    files[name] = toJson(recordSchema(spec, project?.customFields[spec.name] ?? {}));
    recordRefs.push({ $ref: name });
  }
  // Kinds are told apart by `kind` or by id prefix; prefixes are configurable, so the combined
  // schema dispatches on the default prefixes and on `kind` and otherwise accepts any kind.
  files['record.schema.json'] = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    description: 'A Dossier record of any kind',
    allOf: KINDS.map((spec) => ({
      if: {
        anyOf: [
          { properties: { kind: { const: spec.name } }, required: ['kind'] },
          {
            properties: {
              id: {
                type: 'string',
                pattern: `^${project ? prefixFor(project, spec.name, spec.defaultPrefix) : spec.defaultPrefix}-`,
              },
            },
            required: ['id'],
            not: { required: ['kind'] },
          },
        ],
      },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a thenable.
      then: { $ref: `${spec.name}.schema.json` },
    })),
  };
  files['collection.schema.json'] = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    description: 'A Dossier collection file: many records of one or more kinds',
    type: 'object',
    additionalProperties: false,
    properties: {
      kind: { enum: KINDS.map((k) => k.name), description: 'Default kind of the records' },
      records: { type: 'array', items: { $ref: 'record.schema.json' } },
    },
    required: ['records'],
  };
  return files;
}
