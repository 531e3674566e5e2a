import { z } from 'zod';
import { calendarDateSchema } from '../util/calendar-date.js';
import type { CustomFieldConfig, DossierConfig } from './config.js';
import { IMPORTED_FIELD, importedSchema } from './imported.js';
import { KIND_NAMES, type KindName, type KindSpec, kindSpec } from './kinds.js';
import { RECORD_STATUSES } from './vocabulary.js';

/** A link is written as one id or a list of ids. */
export const linkValueSchema = z.union([z.string(), z.array(z.string())]).describe('One id or a list of ids');

export function commonFields(kind: KindName | undefined) {
  return {
    id: z.string().min(1).describe('Stable identifier, PREFIX-NUMBER, e.g. SRS-012'),
    kind: (kind ? z.literal(kind) : z.enum(KIND_NAMES))
      .describe('Record kind; only needed when the id prefix does not say it')
      .optional(),
    title: z.string().min(1).describe('Short name'),
    status: z.enum(RECORD_STATUSES).describe('Document status (default draft)').optional(),
    tags: z.array(z.string()).describe('Free labels').optional(),
    text: z
      .string()
      .describe('Markdown text (collection files; in .md files the body is the text)')
      .optional(),
    [IMPORTED_FIELD]: importedSchema,
  };
}

export function customFieldSchema(field: CustomFieldConfig): z.ZodType {
  let schema: z.ZodType;
  switch (field.type) {
    case 'string':
      schema = z.string();
      break;
    case 'number':
      schema = z.number();
      break;
    case 'integer':
      schema = z.number().int();
      break;
    case 'boolean':
      schema = z.boolean();
      break;
    case 'date':
      schema = calendarDateSchema();
      break;
    case 'enum':
      schema = z.enum((field.values ?? []) as [string, ...string[]]);
      break;
    case 'string-list':
      schema = z.array(z.string());
      break;
  }
  if (field.description) schema = schema.describe(field.description);
  return field.required ? schema : schema.optional();
}

/** The zod schema of one kind's records, including the project's custom fields. */
export function recordSchema(spec: KindSpec, custom: Readonly<Record<string, CustomFieldConfig>> = {}) {
  const shape: Record<string, z.ZodType> = { ...commonFields(spec.name), ...spec.fields };
  for (const link of spec.links) {
    shape[link.field] = linkValueSchema
      .describe(`${link.description} → ${link.targets.join(', ')}`)
      .optional();
  }
  for (const [name, field] of Object.entries(custom)) shape[name] = customFieldSchema(field);
  return z.strictObject(shape).describe(`${spec.label}: ${spec.description}`);
}

export type RecordSchemaCache = Map<KindName, ReturnType<typeof recordSchema>>;

export function schemaCache(
  config: Pick<DossierConfig, 'customFields'>,
): (kind: KindName) => ReturnType<typeof recordSchema> {
  const cache: RecordSchemaCache = new Map();
  return (kind) => {
    let schema = cache.get(kind);
    if (!schema) {
      schema = recordSchema(kindSpec(kind), config.customFields[kind] ?? {});
      cache.set(kind, schema);
    }
    return schema;
  };
}
