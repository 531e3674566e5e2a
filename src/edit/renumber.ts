/**
 * `dossier renumber OLD NEW`: gives a record a new id and updates every exact reference to it, so
 * that a collision found after a merge (`id/duplicate`) can be resolved without hand edits.
 *
 * References are YAML scalars equal to the old id anywhere in the record files and dossier.yaml
 * (links, `causes[].situation`, review `reviewed` and `fingerprints` keys, `software.system`, …),
 * link review stamps that start with it, and `@implements` / `@verifies` code tags. Each is
 * spliced in place, so comments, quoting and layout survive; all files are written or none (the
 * write journal). Mentions in prose are listed, never rewritten: whether "see SRS-014" meant this
 * record is for a person to judge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isScalar, type Node, parseDocument, visit } from 'yaml';
import type { Project } from '../load/project.js';
import { splitFrontMatter } from '../load/read-file.js';
import { ID_PATTERN } from '../load/validate-record.js';
import { configFileRefusal, recordFileRefusal } from '../load/would-load.js';
import { CONFIG_FILE_NAME, maxFileBytesOf, prefixFor } from '../model/config.js';
import { kindSpec } from '../model/kinds.js';
import type { DossierRecord } from '../model/record.js';
import { signaturesFileOf } from '../signatures/files.js';
import { sha256Hex } from '../util/hash.js';
import { didYouMean } from '../util/suggest.js';
import { type PlannedWrite, writeFilesAtomically } from '../util/write-journal.js';
import { idsInUse } from './new-record.js';

/** A request that cannot be carried out as asked: one line, exit 2, nothing written. */
export class RenumberError extends Error {}

export interface Place {
  /** Project-relative. */
  readonly file: string;
  readonly line: number;
}

export interface RenumberPlan {
  readonly from: string;
  readonly to: string;
  readonly record: DossierRecord;
  /** Each reference changed, with what it is. */
  readonly changes: readonly (Place & { readonly what: string })[];
  /** Where the old id is mentioned in prose: listed, not changed. */
  readonly mentions: readonly Place[];
  /** With a duplicated old id: references left as they are (they may mean either record). */
  readonly ambiguous: readonly Place[];
  /** Signed records whose content changes: their signatures no longer match. */
  readonly signedAffected: readonly string[];
  /** The record's Markdown file, when it is named after the old id (it keeps its name). */
  readonly namedAfterOld?: string;
  readonly writes: readonly PlannedWrite[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const lineAt = (text: string, offset: number) => {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
};

interface Splice {
  readonly at: number;
  readonly end: number;
  readonly text: string;
}

function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.at - a.at))
    out = out.slice(0, s.at) + s.text + out.slice(s.end);
  return out;
}

export function planRenumber(
  project: Project,
  from: string,
  to: string,
  options: { readonly file?: string } = {},
): RenumberPlan {
  for (const id of [from, to]) {
    if (!ID_PATTERN.test(id)) {
      throw new RenumberError(`"${id}" is not a record id of the form PREFIX-NUMBER, e.g. SRS-012`);
    }
  }
  if (from === to) throw new RenumberError(`${from} and ${to} are the same id`);
  const holders = project.records.filter((r) => r.id === from);
  if (holders.length === 0) {
    throw new RenumberError(
      `no record has the id ${from}${didYouMean(
        from,
        project.records.map((r) => r.id),
      )}`,
    );
  }
  const duplicated = holders.length > 1;
  let record = holders[0]!;
  if (options.file !== undefined) {
    const wanted = path.posix.normalize(options.file.replace(/\\/g, '/')).replace(/^\.\//, '');
    const chosen = holders.find((r) => r.origin.source.path === wanted);
    if (!chosen) {
      throw new RenumberError(
        `--file ${options.file}: no record ${from} there; ${from} is in ${holders.map((r) => r.origin.source.path).join(', ')}`,
      );
    }
    record = chosen;
  } else if (duplicated) {
    throw new RenumberError(
      `${from} is used by ${holders.length} records (${holders.map((r) => r.origin.source.path).join(', ')}): say which one to renumber with --file <path>`,
    );
  }
  const prefix = prefixFor(project.config, record.kind, kindSpec(record.kind).defaultPrefix);
  if (ID_PATTERN.exec(to)![1] !== prefix) {
    throw new RenumberError(`${from} is a ${record.kind}, whose ids start with ${prefix}-; ${to} does not`);
  }
  const { ids } = idsInUse(project);
  if (ids.has(to)) {
    throw new RenumberError(
      `${to} is already in use (in the working tree or on a branch); choose an unused id (dossier new ${record.kind} --dry-run shows the next free one)`,
    );
  }
  const signatures = signaturesFileOf(project.config, from);
  if (fs.existsSync(path.join(project.root, signatures))) {
    throw new RenumberError(
      `${from} is signed (${signatures}): a signature names the record and content it signs, so a new id would void it. Renumbering a signed record is refused; if it must be done, withdraw the approval, renumber, and sign ${to} again`,
    );
  }

  const changes: (Place & { what: string })[] = [];
  const mentions: Place[] = [];
  const ambiguous: Place[] = [];
  const writes: PlannedWrite[] = [];
  const mention = new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(from)}(?![0-9])`, 'g');
  const maxBytes = maxFileBytesOf(project.config);

  const files = [...project.sources.keys()].sort();
  for (const rel of files) {
    const absolute = path.join(project.root, rel);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(absolute);
    } catch {
      continue;
    }
    const text = bytes.toString('utf8');
    if (!text.includes(from)) continue;
    let base = 0;
    let yamlPart = text;
    let body: { at: number; text: string } | undefined;
    if (/\.md$/i.test(rel)) {
      const split = splitFrontMatter(text);
      if (!split.ok) continue;
      base = split.open.length;
      yamlPart = split.yaml;
      body = { at: base + split.yaml.length, text: split.rest };
    }
    const splices: Splice[] = [];
    const own = rel === record.origin.source.path ? ownIdNode(yamlPart, record) : undefined;
    // The other record with the old id keeps it: its own id is not a reference.
    const othersOwn = new Set(
      holders
        .filter((h) => h !== record && h.origin.source.path === rel)
        .map((h) => ownIdNode(yamlPart, h))
        .filter((o): o is number => o !== undefined),
    );
    const doc = parseDocument(yamlPart, { uniqueKeys: false, strict: false });
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value !== 'string' || !node.range || othersOwn.has(node.range[0])) return;
        const [start, end] = node.range;
        const raw = text.slice(base + start, base + end);
        const at = { file: rel, line: lineAt(text, base + start) };
        const isOwn = own !== undefined && own === start;
        const exact = node.value === from;
        const stamp = node.value.startsWith(`${from} fp1:`);
        if (isOwn || (!duplicated && (exact || stamp))) {
          const i = raw.indexOf(from);
          if (i < 0) return;
          splices.push({ at: base + start + i, end: base + start + i + from.length, text: to });
          changes.push({
            ...at,
            what: isOwn ? 'the record id' : stamp ? 'a link review stamp' : 'a reference',
          });
        } else if (exact || stamp) {
          ambiguous.push(at);
        } else if (mention.test(node.value)) {
          mentions.push(at);
        }
        mention.lastIndex = 0;
      },
    });
    if (body) {
      for (const m of body.text.matchAll(mention))
        mentions.push({ file: rel, line: lineAt(text, body.at + m.index) });
    }
    if (splices.length === 0) continue;
    const content = applySplices(text, splices);
    const refusal =
      rel === CONFIG_FILE_NAME ? configFileRefusal(content) : recordFileRefusal(rel, content, maxBytes);
    if (refusal) throw new RenumberError(`${refusal}; nothing was written`);
    writes.push({ path: rel, content, unchangedSince: sha256Hex(bytes) });
  }

  // Code tags: @implements / @verifies in the configured sources.
  const tagged = new Map<string, { line: number; column: number }[]>();
  for (const tag of project.codeTags) {
    if (tag.id !== from) continue;
    const list = tagged.get(tag.file) ?? [];
    list.push({ line: tag.line, column: tag.column });
    tagged.set(tag.file, list);
  }
  for (const [rel, tags] of [...tagged].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (duplicated) {
      for (const t of tags) ambiguous.push({ file: rel, line: t.line });
      continue;
    }
    const bytes = fs.readFileSync(path.join(project.root, rel));
    const text = bytes.toString('utf8');
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const splices: Splice[] = [];
    for (const t of tags) {
      const at = (starts[t.line - 1] ?? 0) + t.column - 1;
      if (text.slice(at, at + from.length) !== from || /[0-9]/.test(text[at + from.length] ?? '')) continue;
      splices.push({ at, end: at + from.length, text: to });
      changes.push({ file: rel, line: t.line, what: 'a code tag' });
    }
    if (splices.length > 0) {
      writes.push({ path: rel, content: applySplices(text, splices), unchangedSince: sha256Hex(bytes) });
    }
  }

  const signedAffected = duplicated
    ? []
    : project.records
        .filter(
          (r) =>
            r !== record &&
            (Object.values(r.links).some((targets) => targets.includes(from)) ||
              JSON.stringify(r.fields).includes(`"${from}`)) &&
            fs.existsSync(path.join(project.root, signaturesFileOf(project.config, r.id))),
        )
        .map((r) => r.id);
  const source = record.origin.source.path;
  return {
    from,
    to,
    record,
    changes,
    mentions,
    ambiguous,
    signedAffected: [...new Set(signedAffected)].sort(),
    ...(path.posix.basename(source) === `${from}.md` ? { namedAfterOld: source } : {}),
    writes,
  };
}

/** Offset (in the YAML part) of the record's own `id` value. */
function ownIdNode(yamlPart: string, record: DossierRecord): number | undefined {
  const doc = parseDocument(yamlPart, { uniqueKeys: false, strict: false });
  const node = doc.getIn([...record.origin.path, 'id'], true) as Node | undefined;
  return node && isScalar(node) ? node.range?.[0] : undefined;
}

/** Writes every planned file, or none. The caller holds the project lock. */
export function writeRenumber(project: Project, plan: RenumberPlan): void {
  writeFilesAtomically(project.root, 'dossier renumber', plan.writes);
}
