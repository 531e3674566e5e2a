/**
 * `dossier new KIND`: a new record from the kind's template, with the next free id (issue 17 §1,
 * "Ids without collisions").
 *
 * The id is the next number above every id of the kind's prefix seen in the working tree (loaded
 * records and files that did not load) and in the trees of every local and remote-tracking branch
 * (read from git objects, nothing checked out). Two branches that add records after seeing each
 * other's work get different ids; two that never saw each other can still collide, and the merge
 * shows it: `id/duplicate` is an error, and `dossier renumber` gives one of them a new id with its
 * references (docs/format.md#ids).
 *
 * The template holds the kind's required fields as commented placeholders: the record loads, and
 * `dossier check` reports each missing field until a person fills it in. Written with the write
 * journal (all or nothing, never over a file changed meanwhile); the caller holds the project lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, parseDocument, type YAMLMap } from 'yaml';
import { listingMatcher } from '../load/discover.js';
import type { Project } from '../load/project.js';
import { readRecordText } from '../load/read-file.js';
import { idsOf } from '../load/unloaded.js';
import { ID_PATTERN } from '../load/validate-record.js';
import { recordFileRefusal } from '../load/would-load.js';
import { maxFileBytesOf, prefixFor } from '../model/config.js';
import { IMPORTED_FIELD } from '../model/imported.js';
import { COMMON_FIELD_NAMES, type KindName, kindSpec } from '../model/kinds.js';
import { idAllocator } from '../model/next-id.js';
import { recordSchema } from '../model/schemas.js';
import { gitBranchTips, gitIdsInTrees } from '../util/git.js';
import { sha256Hex } from '../util/hash.js';
import { insideProject } from '../util/write-guard.js';
import { writeFilesAtomically } from '../util/write-journal.js';
import { yamlCommentText } from '../util/yaml-comment.js';
import { yamlText } from '../util/yaml-text.js';

/** A request the user can fix (bad kind, id, title or place): one line, exit 2. */
export class NewRecordError extends Error {}

export interface NewRecordRequest {
  readonly kind: KindName;
  readonly title?: string;
  /** Project-relative folder, `.md` file or collection file (`.yaml`) to put the record in. */
  readonly in?: string;
  /** The id to use instead of the next free one. */
  readonly id?: string;
}

/** Where the ids in use were looked for. */
export type IdSources =
  | { readonly branches: number }
  /** git could not be asked: only the working tree was seen. */
  | { readonly noGit: string };

export interface NewRecordPlan {
  readonly id: string;
  readonly kind: KindName;
  /** Project-relative file written. */
  readonly file: string;
  /** True when the record is added to an existing collection file. */
  readonly collection: boolean;
  /** The whole file as it will be written. */
  readonly content: string;
  /** sha256 of the collection file as read; null for a new file. */
  readonly unchangedSince: string | null;
  readonly idSources: IdSources;
}

/** Ids in use: the working tree's (loaded or not) and those in every branch's tree. */
export function idsInUse(project: Project): { ids: Set<string>; sources: IdSources } {
  const ids = new Set<string>(project.records.map((r) => r.id));
  for (const u of project.unloaded) for (const id of idsOf(u)) ids.add(id);
  const tips = gitBranchTips(project.root);
  if (tips.length === 0) return { ids, sources: { noGit: 'not a git repository with commits' } };
  const seen = gitIdsInTrees(
    project.root,
    tips,
    listingMatcher(project.config.records, project.config.exclude),
  );
  if (!seen.ok) return { ids, sources: { noGit: seen.why } };
  for (const id of seen.ids) ids.add(id);
  return { ids, sources: { branches: tips.length } };
}

const COMMON: ReadonlySet<string> = new Set([...COMMON_FIELD_NAMES, IMPORTED_FIELD]);

interface FieldShape {
  readonly description?: string;
  readonly options?: readonly unknown[];
  safeParse(value: unknown): { success: boolean };
}

/** One comment line: a placeholder for a field, with what it takes. */
function placeholder(name: string, value: string, note: string): string {
  return `# ${name}:${value}  # ${yamlCommentText(note)}`;
}

/**
 * The front matter lines of a new record (no `---`, no indentation): id, title, status, then the
 * kind's required fields and its links as commented placeholders.
 */
export function templateLines(
  project: Pick<Project, 'config'>,
  kind: KindName,
  id: string,
  title: string | undefined,
  inCollection: boolean,
): string[] {
  const spec = kindSpec(kind);
  const schema = recordSchema(spec, project.config.customFields[kind] ?? {});
  const shape = schema.shape as Record<string, FieldShape>;
  const lines = yamlText({ id }).replace(/\n$/, '').split('\n');
  if (title !== undefined) lines.push(...yamlText({ title }).replace(/\n$/, '').split('\n'));
  else lines.push(placeholder('title', '', 'TODO required: a short name'));
  lines.push('status: draft');
  const links = new Set(spec.links.map((l) => l.field));
  const required = Object.entries(shape).filter(
    ([name, field]) => !COMMON.has(name) && !links.has(name) && !field.safeParse(undefined).success,
  );
  if (required.length > 0 || title === undefined || spec.statementRequired) {
    lines.push(
      '# TODO: fill in what follows and remove the leading `# `; dossier check reports it until then.',
    );
  }
  for (const [name, field] of required) {
    const options = Array.isArray(field.options) ? `; one of: ${field.options.join(', ')}` : '';
    lines.push(placeholder(name, '', `required: ${field.description ?? spec.label}${options}`));
  }
  for (const link of spec.links) {
    lines.push(placeholder(link.field, ' []', `${link.description} (ids of ${link.targets.join(', ')})`));
  }
  if (spec.statementRequired) {
    lines.push(
      inCollection
        ? placeholder('text', ' |', 'required: the statement (record/empty-statement until it is written)')
        : '# The statement goes below the closing ---; record/empty-statement is reported until it is written.',
    );
  }
  return lines;
}

/** The id to use: `--id` checked, or the next free one of the kind's prefix. */
function chooseId(project: Project, kind: KindName, wanted: string | undefined) {
  const prefix = prefixFor(project.config, kind, kindSpec(kind).defaultPrefix);
  const { ids, sources } = idsInUse(project);
  if (wanted === undefined) return { id: idAllocator(ids, prefix)(), sources };
  const match = ID_PATTERN.exec(wanted);
  if (!match) throw new NewRecordError(`--id ${wanted} is not of the form PREFIX-NUMBER, e.g. ${prefix}-012`);
  if (match[1] !== prefix) {
    throw new NewRecordError(`--id ${wanted}: a ${kind} id starts with ${prefix}- (ids: in dossier.yaml)`);
  }
  if (ids.has(wanted)) {
    throw new NewRecordError(
      `--id ${wanted} is already in use (in the working tree or on a branch); leave --id out to get the next free id`,
    );
  }
  return { id: wanted, sources };
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Plans the new record: its id, its file and the file's full text. Writes nothing. */
export function planNewRecord(project: Project, request: NewRecordRequest): NewRecordPlan {
  const { kind } = request;
  if (request.title !== undefined && (request.title.trim() === '' || /[\r\n]/.test(request.title))) {
    throw new NewRecordError('--title must be one line of text');
  }
  const { id, sources } = chooseId(project, kind, request.id);
  const target = targetOf(project, kind, id, request.in);
  const maxBytes = maxFileBytesOf(project.config);
  let content: string;
  let unchangedSince: string | null = null;
  if (target.collection) {
    const absolute = path.join(project.root, target.file);
    const text = fs.readFileSync(absolute, 'utf8');
    unchangedSince = sha256Hex(fs.readFileSync(absolute));
    content = appendToCollection(text, target.file, templateLines(project, kind, id, request.title, true));
  } else {
    if (fs.existsSync(path.join(project.root, target.file))) {
      throw new NewRecordError(`${target.file} already exists; give another --in`);
    }
    content = `---\n${templateLines(project, kind, id, request.title, false).join('\n')}\n---\n`;
  }
  const refusal = recordFileRefusal(target.file, content, maxBytes);
  if (refusal) throw new NewRecordError(`${refusal}; nothing was written`);
  const read = readRecordText(target.file, content);
  if (!read.records.some((r) => (r.data as { id?: unknown } | null)?.id === id)) {
    throw new NewRecordError(
      `${target.file}: the new record could not be placed in the file; nothing was written`,
    );
  }
  return {
    id,
    kind,
    file: target.file,
    collection: target.collection,
    content,
    unchangedSince,
    idSources: sources,
  };
}

/** Writes the planned file (a new file, or the collection if unchanged since it was read). */
export function writeNewRecord(project: Project, plan: NewRecordPlan): void {
  writeFilesAtomically(project.root, 'dossier new', [
    { path: plan.file, content: plan.content, unchangedSince: plan.unchangedSince },
  ]);
}

function targetOf(
  project: Project,
  kind: KindName,
  id: string,
  where: string | undefined,
): { file: string; collection: boolean } {
  const matches = listingMatcher(project.config.records, project.config.exclude);
  const mdIn = (folder: string) => {
    const file = path.posix.join(folder, `${id}.md`);
    if (!matches(file)) {
      throw new NewRecordError(
        `${file} is not matched by the records globs of dossier.yaml, so check would not read it; give --in a folder they match`,
      );
    }
    return { file, collection: false };
  };
  if (where !== undefined) {
    const absolute = insideProject(project.root, path.resolve(project.root, where));
    const rel = toPosix(path.relative(project.root, absolute));
    if (/\.ya?ml$/i.test(rel)) {
      const source = project.sources.get(rel);
      if (!source?.entries) {
        throw new NewRecordError(
          `--in ${where}: not a collection file of the project (it must exist and be matched by the records globs); give a folder to create a Markdown record`,
        );
      }
      return { file: rel, collection: true };
    }
    if (/\.md$/i.test(rel)) {
      if (!matches(rel)) {
        throw new NewRecordError(`--in ${where} is not matched by the records globs of dossier.yaml`);
      }
      return { file: rel, collection: false };
    }
    return mdIn(rel === '' ? '.' : rel);
  }
  // Beside the kind's newest record: its folder, or its collection.
  const same = project.records.filter((r) => r.kind === kind);
  const last = same[same.length - 1];
  if (!last) return mdIn(`records/${kind}`);
  const source = last.origin.source;
  if (source.entries) return { file: source.path, collection: true };
  return mdIn(path.posix.dirname(source.path));
}

/**
 * The collection's text with a new item after its last record: same indentation as its first
 * item, everything else untouched.
 */
function appendToCollection(text: string, rel: string, lines: readonly string[]): string {
  const doc = parseDocument(text, { uniqueKeys: false, strict: false });
  const contents = doc.contents as Node | null;
  let seq: Node | null | undefined = contents;
  if (contents && isMap(contents)) {
    const pair = (contents as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === 'records');
    seq = pair?.value as Node | null | undefined;
  }
  if (!seq || !isSeq(seq) || seq.flow || seq.items.length === 0) {
    throw new NewRecordError(
      `${rel}: its records are not a block list with at least one record, so a new one cannot be added in its style; add it by hand or give --in a folder`,
    );
  }
  const first = seq.items[0] as Node;
  const last = seq.items[seq.items.length - 1] as Node;
  if (!isMap(first) || !isMap(last) || first.flow || !first.range || !last.range) {
    throw new NewRecordError(`${rel}: its records are not block mappings; add the record by hand`);
  }
  const keyStart = ((first as YAMLMap).items[0]?.key as Node | undefined)?.range?.[0] ?? first.range[0];
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const dash = text.slice(lineStart, keyStart);
  if (!/^[ \t]*-[ \t]+$/.test(dash)) {
    throw new NewRecordError(`${rel}: its first record does not start with "- key:"; add the record by hand`);
  }
  let end = last.range[1];
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  const newline = text.indexOf('\n', end);
  const crlf = text.includes('\r\n');
  const at = newline < 0 ? text.length : crlf && text[newline - 1] === '\r' ? newline - 1 : newline;
  const eol = crlf ? '\r\n' : '\n';
  const indent = ' '.repeat(dash.length);
  const item = lines.map((line, i) => (i === 0 ? dash : indent) + line).join(eol);
  return `${text.slice(0, at)}${eol}${item}${text.slice(at)}${newline < 0 ? eol : ''}`;
}
