/**
 * What changed in a record between two versions, part by part of its canonical content (the parts
 * the fingerprint covers: title, tags, text, each field and each link), and where git still holds
 * the version a review fingerprinted.
 */
import { readRecordText } from '../load/read-file.js';
import { recordValidator } from '../load/validate-record.js';
import type { DossierConfig } from '../model/config.js';
import { canonicalContent, fingerprint } from '../model/fingerprint.js';
import type { DossierRecord } from '../model/record.js';
import { canonicalJson } from '../util/canonical-json.js';
import { gitFileVersions } from '../util/git.js';

/** The parts of the canonical content that differ: `title`, `tags`, `text`, then field and link names. */
export function changedParts(before: DossierRecord, after: DossierRecord): string[] {
  const a = canonicalContent(before) as CanonicalParts;
  const b = canonicalContent(after) as CanonicalParts;
  const differs = (x: unknown, y: unknown) => canonicalJson(x ?? null) !== canonicalJson(y ?? null);
  const head = (['kind', 'title', 'tags', 'text'] as const).filter((part) => differs(a[part], b[part]));
  const named = (x: Record<string, unknown>, y: Record<string, unknown>) =>
    [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => differs(x[k], y[k]));
  const rest = [...named(a.fields, b.fields), ...named(a.links, b.links)].sort();
  return [...head, ...rest];
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
): FoundVersion | undefined {
  const rel = record.origin.source.path;
  const validator = recordValidator(config);
  for (const { commit, content } of gitFileVersions(root, rel, MAX_COMMITS_SEARCHED, maxBytes)) {
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
