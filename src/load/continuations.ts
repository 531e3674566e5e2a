/**
 * Joins companion files to the records they continue (src/model/continuation.ts), once every file is
 * read: the record then holds its whole list, with each item's origin kept for diagnostics.
 *
 * Fail closed: a record whose companions are not all there and all its own (missing, excluded by the
 * globs, not loaded, continuing another record, named twice) is incomplete evidence, so its file does
 * not load (a run missing results must not pass); a companion that no record names holds results
 * that would count for nothing, so it does not load either. Items of a companion that do not match
 * the list's schema are reported where they are and left out, as in the record's own list.
 */
import path from 'node:path';
import type { Finding } from '../diagnostics/diagnostic.js';
import { CONTINUED_IN, CONTINUES, continuedItemSchema, continuedListsOf } from '../model/continuation.js';
import { type ContinuationOrigin, type DossierRecord, fieldAnchor } from '../model/record.js';
import type { RawContinuation } from './read-file.js';
import type { HeadReader } from './records-at-head.js';
import type { UnloadedFile } from './unloaded.js';

export interface Joined {
  readonly records: DossierRecord[];
  readonly findings: Finding[];
  /** Record files whose records are incomplete, and companions no record names. */
  readonly unloaded: UnloadedFile[];
  /** Record files left out: their records are dropped, and so are the findings about them. */
  readonly droppedFiles: ReadonlySet<string>;
}

/** A companion's path from the name a record gives it, relative to the record's file (posix). */
export function companionPath(recordFile: string, name: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(recordFile), name));
}

export function joinContinuations(
  records: readonly DossierRecord[],
  continuations: readonly RawContinuation[],
  unloadedFiles: ReadonlySet<string>,
  atHead: HeadReader,
  /** Whether a record names companion files (`continuedIn`); asked of the records when not given. */
  anyContinued = records.some((r) => r.fields[CONTINUED_IN] !== undefined),
): Joined {
  const byFile = new Map(continuations.map((c) => [c.source.path, c]));
  if (byFile.size === 0 && !anyContinued) {
    return { records: [...records], findings: [], unloaded: [], droppedFiles: new Set() };
  }
  const claimed = new Set<string>();
  const findings: Finding[] = [];
  const broken = new Map<string, Finding>();
  const joined = new Map<DossierRecord, DossierRecord>();

  for (const record of records) {
    const names = record.fields[CONTINUED_IN] as readonly string[] | undefined;
    if (names === undefined) continue;
    const file = record.origin.source.path;
    const lists: Record<string, unknown[]> = {};
    for (const list of continuedListsOf(record.kind)) {
      lists[list] = [...((record.fields[list] as unknown[] | undefined) ?? [])];
    }
    const origins: ContinuationOrigin[] = [];
    let problem: Finding | undefined;
    const fail = (index: number, message: string, hint: string) => {
      problem ??= {
        code: 'load/continuation-missing',
        message,
        recordId: record.id,
        at: fieldAnchor(record, CONTINUED_IN, index),
        hint,
      };
    };
    for (const [index, name] of names.entries()) {
      const rel = companionPath(file, name);
      const companion = byFile.get(rel);
      if (!companion) {
        fail(
          index,
          `${record.id} continues in ${rel}, which ${unloadedFiles.has(rel) ? 'did not load' : 'is not there (or is not matched by the records globs)'}, so its ${continuedListsOf(record.kind).join(' and ')} are incomplete`,
          unloadedFiles.has(rel)
            ? 'fix the companion file (its own error is shown too)'
            : 'restore the companion file from the history of the records (`git checkout -- <file>`), or import the report again into a new record',
        );
        continue;
      }
      if (companion.continues !== record.id) {
        fail(
          index,
          `${record.id} continues in ${rel}, but that file continues ${String(companion.continues)}`,
          'restore both files from the history of the records, or import the report again',
        );
        continue;
      }
      if (claimed.has(rel)) {
        fail(
          index,
          `${record.id} names ${rel} more than once, or another record names it too`,
          'each companion file continues one record, once',
        );
        continue;
      }
      claimed.add(rel);
      for (const [key, value] of Object.entries(companion.lists)) {
        const item = continuedItemSchema(record.kind, key);
        if (!item) {
          findings.push({
            code: 'schema/unknown-field',
            message: `unknown field "${key}" in a companion file of ${record.id} (a ${record.kind})`,
            recordId: record.id,
            at: { file: rel, path: [key], atKey: true },
            hint: `a companion file holds \`${CONTINUES}:\` and ${continuedListsOf(record.kind)
              .map((l) => `\`${l}:\``)
              .join(' or ')}`,
          });
          continue;
        }
        const items = itemsOf(value, item, rel, key, record.id, findings);
        if (!items) continue;
        origins.push({ list: key, file: rel, first: lists[key]!.length });
        lists[key]!.push(...items);
      }
    }
    if (problem) broken.set(file, problem);
    else {
      joined.set(record, {
        ...record,
        fields: { ...record.fields, ...lists },
        origin: { ...record.origin, continuations: origins },
      });
    }
  }

  const droppedFiles = new Set(broken.keys());
  const dropped = records.filter((r) => droppedFiles.has(r.origin.source.path));
  const droppedIds = new Set(dropped.map((r) => r.id));
  const unloaded: UnloadedFile[] = [...broken].map(([file, finding]) => ({
    file,
    finding,
    atHead: atHead(file),
    idsInText: dropped.filter((r) => r.origin.source.path === file).map((r) => r.id),
  }));
  const known = new Set(records.map((r) => r.id));
  for (const companion of continuations) {
    const rel = companion.source.path;
    if (claimed.has(rel)) continue;
    const of = typeof companion.continues === 'string' ? companion.continues : undefined;
    // A record left out for its other companions has said so already.
    if (of !== undefined && droppedIds.has(of)) continue;
    unloaded.push({
      file: rel,
      finding: {
        code: 'load/continuation-unclaimed',
        message:
          of === undefined
            ? `companion file whose \`${CONTINUES}:\` names no record id, so its items belong to no record`
            : known.has(of)
              ? `companion file of ${of}, which does not name it in \`${CONTINUED_IN}\`, so its items belong to no record`
              : `companion file of ${of}, which is not a record (or did not load), so its items belong to no record`,
        at: { file: rel, path: [CONTINUES] },
        hint: `restore \`${CONTINUED_IN}\` in ${of ?? 'the record'} from the history of the records; delete the file only together with its record`,
      },
      atHead: atHead(rel),
      idsInText: [],
    });
  }
  return {
    records: records.filter((r) => !droppedFiles.has(r.origin.source.path)).map((r) => joined.get(r) ?? r),
    findings,
    unloaded,
    droppedFiles,
  };
}

/** The items of a companion's list when they all match the schema; findings where they do not. */
function itemsOf(
  value: unknown,
  item: import('zod').ZodType,
  file: string,
  list: string,
  recordId: string,
  findings: Finding[],
): unknown[] | undefined {
  if (!Array.isArray(value)) {
    findings.push({
      code: 'schema/wrong-type',
      message: `\`${list}\` in a companion file of ${recordId} must be a list`,
      recordId,
      at: { file, path: [list] },
    });
    return undefined;
  }
  let valid = true;
  for (const [index, entry] of value.entries()) {
    const parsed = item.safeParse(entry);
    if (parsed.success) continue;
    valid = false;
    const issue = parsed.error.issues[0]!;
    const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    findings.push({
      code: issue.code === 'unrecognized_keys' ? 'schema/unknown-field' : 'schema/invalid-value',
      message: `${list}[${index}]${at.length > 0 ? `.${at.join('.')}` : ''}: ${issue.message}`,
      recordId,
      at: { file, path: [list, index, ...at] },
    });
  }
  return valid ? value : undefined;
}
