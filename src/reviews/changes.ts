/**
 * What changed in a record between two versions, part by part of its canonical content (the parts
 * the fingerprint covers: title, tags, text, each field and each link), and where git still holds
 * the version a review fingerprinted.
 */
import { readRecordText } from '../load/read-file.js';
import { recordValidator } from '../load/validate-record.js';
import type { DossierConfig } from '../model/config.js';
import { canonicalContent, fingerprint, NOT_CONTENT } from '../model/fingerprint.js';
import type { DossierRecord } from '../model/record.js';
import { canonicalJson } from '../util/canonical-json.js';
import { gitFileVersions } from '../util/git.js';

/** The parts of the canonical content that differ: `title`, `tags`, `text`, then field and link names. */
export function changedParts(before: DossierRecord, after: DossierRecord): string[] {
  return partChanges(before, after).map((c) => c.part);
}

/** One part of a record that differs between two versions, with its values (undefined: absent). */
export interface PartChange {
  /** `kind`, `title`, `tags`, `text`, a field name or a link field name; with `administrative`, `status`. */
  readonly part: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /**
   * Whether the part is content (in the fingerprint). Status and the fields that record a record's
   * approval or review (`approvedBy`, `approvedOn`, `linkReviews`) are not.
   */
  readonly content: boolean;
}

/**
 * What differs between two versions of a record, part by part, with the values as the canonical
 * content holds them (text with normalised line endings, links sorted): the content parts in the
 * order of {@link changedParts}, then, with `administrative`, the status and the parts the
 * fingerprint leaves out (history and diffs show who approved what; reviews bind to content only).
 */
export function partChanges(
  before: DossierRecord,
  after: DossierRecord,
  options: { readonly administrative?: boolean } = {},
): PartChange[] {
  const a = canonicalContent(before) as CanonicalParts;
  const b = canonicalContent(after) as CanonicalParts;
  const differs = (x: unknown, y: unknown) => canonicalJson(x ?? null) !== canonicalJson(y ?? null);
  const change = (part: string, x: unknown, y: unknown, content = true): PartChange => ({
    part,
    ...(x === undefined ? {} : { before: x }),
    ...(y === undefined ? {} : { after: y }),
    content,
  });
  const head = (['kind', 'title', 'tags', 'text'] as const)
    .filter((part) => differs(a[part], b[part]))
    .map((part) => change(part, a[part], b[part]));
  const named = (x: Record<string, unknown>, y: Record<string, unknown>) =>
    [...new Set([...Object.keys(x), ...Object.keys(y)])]
      .filter((k) => differs(x[k], y[k]))
      .map((k) => change(k, x[k], y[k]));
  const rest = [...named(a.fields, b.fields), ...named(a.links, b.links)].sort((x, y) =>
    x.part < y.part ? -1 : x.part > y.part ? 1 : 0,
  );
  const changes = [...head, ...rest];
  if (!options.administrative) return changes;
  if (before.status !== after.status) changes.push(change('status', before.status, after.status, false));
  for (const field of [...NOT_CONTENT].sort()) {
    const x = before.fields[field];
    const y = after.fields[field];
    if (differs(x, y)) changes.push(change(field, x, y, false));
  }
  return changes;
}

interface CanonicalParts {
  readonly kind: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly text: string;
  readonly fields: Record<string, unknown>;
  readonly links: Record<string, unknown>;
}

export interface FoundVersion {
  readonly record: DossierRecord;
  readonly commit: string;
}

/** How far back `reviewedVersion` looks in the history of a record's file. */
export const MAX_COMMITS_SEARCHED = 200;

/**
 * The committed version of the record whose fingerprint is `wanted`, looked up in the history of
 * the file the record is in now (newest first, at most {@link MAX_COMMITS_SEARCHED} commits).
 * Undefined when git does not hold it: no repository, the record moved files, or the reviewed
 * content was never committed.
 */
export function reviewedVersion(
  root: string,
  config: DossierConfig,
  record: DossierRecord,
  wanted: string,
  maxBytes: number,
  /** Set when git could not be asked, so that an undefined answer is not a "git does not hold it". */
  unanswered?: { failed: boolean },
): FoundVersion | undefined {
  const rel = record.origin.source.path;
  const validator = recordValidator(config);
  for (const { commit, content } of gitFileVersions(root, rel, MAX_COMMITS_SEARCHED, maxBytes, unanswered)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
    } catch {
      continue;
    }
    const read = readRecordText(rel, text);
    for (const raw of read.records) {
      const candidate = validator.validate(raw).record;
      if (candidate?.id === record.id && fingerprint(candidate) === wanted)
        return { record: candidate, commit };
    }
  }
  return undefined;
}
