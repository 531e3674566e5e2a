/**
 * Dossier records as a sphinx-needs `needs.json`, for `needs_external_needs` or `needimport`.
 *
 * Every record is one need: its kind the need type, its text the content (converted to RST), its
 * status and `tags` field as the need's own, every link field as a link option of the same name
 * (`derivesFrom`, `implements`, `verifies`), every other field as an extra option. The importing
 * Sphinx project must declare those names: link fields in `needs_extra_links` (with `option:` the
 * field name), other fields in `needs_extra_options`, kinds in `needs_types`; sphinx-needs drops
 * or warns about the undeclared ones. The `_back` reverse options are not written: sphinx-needs
 * computes them.
 *
 * The output is deterministic: needs sorted by id, options in a fixed order, `created` from the
 * caller (never the clock), so an unchanged project exports byte-identical files. The version
 * also carries a `needs_schema` naming the link fields (the sphinx-needs 2 form), which is how a
 * reader tells a link option from an extra option without the Sphinx configuration.
 */

import { serialize } from '../../util/canonical-json.js';
import { fieldText } from '../field-text.js';
import type { ExportRecord } from '../model.js';
import { markdownToRst } from '../rst/from-markdown.js';
import { NEEDS_INTERNAL_FIELDS } from './fields.js';

export interface NeedsJsonWriteOptions {
  /** ISO date-time written as `created`; the caller's build date, for reproducible output. */
  readonly created: string;
  readonly project: string;
  /** The version key; '1.0' by default. */
  readonly version?: string;
  /** Told of each text that RST cannot hold as it is (a heading inside a need becomes a bold line). */
  readonly warn?: (message: string) => void;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function writeNeedsJson(records: readonly ExportRecord[], options: NeedsJsonWriteOptions): string {
  const version = options.version ?? '1.0';
  const needs: Record<string, Record<string, unknown>> = {};
  const linkFields = new Set<string>(['links']);
  for (const record of [...records].sort((a, b) => byCodeUnit(a.id, b.id))) {
    if (/^ {0,3}#{1,6}\s/m.test(record.text)) {
      options.warn?.(
        `${record.id}: the headings in its text become bold lines (a need's content cannot hold RST sections)`,
      );
    }
    const need: Record<string, unknown> = {
      id: record.id,
      type: record.kind,
      title: record.title,
      description: markdownToRst(record.text),
      status: record.status,
      tags: stringList(record.fields.tags),
      links: [...(record.links.links ?? [])],
    };
    for (const field of Object.keys(record.links).sort(byCodeUnit)) {
      if (field === 'links' || NEEDS_INTERNAL_FIELDS.has(field)) continue;
      need[field] = [...record.links[field]!];
      linkFields.add(field);
    }
    for (const field of Object.keys(record.fields).sort(byCodeUnit)) {
      // Fields that would take the place of a need's own option (an `id`, a `type`) are not
      // written; `tags` already is.
      if (field in need || NEEDS_INTERNAL_FIELDS.has(field) || field.endsWith('_back')) continue;
      const value = optionValue(record.fields[field]);
      if (value !== undefined) need[field] = value;
    }
    needs[record.id] = need;
  }
  const schema: Record<string, unknown> = {};
  for (const field of [...linkFields].sort(byCodeUnit))
    schema[field] = { type: 'array', items: { type: 'string' }, field_type: 'links' };
  return serialize({
    created: options.created,
    current_version: version,
    project: options.project,
    versions: {
      [version]: {
        created: options.created,
        creator: { name: 'dossier', program: 'dossier' },
        needs,
        needs_amount: Object.keys(needs).length,
        needs_schema: { properties: schema },
      },
    },
  });
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Extra options are strings in sphinx-needs: lists joined the way `:tags:` are written. */
const optionValue = fieldText;
