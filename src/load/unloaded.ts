/**
 * "Load incomplete": record files matched by the `records` globs that could not be loaded. Their
 * records are missing from every analysis, so what Dossier says about such a project is incomplete:
 * the commands that write artefacts or verdicts refuse (LoadIncompleteError), the others say so.
 */
import type { Finding } from '../diagnostics/diagnostic.js';

/** What a file held in its last committed version, read from git at load time. */
export type RecordsAtHead =
  | {
      readonly known: true;
      /** Records in the file at HEAD (including any without a usable id). */
      readonly count: number;
      readonly ids: readonly string[];
    }
  | {
      readonly known: false;
      /** Why the count is unknown, e.g. "not in HEAD: a new or renamed file", "git is not available". */
      readonly why: string;
    };

export interface UnloadedFile {
  /** Project-relative path, forward slashes. */
  readonly file: string;
  /** Why it did not load (code `load/…`, or `schema/wrong-type` for a `records:` that is not a list). */
  readonly finding: Finding;
  readonly atHead: RecordsAtHead;
  /** Ids written as `id:` values (or an id-like heading) in the file's current text; best effort. */
  readonly idsInText: readonly string[];
}

/** Some record files did not load: a command that writes artefacts or verdicts must not run. */
export class LoadIncompleteError extends Error {
  constructor(
    /** What was refused, as a verb phrase: "write an SBOM". */
    readonly action: string,
    readonly unloaded: readonly UnloadedFile[],
    /** Absolute project root, to show the paths as the user named them. */
    readonly root: string,
  ) {
    super(
      `cannot ${action}: ${unloaded.length === 1 ? '1 record file' : `${unloaded.length} record files`} did not load (${unloaded.map((u) => u.file).join(', ')})`,
    );
    this.name = 'LoadIncompleteError';
  }
}

/** The single guard for outputs that must describe the whole project (documents, SBOMs, verdicts). */
export function assertLoadComplete(
  project: { readonly root: string; readonly unloaded: readonly UnloadedFile[] },
  action: string,
): void {
  if (project.unloaded.length > 0) throw new LoadIncompleteError(action, project.unloaded, project.root);
}

const MAX_LISTED_IDS = 10;

/** "the file held 3 records at HEAD (TC-101, TC-102, TC-103)", or why that is unknown. */
export function describeAtHead(atHead: RecordsAtHead): string {
  if (!atHead.known) return `how many records the file held at HEAD is unknown (${atHead.why})`;
  if (atHead.count === 0) return 'the file held no records at HEAD';
  const listed = atHead.ids.slice(0, MAX_LISTED_IDS).join(', ');
  const more = atHead.ids.length > MAX_LISTED_IDS ? `, and ${atHead.ids.length - MAX_LISTED_IDS} more` : '';
  return `the file held ${atHead.count} record${atHead.count === 1 ? '' : 's'} at HEAD${listed ? ` (${listed}${more})` : ''}`;
}

/** The ids the file is known to hold: at HEAD, and as written in its current (broken) text. */
export function idsOf(unloaded: UnloadedFile): Set<string> {
  return new Set([...(unloaded.atHead.known ? unloaded.atHead.ids : []), ...unloaded.idsInText]);
}

/** `id:` values (mapping or list item), quoted or not, anywhere in a text. */
const ID_FIELD = /^[ \t]*(?:-[ \t]+)?id[ \t]*:[ \t]*["']?([^\s"'#,[\]{}]+)/gm;
/** A first heading that starts with a record id: `# SRS-012 Alarm volume`. */
const ID_HEADING = /^#{1,6}[ \t]+([A-Z][A-Z0-9]*-\d+)\b/;

/** Record ids a broken file mentions as its own (not its links): for consequences, best effort. */
export function idsInText(text: string): string[] {
  const ids = new Set<string>();
  for (const match of text.matchAll(ID_FIELD)) ids.add(match[1]!);
  const heading = idHeading(text);
  if (heading) ids.add(heading);
  return [...ids];
}

/** The id a Markdown file's first non-empty line names as a heading, if any. */
export function idHeading(text: string): string | undefined {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '');
  return first ? ID_HEADING.exec(first)?.[1] : undefined;
}

/**
 * Whether a Markdown file without front matter was meant to be a record: a top-level `id:` field in
 * its first lines (the opening `---` forgotten), or a first heading that starts with a record id.
 */
export function looksLikeRecord(text: string): boolean {
  const head = text.split(/\r?\n/).slice(0, 30);
  return head.some((line) => /^id[ \t]*:[ \t]*\S/.test(line)) || idHeading(text) !== undefined;
}
