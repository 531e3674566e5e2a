/**
 * Plans an import: a source batch and the mapping in, what `dossier import` will create, update,
 * leave alone or refuse to touch out. Pure: nothing is read or written here.
 *
 * The rules that keep a re-import from losing work (docs/migration.md#importing-again):
 * - A record is the same object again when its `imported.from` and `imported.id` match.
 * - The import owns only the fields it wrote (`imported.owns`). It updates them when the source
 *   changed them and nobody changed them in Dossier since (`imported.hash` tells). When both
 *   changed, or the record is no longer a draft, the record is left as it is and the conflict is
 *   reported.
 * - A record whose object left the source is reported, never deleted.
 * - Links are written only between kinds the model allows; every other source link is kept in
 *   `imported.unresolvedLinks` and reported, so that no link is lost.
 */

import { ID_PATTERN } from '../load/validate-record.js';
import { normalisedText } from '../model/fingerprint.js';
import { IMPORTED_FIELD, type ImportedProvenance } from '../model/imported.js';
import { type KindName, kindSpec, linkSpec } from '../model/kinds.js';
import { idAllocator } from '../model/next-id.js';
import type { DossierRecord } from '../model/record.js';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import { splitList as splitText } from './batch.js';
import { kindFor, linkFor, type Mapping, TRACE_LINK } from './mapping.js';
import type { AttributeValue, ImportBatch, ImportedObject, ImportedRelation, ImportIssue } from './model.js';

/** A record as the import would write it. */
export interface PlannedRecord {
  readonly id: string;
  readonly kind: KindName;
  readonly title: string;
  readonly text: string;
  readonly tags: readonly string[];
  /** Kind and custom fields the mapping filled. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly links: Readonly<Record<string, readonly string[]>>;
  readonly imported: ImportedProvenance;
  readonly object: ImportedObject;
}

export type ImportAction =
  | { readonly kind: 'create'; readonly record: PlannedRecord }
  | {
      readonly kind: 'update';
      readonly existing: DossierRecord;
      readonly record: PlannedRecord;
      /** Fields the last import wrote that the source no longer gives. */
      readonly dropped: readonly string[];
      /** Only the provenance changed (a source status, an unmapped attribute). */
      readonly provenanceOnly: boolean;
    }
  | {
      readonly kind: 'conflict';
      readonly existing: DossierRecord;
      readonly record: PlannedRecord;
      readonly reason: string;
    }
  | { readonly kind: 'unchanged'; readonly existing: DossierRecord };

export interface SkippedObject {
  readonly object: ImportedObject;
  readonly reason: string;
}

export interface ImportPlan {
  readonly actions: readonly ImportAction[];
  readonly skipped: readonly SkippedObject[];
  /** Records imported earlier from the same source files whose objects are no longer there. */
  readonly gone: readonly DossierRecord[];
  /** The reader's issues, then the mapping's. */
  readonly issues: readonly ImportIssue[];
  /** Source links of the objects imported that are not Dossier links (in `imported.unresolvedLinks`). */
  readonly unresolvedLinks: number;
}

export interface PlanInput {
  readonly batch: ImportBatch;
  readonly mapping: Mapping;
  /** Every record of the project. */
  readonly records: readonly DossierRecord[];
  /** The id prefix of each kind (`ids:` in dossier.yaml, else the default). */
  readonly prefixOf: (kind: KindName) => string;
  /**
   * The schema of one field of a kind (kind fields and the project's custom fields), to tell whether
   * a source value can go there; undefined when the kind has no such field.
   */
  readonly fieldSchema: (
    kind: KindName,
    field: string,
  ) => { safeParse(value: unknown): { success: boolean } } | undefined;
  /** YYYY-MM-DD. */
  readonly date: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The link fields a generic "traces to" link may become, in order of preference: the source says
 * only that one object refines, covers or is the child of another, and the kinds at both ends say
 * which Dossier link that is (a software requirement derives from a system requirement, an item
 * implements a requirement, a test verifies it, a control mitigates a situation, a threat model
 * covers the software items).
 */
const TRACE_FIELDS = ['derivesFrom', 'implements', 'verifies', 'mitigates', 'arisesFrom', 'partOf', 'covers'];

function traceField(carrier: KindName, target: KindName | undefined): string | undefined {
  if (target === undefined) return undefined;
  return TRACE_FIELDS.find((field) => linkSpec(carrier, field)?.targets.includes(target));
}

/** The provenance of a record imported before, when it is valid enough to match on. */
export function provenanceOf(record: DossierRecord): ImportedProvenance | undefined {
  const value = record.fields[IMPORTED_FIELD];
  if (value === null || typeof value !== 'object') return undefined;
  const p = value as Partial<ImportedProvenance>;
  return typeof p.from === 'string' && typeof p.id === 'string' ? (value as ImportedProvenance) : undefined;
}

const identity = (from: string, id: string) => `${from}\u0000${id}`;

/**
 * The hash of what an import owns in a record: title, text and the owned fields and links. The same
 * function hashes what the import writes and what the record holds now, so any change a person made
 * to an owned value shows.
 */
export function ownedHash(
  owns: readonly string[],
  content: { title: string; text: string; tags: readonly string[]; values: (field: string) => unknown },
): string {
  const owned: Record<string, unknown> = {};
  for (const field of owns) {
    if (field === 'title') owned.title = content.title;
    else if (field === 'text') owned.text = normalisedText(content.text);
    else if (field === 'tags') owned.tags = [...content.tags].sort();
    else owned[field] = content.values(field);
  }
  return `sha256:${sha256Hex(canonicalJson(owned))}`;
}

function currentHash(record: DossierRecord, owns: readonly string[]): string {
  return ownedHash(owns, {
    title: record.title,
    text: record.text,
    tags: record.tags,
    values: (field) => record.links[field] ?? record.fields[field],
  });
}

/** A list value: a list, JSON text of a list (what exports write when an item holds a comma), or "a, b; c". */
function splitList(value: AttributeValue): string[] {
  let items: readonly string[] | undefined = Array.isArray(value) ? value : undefined;
  if (!items && typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) items = parsed;
    } catch {
      // not JSON: split it as written
    }
  }
  return items ? items.map((v) => v.trim()).filter((v) => v !== '') : splitText(String(value), /[,;\n]/);
}

/** Counts issues of one kind under one message (one line per attribute, not per object). */
class IssueTally {
  private readonly tally = new Map<string, { issue: ImportIssue; count: number }>();
  add(key: string, issue: ImportIssue): void {
    const found = this.tally.get(key);
    if (found) found.count++;
    else this.tally.set(key, { issue, count: 1 });
  }
  issues(): ImportIssue[] {
    return [...this.tally.values()].map(({ issue, count }) =>
      count === 1 ? issue : { ...issue, message: `${issue.message} (${count} objects)` },
    );
  }
}

export function planImport(input: PlanInput): ImportPlan {
  const { batch, mapping } = input;
  const issues = new IssueTally();
  const skipped: SkippedObject[] = [];

  // Which objects become records, and of which kind.
  const chosen: { object: ImportedObject; kind: KindName }[] = [];
  for (const object of batch.objects) {
    if (object.isHeading && mapping.headings === 'skip') {
      skipped.push({ object, reason: 'a heading (its title stays in imported.section of what follows)' });
      continue;
    }
    const kind = kindFor(mapping, object.type, object.foreignId ?? object.sourceId);
    if (kind === 'skip') {
      skipped.push({ object, reason: `type "${object.type}" is mapped to skip` });
    } else if (kind === undefined) {
      skipped.push({ object, reason: `type "${object.type}" has no kind in the mapping` });
      issues.add(`kind:${object.type}`, {
        severity: 'error',
        code: 'skipped',
        message: `objects of type "${object.type}" have no Dossier kind and were not imported; add \`kinds: {"${object.type}": <kind>}\` (or skip) to the mapping file`,
        ...(object.location ? { location: object.location } : {}),
      });
    } else {
      chosen.push({ object, kind });
    }
  }

  // Records from earlier imports, by source identity.
  const previous = new Map<string, DossierRecord>();
  for (const record of input.records) {
    const p = provenanceOf(record);
    if (p) previous.set(identity(p.from, p.id), record);
  }

  // Ids: the record's own when imported before; else the source's where it is a valid Dossier id
  // of the kind and free; else the next free id of the kind.
  const taken = new Set(input.records.map((r) => r.id));
  const allocators = new Map<string, () => string>();
  const allocate = (prefix: string) => {
    let next = allocators.get(prefix);
    if (!next) {
      next = idAllocator(taken, prefix);
      allocators.set(prefix, next);
    }
    let id = next();
    while (taken.has(id)) id = next();
    return id;
  };
  const idOf = new Map<string, string>();
  const kindOfId = new Map<string, KindName>();
  for (const r of input.records) kindOfId.set(r.id, r.kind);
  const existingFor = new Map<ImportedObject, DossierRecord>();
  for (const { object, kind } of chosen) {
    const existing = previous.get(identity(batch.format, object.sourceId));
    if (existing) {
      existingFor.set(object, existing);
      idOf.set(object.sourceId, existing.id);
      continue;
    }
    const prefix = input.prefixOf(kind);
    const wanted =
      mapping.ids === 'allocate'
        ? undefined
        : mapping.ids === 'source'
          ? (object.foreignId ?? object.sourceId)
          : str(object.attributes[mapping.ids.attribute]);
    const m = wanted === undefined ? null : ID_PATTERN.exec(wanted.trim());
    let id: string;
    if (m && m[1] === prefix && !taken.has(wanted!.trim())) id = wanted!.trim();
    else {
      id = allocate(prefix);
      // A source id of the kind's form that is taken (by a record written here, or by another
      // object of the source) is worth saying: the reader may expect to find the record under it.
      const takenForm = m !== null && m[1] === prefix;
      if (wanted !== undefined && (mapping.ids !== 'source' || takenForm)) {
        issues.add(`id:${wanted}`, {
          severity: 'warning',
          code: 'duplicate-id',
          message: `"${wanted}" is not a free ${prefix}-NUMBER id; the record got ${id} (the source id stays in imported.id)`,
          ...(object.location ? { location: object.location } : {}),
        });
      }
    }
    taken.add(id);
    idOf.set(object.sourceId, id);
    kindOfId.set(id, kind);
  }
  for (const [key, record] of previous) {
    const sourceId = key.slice(key.indexOf('\u0000') + 1);
    if (key.startsWith(`${batch.format}\u0000`) && !idOf.has(sourceId)) idOf.set(sourceId, record.id);
  }

  // An attribute named like a link field of the object's kind holds links (a spreadsheet's
  // `derivesFrom` column, a Dossier export): its ids become relations of that type.
  const relations: ImportedRelation[] = [...batch.relations];
  const linkAttributes = new Map<ImportedObject, Set<string>>();
  for (const { object, kind } of chosen) {
    for (const [name, value] of Object.entries(object.attributes)) {
      const wanted = (mapping.fields[name] ?? name).toLowerCase();
      const field = kindSpec(kind).links.find((l) => l.field.toLowerCase() === wanted)?.field;
      if (!field) continue;
      for (const targetId of splitList(value)) {
        relations.push({
          sourceId: object.sourceId,
          targetId,
          type: field,
          ...(object.location ? { location: object.location } : {}),
        });
      }
      const names = linkAttributes.get(object) ?? new Set<string>();
      names.add(name);
      linkAttributes.set(object, names);
    }
  }

  // Links, on the record the model writes them on.
  const linksOf = new Map<string, Map<string, string[]>>();
  const unresolvedOf = new Map<string, { type: string; target: string }[]>();
  const importedIds = new Set(chosen.map((c) => c.object.sourceId));
  const unresolved = (carrierSourceId: string, type: string, target: string) => {
    const list = unresolvedOf.get(carrierSourceId) ?? [];
    list.push({ type, target });
    unresolvedOf.set(carrierSourceId, list);
  };
  const resolve = (sourceId: string) => idOf.get(sourceId) ?? (kindOfId.has(sourceId) ? sourceId : undefined);
  for (const relation of relations) {
    const mapped = linkFor(mapping, relation.type);
    const at = relation.location ? { location: relation.location } : {};
    if (mapped === 'skip') {
      issues.add(`skip-link:${relation.type}`, {
        severity: 'info',
        code: 'skipped',
        message: `links of type "${relation.type}" are mapped to skip and were not imported`,
        ...at,
      });
      continue;
    }
    const [carrier, target] = mapped?.reverse
      ? [relation.targetId, relation.sourceId]
      : [relation.sourceId, relation.targetId];
    if (!importedIds.has(carrier)) {
      issues.add(`link-carrier:${relation.type}`, {
        severity: 'warning',
        code: 'broken-link',
        message: `a "${relation.type}" link starts at an object that is not imported (${carrier}); it was not imported`,
        ...at,
      });
      continue;
    }
    if (!mapped) {
      unresolved(carrier, relation.type, target);
      issues.add(`link-type:${relation.type}`, {
        severity: 'warning',
        code: 'unmapped-attribute',
        message: `links of type "${relation.type}" have no Dossier link field; kept in imported.unresolvedLinks. Add \`links: {"${relation.type}": <field>}\` to the mapping file`,
        ...at,
      });
      continue;
    }
    const carrierId = idOf.get(carrier)!;
    const carrierKind = kindOfId.get(carrierId)!;
    const targetId = resolve(target);
    const targetKind = targetId === undefined ? undefined : kindOfId.get(targetId);
    const field =
      mapped.field === TRACE_LINK ? (traceField(carrierKind, targetKind) ?? TRACE_LINK) : mapped.field;
    const spec = linkSpec(carrierKind, field);
    if (targetId === undefined || targetKind === undefined) {
      unresolved(carrier, relation.type, target);
      issues.add(`link-target:${relation.type}:${target}`, {
        severity: 'warning',
        code: 'broken-link',
        message: `${carrierId}: "${relation.type}" link to ${target}, which is neither in the source nor a record of the project; kept in imported.unresolvedLinks`,
        ...at,
      });
      continue;
    }
    if (!spec?.targets.includes(targetKind)) {
      unresolved(carrier, relation.type, target);
      const allowed = kindSpec(carrierKind)
        .links.map((l) => l.field)
        .join(', ');
      issues.add(`link-kinds:${relation.type}:${carrierKind}:${targetKind}`, {
        severity: 'warning',
        code: 'unmapped-attribute',
        message:
          field === TRACE_LINK
            ? `"${relation.type}" links from a ${carrierKind} to a ${targetKind}: no Dossier link joins these kinds (a ${carrierKind} links with: ${allowed || 'nothing'}); kept in imported.unresolvedLinks. Map the type or the kinds differently`
            : `"${relation.type}" links from a ${carrierKind} to a ${targetKind} cannot be \`${field}\`${spec ? ` (it links to ${spec.targets.join(', ')})` : ` (a ${carrierKind} links with: ${allowed || 'nothing'})`}; kept in imported.unresolvedLinks. Map the type or the kinds differently`,
        ...at,
      });
      continue;
    }
    const links = linksOf.get(carrier) ?? new Map<string, string[]>();
    const list = links.get(field) ?? [];
    if (!list.includes(targetId)) list.push(targetId);
    links.set(field, list);
    linksOf.set(carrier, links);
  }

  // Records.
  const actions: ImportAction[] = [];
  for (const { object, kind } of chosen) {
    const planned = plannedRecord(object, kind, input, idOf.get(object.sourceId)!, {
      linkAttributes: linkAttributes.get(object),
      links: linksOf.get(object.sourceId),
      unresolved: unresolvedOf.get(object.sourceId),
      issues,
    });
    const existing = existingFor.get(object);
    actions.push(existing ? compare(existing, planned) : { kind: 'create', record: planned });
  }

  const seen = new Set(chosen.map((c) => identity(batch.format, c.object.sourceId)));
  const sources = new Set(batch.sources);
  const gone = [...previous.entries()]
    .filter(([key, record]) => {
      const p = provenanceOf(record)!;
      return p.from === batch.format && p.file !== undefined && sources.has(p.file) && !seen.has(key);
    })
    .map(([, record]) => record);

  // A source that gave nothing is not an import of nothing: the file is empty, or not the export
  // the format reads, and saying "0 new" would read as success.
  if (batch.objects.length === 0) {
    issues.add('no-objects', {
      severity: 'error',
      code: 'invalid-source',
      message: `no objects were read from ${batch.sources.join(', ') || 'the files given'}: nothing was imported; check that it is the export you meant and that ${batch.format} is its format`,
    });
  }
  const unresolvedLinks = [...unresolvedOf.values()].reduce((n, list) => n + list.length, 0);
  return { actions, skipped, gone, issues: [...batch.issues, ...issues.issues()], unresolvedLinks };
}

function plannedRecord(
  object: ImportedObject,
  kind: KindName,
  input: PlanInput,
  id: string,
  extra: {
    /** Attributes read as links (not kept as attributes). */
    linkAttributes: ReadonlySet<string> | undefined;
    links: Map<string, string[]> | undefined;
    unresolved: { type: string; target: string }[] | undefined;
    issues: IssueTally;
  },
): PlannedRecord {
  const { mapping } = input;
  const fields: Record<string, unknown> = {};
  const tags: string[] = [];
  const leftOver: Record<string, string | number | boolean | string[]> = {};
  const idAttribute = typeof mapping.ids === 'object' ? mapping.ids.attribute : undefined;
  for (const [name, value] of Object.entries(object.attributes)) {
    if (name === idAttribute || extra.linkAttributes?.has(name)) continue;
    if (mapping.tags.includes(name)) {
      for (const tag of splitList(value)) if (!tags.includes(tag)) tags.push(tag);
      continue;
    }
    const field = mapping.fields[name] ?? (input.fieldSchema(kind, name) ? name : undefined);
    const schema = field === undefined ? undefined : input.fieldSchema(kind, field);
    if (field !== undefined && schema) {
      const translated = translate(value, mapping.values[field]);
      const candidate = coerced(translated, schema);
      if (candidate !== undefined) {
        fields[field] = candidate;
        continue;
      }
      extra.issues.add(`value:${kind}:${field}`, {
        severity: 'warning',
        code: 'unmapped-attribute',
        message: `"${name}" values such as ${JSON.stringify(value)} are not valid for the ${kind} field \`${field}\`; kept in imported.attributes. Translate them with \`values: {${field}: {…}}\` in the mapping file`,
        ...(object.location ? { location: object.location } : {}),
      });
    } else if (field !== undefined) {
      extra.issues.add(`field:${kind}:${field}`, {
        severity: 'warning',
        code: 'unmapped-attribute',
        message: `a ${kind} has no field \`${field}\` (mapped from "${name}"); kept in imported.attributes. Declare it under customFields in dossier.yaml, or map it elsewhere`,
      });
    } else {
      extra.issues.add(`attribute:${name}`, {
        severity: 'info',
        code: 'unmapped-attribute',
        message: `attribute "${name}" has no Dossier field; kept in imported.attributes. Map it with \`fields: {"${name}": <field>}\``,
      });
    }
    leftOver[name] = Array.isArray(value) ? [...value] : (value as string | number | boolean);
  }
  const links: Record<string, string[]> = {};
  for (const [field, targets] of [...(extra.links ?? new Map<string, string[]>())].sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    links[field] = targets;
  }
  const title = (object.title ?? '').trim() || (object.foreignId ?? object.sourceId);
  const text = object.text ?? '';
  const owns = [
    'title',
    'text',
    ...(tags.length > 0 ? ['tags'] : []),
    ...Object.keys(fields).sort(),
    ...Object.keys(links),
  ];
  const hash = ownedHash(owns, {
    title,
    text,
    tags,
    values: (field) => links[field] ?? fields[field],
  });
  const p = object.provenance ?? {};
  const imported: ImportedProvenance = {
    from: input.batch.format,
    ...(input.batch.tool ? { tool: input.batch.tool } : {}),
    ...((object.location?.file ?? input.batch.sources[0])
      ? { file: object.location?.file ?? input.batch.sources[0] }
      : {}),
    id: object.sourceId,
    ...(object.foreignId && object.foreignId !== object.sourceId ? { foreignId: object.foreignId } : {}),
    type: object.type,
    ...(object.section && object.section.length > 0 ? { section: [...object.section] } : {}),
    ...(p.status ? { status: p.status } : {}),
    ...(p.approvedBy ? { approvedBy: p.approvedBy } : {}),
    ...(p.approvedAt ? { approvedAt: p.approvedAt } : {}),
    ...(p.lastChangedBy ? { lastChangedBy: p.lastChangedBy } : {}),
    ...(p.lastChangedAt ? { lastChangedAt: p.lastChangedAt } : {}),
    date: input.date,
    owns,
    hash,
    ...(Object.keys(leftOver).length > 0 ? { attributes: leftOver } : {}),
    ...(extra.unresolved && extra.unresolved.length > 0 ? { unresolvedLinks: extra.unresolved } : {}),
  };
  return { id, kind, title, text, tags, fields, links, imported, object };
}

function translate(
  value: AttributeValue,
  table: Readonly<Record<string, string | number | boolean>> | undefined,
): unknown {
  if (!table) return value;
  if (Array.isArray(value)) return value.map((v) => (v in table ? table[v] : v));
  const key = String(value);
  return key in table ? table[key] : value;
}

/** The value as the field takes it, trying the obvious readings of a text; undefined when none fits. */
function coerced(value: unknown, schema: { safeParse(v: unknown): { success: boolean } }): unknown {
  const candidates: unknown[] = [value];
  if (typeof value === 'string') {
    const t = value.trim();
    candidates.push(t);
    // Structured fields (a software item's causes, a run's totals) travel as JSON text through
    // formats whose attributes are scalars; `dossier export` writes them so. Tried before the
    // list reading, which would split `["a", "b"]` at its comma.
    if (/^[[{]/.test(t)) {
      try {
        candidates.push(JSON.parse(t));
      } catch {
        // not JSON: the other readings stand
      }
    }
    if (t !== '' && Number.isFinite(Number(t))) candidates.push(Number(t));
    if (/^(true|yes)$/i.test(t)) candidates.push(true);
    if (/^(false|no)$/i.test(t)) candidates.push(false);
    if (/^\d{4}-\d{2}-\d{2}T/.test(t)) candidates.push(t.slice(0, 10));
    candidates.push(splitList(t));
  }
  if (Array.isArray(value) && value.length === 1) candidates.push(value[0]);
  return candidates.find((c) => schema.safeParse(c).success);
}

function compare(existing: DossierRecord, planned: PlannedRecord): ImportAction {
  const before = provenanceOf(existing)!;
  const sourceChanged = planned.imported.hash !== before.hash;
  const personChanged = !Array.isArray(before.owns) || currentHash(existing, before.owns) !== before.hash;
  const { date: _newDate, ...after } = planned.imported;
  const { date: _oldDate, ...was } = before;
  const provenanceChanged = canonicalJson(after) !== canonicalJson(was);
  if (!sourceChanged) {
    return provenanceChanged
      ? { kind: 'update', existing, record: planned, dropped: [], provenanceOnly: true }
      : { kind: 'unchanged', existing };
  }
  if (personChanged) {
    return {
      kind: 'conflict',
      existing,
      record: planned,
      reason: 'changed in Dossier since the last import, and the source changed it too: kept as it is',
    };
  }
  if (existing.status !== 'draft') {
    return {
      kind: 'conflict',
      existing,
      record: planned,
      reason: `is ${existing.status} in Dossier, and the source changed it: kept as it is (set it to draft to take the source's change)`,
    };
  }
  const dropped = before.owns.filter((f) => !planned.imported.owns.includes(f));
  return { kind: 'update', existing, record: planned, dropped, provenanceOnly: false };
}
