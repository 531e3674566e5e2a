/**
 * Plans a non-destructive SOUP sync: what `dossier soup import` will create, update or mark removed.
 *
 * Pure: records and imported components in, a list of edits out. Only machine-owned fields are ever
 * written (version, purl, dependency, sources, hashes, dependsOn, removed, and appended
 * versionChanges). What people wrote — requirements (5.3.3), systemRequirements (5.3.4), the anomaly
 * review (7.1.3), rationale text, support level and end of support — is never touched; a licence,
 * website, manufacturer or support information from an SBOM is filled in only when the record has
 * none (support information keeps up with the SBOM only while `supportSource` says it came from it).
 *
 * A component marked removed also leaves the `dependsOn` of every other SOUP record, so nothing is
 * used through it any more. With `usedBy`, the new direct components are added to those software
 * items' `uses` (the link the model already has), and what they depend on is used through them.
 */
import { idAllocator } from '../../model/next-id.js';
import { compareById, type DossierRecord } from '../../model/record.js';
import type { ImportedComponent } from '../import/types.js';
import { purlIdentity } from '../purl.js';
import { supportEdits, supportFields } from './support.js';

export type FieldValue =
  | string
  | readonly string[]
  | Readonly<Record<string, unknown>>
  | readonly Readonly<Record<string, unknown>>[];

export interface FieldEdit {
  readonly field: string;
  /** `undefined` deletes the field (only ever used for `removed` when a component comes back). */
  readonly value: FieldValue | undefined;
  /**
   * Append `value` as one more item of the list in `field`, leaving the items already there (and
   * whatever people wrote in them, such as the evaluation of an earlier change) exactly as they are.
   */
  readonly append?: boolean;
  /** Add each id in `value` (a list) that the list in `field` lacks, in the list's own style. */
  readonly addItems?: boolean;
}

export type SyncAction =
  | {
      readonly kind: 'create';
      readonly id: string;
      readonly component: ImportedComponent;
      readonly fields: Readonly<Record<string, FieldValue>>;
    }
  | {
      readonly kind: 'update';
      readonly record: DossierRecord;
      readonly edits: readonly FieldEdit[];
      /**
       * Where in the record the edited map is: keys and list positions from the record's map, e.g.
       * `['findings', 2]` edits the fields of the third finding. Default: the record itself.
       */
      readonly within?: readonly (string | number)[];
      readonly versionChange?: { from: string; to: string };
      /** A new body for a Markdown record (`dossier import`); its front matter is edited as usual. */
      readonly body?: string;
    }
  | { readonly kind: 'remove'; readonly record: DossierRecord; readonly edits: readonly FieldEdit[] }
  /** A software item that now `uses` new direct components (`soup import --used-by`). */
  | {
      readonly kind: 'link';
      readonly record: DossierRecord;
      readonly edits: readonly FieldEdit[];
      readonly soupIds: readonly string[];
    };

export interface SyncPlan {
  readonly actions: readonly SyncAction[];
  readonly unchanged: number;
}

export interface SyncInput {
  /** All SOUP records of the project. */
  readonly records: readonly DossierRecord[];
  /** Components read from one lockfile or SBOM. */
  readonly components: readonly ImportedComponent[];
  /** Project-relative path of that file, recorded in `sources`. */
  readonly source: string;
  /** YYYY-MM-DD of the import. */
  readonly date: string;
  /** Id prefix for new records (config `ids.soup`, default SOUP). */
  readonly prefix: string;
  /** Ids already promised to records not yet written (a dry run over several files). */
  readonly reservedIds?: readonly string[];
  /** Software items that use the new direct components (`soup import --used-by`). */
  readonly usedBy?: readonly DossierRecord[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function identityOf(record: DossierRecord): string | undefined {
  const purl = str(record.fields.purl);
  if (!purl) return undefined;
  try {
    return purlIdentity(purl);
  } catch {
    return undefined;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Pairs existing records with imported components of one package identity: exact versions first.
 * A version change is only inferred for records this file (or no file) put there: the same package
 * at another version in another lockfile is a second version in use, not an upgrade.
 */
function pairUp(
  existing: readonly DossierRecord[],
  imported: readonly ImportedComponent[],
  source: string,
): {
  pairs: [DossierRecord, ImportedComponent][];
  newComponents: ImportedComponent[];
  gone: DossierRecord[];
} {
  const pairs: [DossierRecord, ImportedComponent][] = [];
  const leftRecords = [...existing];
  const leftComponents: ImportedComponent[] = [];
  for (const component of imported) {
    const i = leftRecords.findIndex((r) => str(r.fields.purl) === component.purl);
    if (i >= 0) pairs.push([leftRecords.splice(i, 1)[0]!, component]);
    else leftComponents.push(component);
  }
  const ours = (r: DossierRecord) => {
    const sources = strings(r.fields.sources);
    return sources.length === 0 || sources.includes(source);
  };
  const changeable = leftRecords.filter(ours);
  while (changeable.length > 0 && leftComponents.length > 0) {
    const record = changeable.shift()!;
    leftRecords.splice(leftRecords.indexOf(record), 1);
    pairs.push([record, leftComponents.shift()!]);
  }
  return { pairs, newComponents: leftComponents, gone: leftRecords };
}

export function planSync(input: SyncInput): SyncPlan {
  const nextId = idAllocator([...input.records.map((r) => r.id), ...(input.reservedIds ?? [])], input.prefix);
  const live = input.records.filter((r) => r.status !== 'obsolete');
  const byIdentity = new Map<string, DossierRecord[]>();
  for (const record of [...live].sort(compareById)) {
    const identity = identityOf(record);
    if (!identity) continue;
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), record]);
  }
  const importedByIdentity = new Map<string, ImportedComponent[]>();
  for (const component of input.components) {
    const identity = purlIdentity(component.purl);
    importedByIdentity.set(identity, [...(importedByIdentity.get(identity) ?? []), component]);
  }

  // Decide every component's record id first, so dependsOn can name records created in this run.
  const idOfPurl = new Map<string, string>();
  const updates: [DossierRecord, ImportedComponent][] = [];
  const creates: [string, ImportedComponent][] = [];
  const gone: DossierRecord[] = [];
  for (const [identity, components] of [...importedByIdentity].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const result = pairUp(byIdentity.get(identity) ?? [], components, input.source);
    for (const [record, component] of result.pairs) {
      idOfPurl.set(component.purl, record.id);
      updates.push([record, component]);
    }
    for (const component of result.newComponents) {
      const id = nextId();
      idOfPurl.set(component.purl, id);
      creates.push([id, component]);
    }
    gone.push(...result.gone.filter((r) => strings(r.fields.sources).includes(input.source)));
  }
  for (const [identity, records] of byIdentity) {
    if (importedByIdentity.has(identity)) continue;
    gone.push(...records.filter((r) => strings(r.fields.sources).includes(input.source)));
  }

  // Removals first: a component that leaves the build leaves every other record's dependsOn too.
  const removals = gone
    .sort(compareById)
    .map((record) => removalFor(record, input))
    .filter((a): a is RemoveAction => a !== undefined);
  const removedIds = new Set(
    removals.filter((a) => a.edits.some((e) => e.field === 'removed')).map((a) => a.record.id),
  );
  const dependsOnIds = (c: ImportedComponent) =>
    [
      ...new Set(c.dependsOn.map((p) => idOfPurl.get(p)).filter((id): id is string => id !== undefined)),
    ].sort();

  const actions: SyncAction[] = [];
  let unchanged = 0;
  for (const [id, component] of creates) {
    actions.push({
      kind: 'create',
      id,
      component,
      fields: newRecordFields(id, component, input, dependsOnIds(component)),
    });
  }
  const updated = new Set<string>();
  for (const [record, component] of updates) {
    updated.add(record.id);
    const action = updateFor(record, component, input, dependsOnIds(component), removedIds);
    if (action) actions.push(action);
    else unchanged++;
  }
  // Records this file does not list (other lockfiles' SOUP) still drop a removed dependency.
  const others = live.filter(
    (r) => !updated.has(r.id) && !removedIds.has(r.id) && r.fields.removed === undefined,
  );
  for (const record of others.sort(compareById)) {
    const current = record.links.dependsOn ?? [];
    if (!current.some((id) => removedIds.has(id))) continue;
    const kept = current.filter((id) => !removedIds.has(id));
    actions.push({
      kind: 'update',
      record,
      edits: [{ field: 'dependsOn', value: kept.length > 0 ? kept : undefined }],
    });
  }
  actions.push(...removals);
  actions.push(...linkActions(input.usedBy ?? [], creates));
  return { actions, unchanged };
}

/** `--used-by`: each item gains the new direct components in its `uses`. */
function linkActions(
  items: readonly DossierRecord[],
  creates: readonly (readonly [string, ImportedComponent])[],
): SyncAction[] {
  const direct = creates.filter(([, c]) => c.scope === 'direct').map(([id]) => id);
  if (direct.length === 0) return [];
  return [...items].sort(compareById).flatMap((item): SyncAction[] => {
    const missing = direct.filter((id) => !(item.links.uses ?? []).includes(id));
    if (missing.length === 0) return [];
    return [
      {
        kind: 'link',
        record: item,
        soupIds: missing,
        edits: [{ field: 'uses', value: missing, addItems: true }],
      },
    ];
  });
}

function newRecordFields(
  id: string,
  c: ImportedComponent,
  input: SyncInput,
  dependsOn: readonly string[],
): Record<string, FieldValue> {
  const support = supportFields(c, input.source) as Record<string, FieldValue>;
  return {
    id,
    title: c.name,
    status: 'draft',
    ...(c.supplier ? { manufacturer: c.supplier } : {}),
    version: c.version,
    purl: c.purl,
    dependency: c.scope,
    ...(c.license ? { license: c.license } : {}),
    ...(c.website ? { website: c.website } : {}),
    ...(c.hashes && c.hashes.length > 0
      ? { hashes: c.hashes.map((h) => ({ alg: h.alg, content: h.content })) }
      : {}),
    ...support,
    sources: [input.source],
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
  };
}

function updateFor(
  record: DossierRecord,
  c: ImportedComponent,
  input: SyncInput,
  dependsOn: readonly string[],
  removedIds: ReadonlySet<string>,
): SyncAction | undefined {
  const f = record.fields;
  const edits: FieldEdit[] = [];
  const set = (field: string, value: FieldValue | undefined, current: unknown) => {
    if (!sameJson(value, current)) edits.push({ field, value });
  };
  const oldVersion = str(f.version);
  const versionChanged = oldVersion !== undefined && oldVersion !== c.version;
  if (versionChanged) {
    set('version', c.version, f.version);
    edits.push({
      field: 'versionChanges',
      value: { from: oldVersion, to: c.version, date: input.date, source: input.source },
      append: true,
    });
  }
  set('purl', c.purl, f.purl);
  // A component declared directly anywhere is direct; a transitive sighting never demotes it.
  const scope = str(f.dependency) === 'direct' && c.scope !== 'direct' ? 'direct' : c.scope;
  set('dependency', scope, f.dependency);
  const sources = [...new Set([...strings(f.sources), input.source])].sort();
  set('sources', sources, f.sources);
  if (c.hashes && c.hashes.length > 0)
    set(
      'hashes',
      c.hashes.map((h) => ({ alg: h.alg, content: h.content })),
      f.hashes,
    );
  const currentDeps = record.links.dependsOn ?? [];
  const mergedDeps = [...new Set([...currentDeps, ...dependsOn])].filter((id) => !removedIds.has(id)).sort();
  if (!sameList(mergedDeps, [...currentDeps]))
    edits.push({ field: 'dependsOn', value: mergedDeps.length > 0 ? mergedDeps : undefined });
  if (f.removed !== undefined) edits.push({ field: 'removed', value: undefined });
  if (c.supplier && f.manufacturer === undefined) edits.push({ field: 'manufacturer', value: c.supplier });
  if (c.license && f.license === undefined) edits.push({ field: 'license', value: c.license });
  if (c.website && f.website === undefined) edits.push({ field: 'website', value: c.website });
  edits.push(...supportEdits(f, c, input.source));
  if (edits.length === 0) return undefined;
  return {
    kind: 'update',
    record,
    edits,
    ...(versionChanged ? { versionChange: { from: oldVersion, to: c.version } } : {}),
  };
}

/** A component gone from the file: dropped from `sources`; marked removed when no source is left. */
type RemoveAction = Extract<SyncAction, { kind: 'remove' }>;

function removalFor(record: DossierRecord, input: SyncInput): RemoveAction | undefined {
  const remaining = strings(record.fields.sources).filter((s) => s !== input.source);
  if (remaining.length > 0)
    return { kind: 'remove', record, edits: [{ field: 'sources', value: remaining }] };
  // The last source is kept, so the record still says where it came from.
  if (record.fields.removed !== undefined) return undefined;
  return {
    kind: 'remove',
    record,
    edits: [{ field: 'removed', value: { date: input.date, from: input.source } }],
  };
}
