/**
 * The evidence manifest of earlier gates (IEC 62304 5.8.7): the sha256 of each report behind a
 * release's runs, as `dossier release check` first saw it, kept beside the release record
 * (`records/releases/REL-002.md` → `records/releases/REL-002.evidence.json`) so that it is committed
 * with the records. The loader reads only `.md`, `.markdown`, `.yaml` and `.yml` files, so the
 * manifest is never taken for a record.
 *
 * A report that changed since an earlier gate blocks the release whatever hash its run now records:
 * editing a report and recomputing the sha256 in its run no longer passes. Entries are only ever
 * added, never changed or removed by Dossier: a report gated once is archived evidence; a corrected
 * report is imported under a new name, and removing an entry by hand is a visible, reviewable commit.
 *
 * The content is deterministic (no wall-clock time): each entry keeps the date of the gate that
 * first saw it (the project's build date, src/util/build-date.ts), so the same evidence gives the
 * same bytes on every later check.
 */
import path from 'node:path';
import type { DossierRecord } from '../model/record.js';

const TRACKED_MANIFEST_SUFFIX = '.evidence.json';

export interface TrackedEntry {
  readonly file: string;
  readonly sha256: string;
  /** The runs that named the report when it was first gated. */
  readonly runs: readonly string[];
  /** YYYY-MM-DD: the date of the gate that first saw this report. */
  readonly gatedOn: string;
}

export interface TrackedManifest {
  readonly release: string;
  readonly version: string;
  readonly evidence: readonly TrackedEntry[];
}

/** What the gate was given of the manifest of earlier gates. */
export type TrackedState =
  | { readonly status: 'none'; readonly file: string }
  | { readonly status: 'read'; readonly file: string; readonly manifest: TrackedManifest }
  | { readonly status: 'unreadable'; readonly file: string; readonly why: string };

/** Where the manifest of a release lives: beside its record file, named by its id (posix, project-relative). */
export function trackedManifestPath(release: DossierRecord): string {
  const dir = path.posix.dirname(release.origin.source.path.split(path.sep).join('/'));
  return path.posix.join(dir, `${release.id}${TRACKED_MANIFEST_SUFFIX}`);
}

const isEntry = (e: unknown): e is TrackedEntry => {
  const o = e as Record<string, unknown>;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.file === 'string' &&
    typeof o.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(o.sha256) &&
    typeof o.gatedOn === 'string' &&
    Array.isArray(o.runs) &&
    o.runs.every((r) => typeof r === 'string')
  );
};

/** Parses the manifest's bytes; anything not of its shape is unreadable (never "no earlier gate"). */
export function parseTrackedManifest(file: string, bytes: Uint8Array | undefined): TrackedState {
  if (bytes === undefined) return { status: 'none', file };
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return { status: 'unreadable', file, why: (error as Error).message };
  }
  const o = data as Record<string, unknown>;
  if (
    typeof o !== 'object' ||
    o === null ||
    o.schemaVersion !== 1 ||
    typeof o.release !== 'string' ||
    typeof o.version !== 'string' ||
    !Array.isArray(o.evidence) ||
    !o.evidence.every(isEntry)
  ) {
    return { status: 'unreadable', file, why: 'it is not an evidence manifest of schemaVersion 1' };
  }
  return {
    status: 'read',
    file,
    manifest: { release: o.release, version: o.version, evidence: o.evidence as TrackedEntry[] },
  };
}

/**
 * The manifest after this gate: the earlier entries unchanged, plus each report not yet in it whose
 * hash is the one its runs recorded when imported (a report already changed is not gated as good).
 */
export function nextTrackedManifest(
  earlier: TrackedManifest | undefined,
  release: DossierRecord,
  version: string,
  current: readonly { file: string; sha256?: string; recorded: readonly string[]; runs: readonly string[] }[],
  gatedOn: string,
): TrackedManifest {
  const entries = new Map((earlier?.evidence ?? []).map((e) => [e.file, e]));
  for (const report of current) {
    if (entries.has(report.file) || report.sha256 === undefined) continue;
    if (!report.recorded.every((h) => h === report.sha256)) continue;
    entries.set(report.file, {
      file: report.file,
      sha256: report.sha256,
      runs: [...report.runs].sort(),
      gatedOn,
    });
  }
  return {
    release: release.id,
    version,
    evidence: [...entries.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
  };
}

export function trackedManifestText(manifest: TrackedManifest): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      about:
        'sha256 of each report behind the release, as the release gate first saw it (dossier release check); keep it under version control with the records',
      release: manifest.release,
      version: manifest.version,
      evidence: manifest.evidence.map((e) => ({
        file: e.file,
        sha256: e.sha256,
        runs: e.runs,
        gatedOn: e.gatedOn,
      })),
    },
    null,
    2,
  )}\n`;
}
