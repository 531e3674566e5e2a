/**
 * Record content fingerprints: what reviews (and, with change control, signatures and suspect
 * links) bind to. The fingerprint covers a record's content and nothing about how it is written
 * down: moving a record between a Markdown file and a collection, reordering keys, changing
 * comments, quoting or line endings leave it unchanged; changing any field, link, tag, title or
 * text changes it.
 *
 * Canonical form `fp1` (a versioned contract, documented in docs/format.md#fingerprints): the
 * sha256 of the compact JSON, keys sorted by code unit, of
 *   { "v": 1, "kind", "title", "tags" (sorted), "text" (line endings as LF, blank lines at its
 *     start and white space at its end removed), "fields" (every kind-specific and custom field but
 *     those in {@link NOT_CONTENT}), "links" (each list of ids sorted, empty lists left out) }
 * written as `fp1:` and 64 lower-case hex digits. The id is the key the fingerprint is stored under.
 * What records the approval or review *of* the content is left out, so that approving a record does
 * not change what was approved: `status`, and the fields in {@link NOT_CONTENT} (`approvedBy`,
 * `approvedOn`, `linkReviews`, which change control reserves for the review state of links, and
 * `imported`, the provenance of an imported record).
 */
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import type { DossierRecord } from './record.js';

export const FINGERPRINT_VERSION = 'fp1';

/** Fields about the approval or review of a record rather than its content (fp1). */
export const NOT_CONTENT: ReadonlySet<string> = new Set([
  'approvedBy',
  'approvedOn',
  'linkReviews',
  // Where an imported record came from and when (docs/migration.md): a re-import that only
  // refreshes it changes nothing that was reviewed.
  'imported',
]);

/**
 * Line endings as LF; blank lines at the start and white space at the end removed: a Markdown body
 * may begin with an empty line after the front matter, a `text: |` block ends with a newline.
 * Leading spaces of the first line are kept (in Markdown they can make an indented code block).
 */
export const normalisedText = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .replace(/\s+$/u, '');

/** The canonical content a fingerprint hashes (exported for tests and for showing what changed). */
export function canonicalContent(record: DossierRecord): unknown {
  const links: Record<string, string[]> = {};
  for (const [field, ids] of Object.entries(record.links)) {
    if (ids.length > 0) links[field] = [...ids].sort();
  }
  return {
    v: 1,
    kind: record.kind,
    title: record.title,
    tags: [...record.tags].sort(),
    text: normalisedText(record.text),
    fields: Object.fromEntries(Object.entries(record.fields).filter(([field]) => !NOT_CONTENT.has(field))),
    links,
  };
}

/**
 * Fingerprints of loaded records, computed once: records are not changed after loading, and the
 * review rules, the coverage rules, suspect links, signatures and the gate all ask for the same ones.
 */
const computed = new WeakMap<DossierRecord, string>();
export function fingerprintOf(record: DossierRecord): string {
  let value = computed.get(record);
  if (value === undefined) {
    value = fingerprint(record);
    computed.set(record, value);
  }
  return value;
}

/**
 * Gives a just-validated record the fingerprint the parse cache remembered for exactly its input
 * (src/load/schema-memo.ts: the hash of the text it was read from, a Markdown file's whole text,
 * its place and kind, under a cache key that covers dossier.yaml and the Dossier build), so that a warm run does not
 * compute it again. Only the loader calls it, before anything else has seen the record.
 */
export function seedFingerprint(record: DossierRecord, value: string): void {
  computed.set(record, value);
}

/** The record's content fingerprint, `fp1:<sha256 hex>`. */
export function fingerprint(record: DossierRecord): string {
  return `${FINGERPRINT_VERSION}:${sha256Hex(canonicalContentJson(record))}`;
}

/**
 * `canonicalJson(canonicalContent(record))`, written directly: `check` fingerprints every reviewed
 * record, and building the intermediate object first cost a third of that time on 100,000 records.
 * The property tests hold the two forms equal.
 */
export function canonicalContentJson(record: DossierRecord): string {
  let fields = '';
  for (const key of Object.keys(record.fields).sort()) {
    const value = record.fields[key];
    if (
      NOT_CONTENT.has(key) ||
      value === undefined ||
      typeof value === 'function' ||
      typeof value === 'symbol'
    )
      continue;
    fields += `${fields === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(value)}`;
  }
  let links = '';
  for (const key of Object.keys(record.links).sort()) {
    const ids = record.links[key]!;
    if (ids.length > 0)
      links += `${links === '' ? '' : ','}${JSON.stringify(key)}:${JSON.stringify([...ids].sort())}`;
  }
  // Members in code-unit order: fields, kind, links, tags, text, title, v.
  return (
    `{"fields":{${fields}},"kind":${JSON.stringify(record.kind)},"links":{${links}},` +
    `"tags":${JSON.stringify([...record.tags].sort())},"text":${JSON.stringify(normalisedText(record.text))}` +
    `,"title":${JSON.stringify(record.title)},"v":1}`
  );
}
