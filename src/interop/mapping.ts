/**
 * The import mapping: how a source's object types, attributes and link types become Dossier kinds,
 * fields and links (docs/migration.md#the-mapping-file). One shape for every format; a format only
 * brings its defaults (the standard attribute and link names its tools write).
 *
 * Written by people, so it is checked like any project file: an unknown kind or a misspelt key is an
 * error at its line, never ignored.
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MAX_FILE_BYTES } from '../model/config.js';
import { KIND_NAMES, KINDS, type KindName } from '../model/kinds.js';
import { readYamlFile } from '../signatures/files.js';
import { ImportError } from './model.js';
import { sheetColumnsSchema } from './sheet/columns.js';

const kindOrSkip = z.union([z.enum(KIND_NAMES), z.literal('skip')]);

const linkTarget = z.union([
  z.string().min(1),
  z.strictObject({
    field: z.string().min(1).describe('The Dossier link field, e.g. derivesFrom, verifies, implements'),
    reverse: z
      .boolean()
      .describe(
        'True when the source writes the link on the upstream end (e.g. `fulfilled_by`, `validated_by`): Dossier writes it on the other end',
      )
      .optional(),
  }),
]);

export const mappingSchema = z
  .strictObject({
    kinds: z
      .record(z.string(), kindOrSkip)
      .describe(
        'Source object type → Dossier kind, or `skip`. `"*"` is the kind of every type not listed; without it, unlisted types are skipped and reported',
      )
      .optional(),
    idPrefixes: z
      .record(z.string(), kindOrSkip)
      .describe(
        'Source id prefix → Dossier kind, for sources whose objects carry no type (mlx.traceability: `SWRQT-`, `UTEST-`); the longest matching prefix wins, after `kinds`',
      )
      .optional(),
    headings: z
      .enum(['skip', 'import'])
      .describe(
        'Heading / chapter objects: `skip` (default; their titles stay in each record’s `imported.section`) or `import` with the kind of their type',
      )
      .optional(),
    ids: z
      .union([z.enum(['source', 'allocate']), z.strictObject({ attribute: z.string().min(1) })])
      .describe(
        '`source` (default): keep the source’s id where it is a valid Dossier id with the kind’s prefix, else allocate; `allocate`: always the next free id; `{attribute: NAME}`: the id is in that attribute',
      )
      .optional(),
    fields: z
      .record(z.string(), z.string().min(1))
      .describe('Source attribute → Dossier field (a kind field or a custom field of dossier.yaml)')
      .optional(),
    values: z
      .record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])))
      .describe('Per Dossier field, source value → Dossier value, e.g. category: {Functional: functional}')
      .optional(),
    tags: z
      .array(z.string().min(1))
      .describe('Source attributes whose values become tags (default: tags, Tags, TAGS)')
      .optional(),
    links: z
      .record(z.string(), z.union([linkTarget, z.literal('skip')]))
      .describe(
        'Source link type → Dossier link field, or `trace` (the link the two kinds take), or {field, reverse}; `skip` drops it, reported',
      )
      .optional(),
    sheet: sheetColumnsSchema
      .describe('Spreadsheet columns (xlsx, csv): see docs/migration.md#spreadsheets')
      .optional(),
    trackers: z
      .strictObject({
        labelTypes: z
          .record(z.string(), z.string().min(1))
          .describe('GitHub label → object type; the first of an issue’s labels found here sets its type')
          .optional(),
      })
      .describe('Issue tracker options (github, jira): see docs/migration.md#issue-trackers')
      .optional(),
  })
  .describe('How `dossier import` maps a source to Dossier records');

export type MappingFile = z.infer<typeof mappingSchema>;

/**
 * The link field `trace`: the source says only that one object traces to another (parent, covers,
 * fulfills); the Dossier link is the one the two kinds take (src/interop/plan.ts, traceField).
 */
export const TRACE_LINK = 'trace';

export interface LinkMapping {
  readonly field: string;
  readonly reverse: boolean;
}

/** The mapping in force: the user's file over the format's defaults. */
export interface Mapping {
  readonly kinds: Readonly<Record<string, KindName | 'skip'>>;
  readonly idPrefixes: Readonly<Record<string, KindName | 'skip'>>;
  readonly headings: 'skip' | 'import';
  readonly ids: 'source' | 'allocate' | { readonly attribute: string };
  readonly fields: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;
  readonly tags: readonly string[];
  readonly links: Readonly<Record<string, LinkMapping | 'skip'>>;
  readonly sheet?: MappingFile['sheet'];
  readonly trackers?: MappingFile['trackers'];
}

/**
 * Link names that mean "this record derives from / refines that one" in the tools teams move from
 * (ReqIF relation types, sphinx-needs `links`, StrictDoc `Parent`, Doorstop `parent`,
 * OFT `Covers`, mlx `fulfills`). Only used where the mapping file does not say otherwise; the
 * import checks each link against the kinds it joins, so a wrong guess is reported, not written.
 */
const trace = (reverse = false): LinkMapping => ({ field: TRACE_LINK, reverse });
const DEFAULT_LINKS: Readonly<Record<string, LinkMapping>> = {
  parent: trace(),
  Parent: trace(),
  child: trace(true),
  Child: trace(true),
  links: trace(),
  derives: trace(),
  'derives from': trace(),
  derivesFrom: trace(),
  derives_from: trace(),
  fulfills: trace(),
  fulfilled_by: trace(true),
  satisfies: trace(),
  satisfied_by: trace(true),
  refines: trace(),
  refined_by: trace(true),
  covers: trace(),
  Covers: trace(),
  trace: trace(),
  traces: trace(),
  verifies: { field: 'verifies', reverse: false },
  tests: { field: 'verifies', reverse: false },
  validates: { field: 'verifies', reverse: false },
  validated_by: { field: 'verifies', reverse: true },
  verified_by: { field: 'verifies', reverse: true },
  implements: { field: 'implements', reverse: false },
  implemented_by: { field: 'implements', reverse: true },
  mitigates: { field: 'mitigates', reverse: false },
};

const DEFAULT_TAG_ATTRIBUTES = ['tags', 'Tags', 'TAGS'];

/**
 * A format's defaults: the object types its tools write that have an obvious Dossier kind.
 * Everything else needs the mapping file (`kinds:`), and the import says so.
 */
const SPHINX_NEEDS_KINDS: Readonly<Record<string, KindName | 'skip'>> = {
  req: 'software-requirement',
  spec: 'software-requirement',
  impl: 'software-item',
  test: 'test',
};
const DEFAULT_KINDS: Readonly<Record<string, Readonly<Record<string, KindName | 'skip'>>>> = {
  'needs-json': SPHINX_NEEDS_KINDS,
  'sphinx-needs-rst': SPHINX_NEEDS_KINDS,
  // StrictDoc's free-text nodes are document prose, not records.
  sdoc: { TEXT: 'skip' },
  github: { issue: 'problem-report' },
  jira: { Bug: 'problem-report', Defect: 'problem-report', 'Change Request': 'change-request' },
  oft: {
    feat: 'system-requirement',
    req: 'software-requirement',
    arch: 'software-item',
    dsn: 'software-item',
    impl: 'skip',
    utest: 'test',
    itest: 'test',
    stest: 'test',
  },
};

export function defaultMapping(format: string): Mapping {
  return {
    kinds: DEFAULT_KINDS[format] ?? {},
    idPrefixes: {},
    headings: 'skip',
    ids: 'source',
    fields: {},
    values: {},
    tags: DEFAULT_TAG_ATTRIBUTES,
    links: DEFAULT_LINKS,
  };
}

const toLinkMapping = (value: z.infer<typeof linkTarget> | 'skip'): LinkMapping | 'skip' =>
  value === 'skip'
    ? 'skip'
    : typeof value === 'string'
      ? { field: value, reverse: false }
      : { field: value.field, reverse: value.reverse === true };

/** The user's mapping file laid over the format's defaults (the file wins key by key). */
export function mergeMapping(format: string, file: MappingFile | undefined): Mapping {
  const base = defaultMapping(format);
  if (!file) return base;
  const links: Record<string, LinkMapping | 'skip'> = { ...base.links };
  for (const [type, target] of Object.entries(file.links ?? {})) links[type] = toLinkMapping(target);
  return {
    kinds: { ...base.kinds, ...(file.kinds ?? {}) },
    idPrefixes: { ...base.idPrefixes, ...(file.idPrefixes ?? {}) },
    headings: file.headings ?? base.headings,
    ids: file.ids ?? base.ids,
    fields: { ...base.fields, ...(file.fields ?? {}) },
    values: { ...base.values, ...(file.values ?? {}) },
    tags: file.tags ?? base.tags,
    links,
    ...(file.sheet !== undefined ? { sheet: file.sheet } : {}),
    ...(file.trackers !== undefined ? { trackers: file.trackers } : {}),
  };
}

/** Reads a mapping file; an unreadable or invalid file is an ImportError at its line. */
export function readMappingFile(file: string): MappingFile {
  const absolute = path.resolve(file);
  const read = readYamlFile(
    path.dirname(absolute),
    path.basename(absolute),
    mappingSchema,
    'import/mapping',
    DEFAULT_MAX_FILE_BYTES,
  );
  if (read.state === 'absent') throw new ImportError(`mapping file ${file} does not exist`);
  // A file with nothing but comments maps nothing: the format's defaults apply.
  if (
    read.state === 'invalid' &&
    read.text !== undefined &&
    /^\s*(#.*)?$/.test(read.text.replace(/\n\s*(#.*)?(?=\n|$)/g, ''))
  ) {
    return {};
  }
  if (read.state === 'invalid') {
    const first = read.findings[0];
    const line = first?.at && 'line' in first.at ? first.at.line : undefined;
    throw new ImportError(
      `${first?.message ?? `${file} is not a valid mapping file`}; see docs/migration.md#the-mapping-file`,
      { file, ...(line !== undefined ? { line } : {}) },
    );
  }
  return read.value;
}

const KIND_SET: ReadonlySet<string> = new Set(KIND_NAMES);

/**
 * The kind an object type maps to: listed; else by the longest listed prefix of its id; else the kind of that name (what `dossier export`
 * writes, so that an export imports back without a mapping); else `"*"`; else undefined (skipped
 * and reported).
 */
export function kindFor(mapping: Mapping, type: string, id?: string): KindName | 'skip' | undefined {
  const listed = mapping.kinds[type];
  if (listed) return listed;
  if (id !== undefined) {
    const prefix = Object.keys(mapping.idPrefixes)
      .filter((p) => id.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix !== undefined) return mapping.idPrefixes[prefix];
  }
  return KIND_SET.has(type) ? (type as KindName) : mapping.kinds['*'];
}

/** Every link field of the model, by its name in lower case (spreadsheet headers lose the case). */
const LINK_FIELDS: ReadonlyMap<string, string> = new Map(
  KINDS.flatMap((k) => k.links.map((l) => [l.field.toLowerCase(), l.field] as const)),
);

/**
 * The link a source link type maps to: listed; else, for a type with a role (StrictDoc `Parent`
 * with ROLE `Refines`: "Parent:Refines"), its type; else the Dossier link field of that name (what
 * `dossier export` writes, so that an export imports back without a mapping); else undefined.
 */
export function linkFor(mapping: Mapping, type: string): LinkMapping | 'skip' | undefined {
  const listed = mapping.links[type] ?? mapping.links[type.split(':')[0]!];
  if (listed) return listed;
  const field = LINK_FIELDS.get(type.toLowerCase());
  return field ? { field, reverse: false } : undefined;
}
