import type { z } from 'zod';
import type { Finding, ValuePath } from '../diagnostics/diagnostic.js';
import { type DossierConfig, prefixFor } from '../model/config.js';
import { fingerprintOf, seedFingerprint } from '../model/fingerprint.js';
import {
  COMMON_FIELD_NAMES,
  isKindName,
  KIND_NAMES,
  KINDS,
  type KindName,
  kindSpec,
} from '../model/kinds.js';
import { STAMP_FORMAT_HINT } from '../model/link-stamp.js';
import type { DossierRecord } from '../model/record.js';
import { keysAt, valueAt } from '../model/schema-paths.js';
import { quickCheckOf } from '../model/schema-quick-check.js';
import { schemaCache } from '../model/schemas.js';
import type { RecordStatus } from '../model/vocabulary.js';
import { describeValue, didYouMean } from '../util/suggest.js';
import type { RawRecord } from './read-file.js';
import { type SchemaMemo, schemaMemoSlot } from './schema-memo.js';

export const ID_PATTERN = /^([A-Z][A-Z0-9]*)-(\d+)$/;

export interface RecordValidator {
  validate(raw: RawRecord): { record?: DossierRecord; findings: Finding[] };
}

/**
 * Builds the validator for a project: prefixes, schemas with custom fields. With `memo` (the parse
 * cache), a record value that passed its schema in an earlier run with the same dossier.yaml is not
 * checked again, and one that passes now is remembered.
 */
export function recordValidator(config: DossierConfig, memo?: SchemaMemo): RecordValidator {
  const kindByPrefix = new Map<string, KindName>();
  for (const spec of KINDS) kindByPrefix.set(prefixFor(config, spec.name, spec.defaultPrefix), spec.name);
  const schemaFor = schemaCache(config);

  return {
    validate(raw) {
      const findings: Finding[] = [];
      const file = raw.source.path;
      const at = (path: ValuePath, atKey = false) => ({ file, path: [...raw.path, ...path], atKey });
      const data = raw.data;
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        findings.push({
          code: 'schema/wrong-type',
          message: `a record must be a mapping of fields, got ${describeValue(data)}`,
          at: at([]),
          hint: 'write the record as `id: ...`, `title: ...` lines',
        });
        return { findings };
      }
      const fields = data as Record<string, unknown>;
      const id = fields.id;
      if (id === undefined || id === null || id === '') {
        findings.push({
          code: 'schema/missing-field',
          message: 'record has no `id`',
          at: at([]),
          hint: 'give every record a unique id such as `SRS-001`',
        });
        return { findings };
      }
      if (typeof id !== 'string') {
        findings.push({
          code: 'schema/wrong-type',
          message: `\`id\` must be text, got ${describeValue(id)}`,
          at: at(['id']),
          hint: 'write the id as PREFIX-NUMBER, e.g. `SRS-001`',
        });
        return { findings };
      }

      // The kind: written on the record, else the id prefix, else the collection's default.
      const idMatch = ID_PATTERN.exec(id);
      const prefixKind = idMatch ? kindByPrefix.get(idMatch[1]!) : undefined;
      let kind: KindName | undefined;
      if (fields.kind !== undefined) {
        if (!isKindName(fields.kind)) {
          findings.push({
            code: 'schema/invalid-value',
            message: `unknown kind "${String(fields.kind)}"${didYouMean(String(fields.kind), KIND_NAMES)}`,
            recordId: id,
            at: at(['kind']),
            hint: `kinds are: ${KIND_NAMES.join(', ')}`,
          });
          return { findings };
        }
        kind = fields.kind;
      } else {
        kind = prefixKind ?? (isKindName(raw.defaultKind) ? raw.defaultKind : undefined);
      }

      if (!idMatch) {
        findings.push({
          code: 'id/malformed',
          message: `id "${id}" is not of the form PREFIX-NUMBER`,
          recordId: id,
          at: at(['id']),
          hint: 'use an upper-case prefix, a hyphen and a number, e.g. `SRS-012`',
        });
      } else if (kind && prefixKind && prefixKind !== kind) {
        findings.push({
          code: 'id/malformed',
          message: `id prefix "${idMatch[1]}" is for ${prefixKind} records, but this record is a ${kind}`,
          recordId: id,
          at: at(['id']),
          hint: `use the ${kind} prefix "${prefixFor(config, kind, kindSpec(kind).defaultPrefix)}", or fix \`kind\``,
        });
      } else if (!kind) {
        findings.push({
          code: 'id/malformed',
          message: `id prefix "${idMatch[1]}" is not configured for any kind${didYouMean(idMatch[1]!, kindByPrefix.keys())}`,
          recordId: id,
          at: at(['id']),
          hint: 'use a configured prefix (see `ids:` in dossier.yaml), or add `kind:` to the record',
        });
      }
      if (!kind) return { findings };

      const spec = kindSpec(kind);
      const schema = schemaFor(kind);
      const hasBody = raw.body !== undefined;
      const values: Record<string, unknown> = { ...fields };
      if (hasBody && 'text' in values) {
        findings.push({
          code: 'schema/unknown-field',
          message:
            'a Markdown record takes its text from the body; `text` is not allowed in its front matter',
          recordId: id,
          at: at(['text'], true),
          hint: 'move the text below the closing `---`',
        });
        delete values.text;
      }
      const textHash = memo ? raw.textHash : undefined;
      const slot = textHash !== undefined ? schemaMemoSlot(raw.path, kind, hasBody) : '';
      const remembered = textHash !== undefined ? memo!.recall(textHash, slot) : undefined;
      // The quick check says yes only where zod would; zod runs for the rest, and gives the issues.
      const result =
        remembered !== undefined || quickCheckOf(schema)(values) ? PASSED : schema.safeParse(values);
      const invalid = new Set<string>();
      if (!result.success) {
        for (const issue of result.error.issues) {
          const finding = issueToFinding(issue, values, schema, id, at);
          findings.push(finding);
          if (issue.path.length > 0) invalid.add(String(issue.path[0]));
          else if (issue.code === 'unrecognized_keys') for (const key of issue.keys) invalid.add(key);
        }
      }

      const linkFields = linkFieldsOf(kind);
      const links: Record<string, string[]> = {};
      let scalarLinks: Set<string> | undefined;
      const kindFields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        if (invalid.has(key) && !linkFields.has(key) && !KEPT_WHEN_INVALID.has(key)) continue;
        if (linkFields.has(key)) {
          if (typeof value === 'string') {
            links[key] = [value];
            scalarLinks ??= new Set();
            scalarLinks.add(key);
          } else if (Array.isArray(value)) {
            links[key] = value.filter((v): v is string => typeof v === 'string');
          }
        } else if (!COMMON_FIELDS.has(key)) {
          kindFields[key] = value;
        }
      }
      for (const link of spec.links) {
        const targets = links[link.field];
        if (link.max !== undefined && targets && targets.length > link.max) {
          findings.push({
            code: 'schema/wrong-type',
            message: `\`${link.field}\` takes at most ${link.max} id, got ${targets.length}`,
            recordId: id,
            at: at([link.field]),
            hint: `keep only the ${link.field} link that is right`,
          });
        }
      }

      const text = hasBody ? (raw.body ?? '') : typeof values.text === 'string' ? values.text : '';
      const record: DossierRecord = {
        id,
        kind,
        title: typeof values.title === 'string' && !invalid.has('title') ? values.title : '',
        status: (!invalid.has('status') && (values.status as RecordStatus | undefined)) || 'draft',
        tags: Array.isArray(values.tags) && !invalid.has('tags') ? (values.tags as string[]) : [],
        text,
        fields: kindFields,
        links,
        origin: scalarLinks
          ? { source: raw.source, path: raw.path, scalarLinks }
          : { source: raw.source, path: raw.path },
      };
      // A pass is remembered with the record's fingerprint: a warm run takes it instead of computing
      // it (records joined with companion files later are new objects and compute their own).
      if (remembered !== undefined) seedFingerprint(record, remembered);
      else if (textHash !== undefined && result.success)
        memo!.remember(textHash, slot, fingerprintOf(record));
      return { record, findings };
    },
  };
}

const COMMON_FIELDS: ReadonlySet<string> = new Set(COMMON_FIELD_NAMES);

/** The link fields of each kind, made once (the validator runs once per record of 100,000). */
const LINK_FIELDS = new Map<KindName, ReadonlySet<string>>();
function linkFieldsOf(kind: KindName): ReadonlySet<string> {
  let fields = LINK_FIELDS.get(kind);
  if (!fields) {
    fields = new Set(kindSpec(kind).links.map((l) => l.field));
    LINK_FIELDS.set(kind, fields);
  }
  return fields;
}

/** A schema check the memo says passed before (only its `success` is read). */
const PASSED = { success: true } as const;

/**
 * Fields kept as written even when invalid (other invalid fields are left out of the record):
 * `linkReviews`, the review state of links. Its readers take only well-formed stamps from it, so a
 * link whose stamp is broken stays suspect; and `dossier suspect --clear` must see a broken list to
 * refuse rewriting it (it would lose the stamps that are fine), as `diff` and `history` must to show
 * what a revision held.
 */
const KEPT_WHEN_INVALID: ReadonlySet<string> = new Set(['linkReviews']);

function issueToFinding(
  issue: z.core.$ZodIssue,
  values: Record<string, unknown>,
  schema: z.ZodType,
  recordId: string,
  at: (path: ValuePath, atKey?: boolean) => { file: string; path: ValuePath; atKey: boolean },
): Finding {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const name = path.length > 0 ? `\`${path.join('.')}\`` : 'record';
  const actual = valueAt(values, issue.path);
  if ((actual === undefined || actual === null) && issue.code !== 'unrecognized_keys' && path.length > 0) {
    return {
      code: 'schema/missing-field',
      message: `required field ${name} is missing`,
      recordId,
      at: at(path.slice(0, -1)),
      hint: `add \`${String(path[path.length - 1])}:\` with a value`,
    };
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const parentPath = path;
      const siblings = keysAt(schema, parentPath);
      const key = issue.keys[0] ?? '';
      return {
        code: 'schema/unknown-field',
        message: `unknown field "${issue.keys.join('", "')}"${didYouMean(key, siblings)}`,
        recordId,
        at: at([...parentPath, key], true),
        hint: parentPath.length === 0 ? `fields of this kind: ${[...siblings].sort().join(', ')}` : undefined,
      };
    }
    case 'invalid_type': {
      return {
        code: 'schema/wrong-type',
        message: `${name} must be ${expectedWords(issue.expected)}, got ${describeValue(actual)}`,
        recordId,
        at: at(path),
        hint:
          issue.expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')
            ? `quote the value so it stays text: "${String(actual)}"`
            : path[0] === 'linkReviews' && path.length === 2
              ? `write each stamp on one line as text: ${STAMP_FORMAT_HINT}`
              : undefined,
      };
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      return {
        code: 'schema/invalid-value',
        message: `${name} is "${String(actual)}", which is not allowed${didYouMean(String(actual), allowed)}`,
        recordId,
        at: at(path),
        hint: `allowed values: ${allowed.join(', ')}`,
      };
    }
    case 'invalid_union': {
      return {
        code: 'schema/wrong-type',
        message: `${name} must be an id or a list of ids, got ${describeValue(actual)}`,
        recordId,
        at: at(path),
        hint: 'write `field: [ID-1, ID-2]`',
      };
    }
    case 'too_small': {
      const missing = typeof actual === 'string' && actual.trim() === '';
      return {
        code: missing ? 'schema/missing-field' : 'schema/invalid-value',
        message: missing ? `${name} is empty` : `${name}: ${issue.message}`,
        recordId,
        at: at(path),
      };
    }
    default:
      return {
        code: 'schema/invalid-value',
        message: `${name}: ${issue.message}`,
        recordId,
        at: at(path),
        ...(path[0] === 'linkReviews'
          ? {
              hint: 'write one stamp per link, `- <target id> <fingerprint> <YYYY-MM-DD> <reviewer>`; `dossier suspect --clear` writes them once the list reads',
            }
          : {}),
      };
  }
}

function expectedWords(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    default:
      return `a ${expected}`;
  }
}
