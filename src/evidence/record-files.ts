/**
 * The files of a new evidence record (a test run, a verification report), each one the loader takes.
 *
 * A record whose list (a run's `results`, a static analysis' `findings`) would make its file larger
 * than half the loader's limit (`limits.maxFileBytes`; the other half is room for what reviewers add)
 * keeps its header, its totals and the items verdicts are drawn from, as many as fit (a run's results
 * of test records, which the trace and the gate read; a static analysis' unsuppressed errors), and
 * the rest of the list goes, in its order, to numbered companion files
 * beside it (`RUN-004.results-2.yaml`, …), named in the record's `continuedIn` and loaded as part of
 * it (src/model/continuation.ts). Every file is checked with the loader's own checks before the
 * caller writes any: one that would still be refused (an item too large for any file, a header over
 * the limit) refuses the whole record with a message that names the file and the limit.
 */
import path from 'node:path';
import { byteLength, recordFileRefusal, WRITER_FILL_SHARE } from '../load/would-load.js';
import { CONTINUED_IN, CONTINUES, companionFileName } from '../model/continuation.js';
import { yamlCommentText } from '../util/yaml-comment.js';
import { yamlText } from '../util/yaml-text.js';

/** A record the loader would refuse even split into companion files: nothing is written. */
export class RecordTooLargeError extends Error {}

export interface PlannedFile {
  /** Project-relative, forward slashes. */
  readonly rel: string;
  readonly text: string;
}

export interface EvidenceRecordInput {
  readonly kind: 'test-run' | 'verification-report';
  /** The record's fields in the order written (`id`, `title`, `status`, …), the list among them. */
  readonly record: Readonly<Record<string, unknown>>;
  /** The list that may continue in companion files. */
  readonly list: 'results' | 'findings';
  /** Comment lines at the top of the record file. */
  readonly header: string;
  /** What a companion file says it is, in a comment ("Results of RUN-004 from reports/x.xml"). */
  readonly companionAbout: string;
  /** The record file, project-relative. */
  readonly rel: string;
  readonly maxFileBytes: number;
  /**
   * When the list is split, the items the record's own file keeps (as many as fit): those verdicts
   * are drawn from. The others go to the companion files, in their order.
   */
  readonly preferInRecord?: (item: unknown) => boolean;
}

/** Indentation of a list item in the record file (`records:` › `- id:` › `results:` › `- …`) and in a companion. */
const RECORD_ITEM_INDENT = 6;
const COMPANION_ITEM_INDENT = 2;

/** Each item's YAML at indent 0, in one pass: a top-level sequence starts every item with `- ` at column 0. */
function itemTexts(items: readonly unknown[]): string[] {
  if (items.length === 0) return [];
  return yamlText(items, { lineWidth: 0 })
    .replace(/\n$/, '')
    .split(/\n(?=- )/);
}

/** Bytes of an item's YAML at an indent, with its newline. */
const sizeAt = (text: string, indent: number) => byteLength(text) + 1 + indent * countLines(text);

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function recordText(input: EvidenceRecordInput, items: readonly unknown[], companions: readonly string[]) {
  const record = {
    ...input.record,
    ...(input.list in input.record ? { [input.list]: items } : {}),
    ...(companions.length > 0 ? { [CONTINUED_IN]: companions } : {}),
  };
  return input.header + yamlText({ kind: input.kind, records: [record] }, { lineWidth: 0 });
}

function companionText(input: EvidenceRecordInput, part: number, of: number, items: readonly unknown[]) {
  const id = String(input.record.id);
  const header = `# ${yamlCommentText(input.companionAbout)}, continued: part ${part} of ${of}, loaded as part of ${id} (\`${CONTINUED_IN}\` in ${path.posix.basename(input.rel)}).\n# Written by \`dossier evidence import\`: evidence as imported, not to be edited. Keep it with ${id}: without it, ${id} does not load.\n`;
  return header + yamlText({ [CONTINUES]: id, [input.list]: items }, { lineWidth: 0 });
}

/** The record file, and its companion files when the list does not fit in it. */
export function evidenceRecordFiles(input: EvidenceRecordInput): PlannedFile[] {
  const limit = input.maxFileBytes;
  const budget = Math.floor(limit * WRITER_FILL_SHARE);
  const items = (input.record[input.list] as readonly unknown[] | undefined) ?? [];
  const texts = itemTexts(items);
  const whole = recordText(input, items, []);
  if (byteLength(whole) <= budget || items.length === 0)
    return checked([{ rel: input.rel, text: whole }], limit);

  // Companion files take what the record's own file cannot; reserve room there for their names.
  const base = byteLength(recordText(input, [], []));
  const companionBase = byteLength(companionText(input, 99, 99, []));
  const restBytes = texts.reduce((n, t) => n + sizeAt(t, COMPANION_ITEM_INDENT), 0);
  const room = Math.max(1, budget - companionBase);
  const nameBytes = byteLength(companionFileName(path.posix.basename(input.rel), input.list, 99)) + 10;
  const reserve = 20 + nameBytes * Math.min(items.length, Math.ceil(restBytes / room) + 1);

  const order = items.map((_, i) => i);
  // Split, the record's own file keeps only the items verdicts are drawn from, so that it stays
  // readable for its review; without such a choice, the first items.
  const preferred = input.preferInRecord ? order.filter((i) => input.preferInRecord!(items[i])) : order;
  const inRecord = new Set<number>();
  let size = base + reserve;
  for (const i of preferred) {
    const grown = size + sizeAt(texts[i]!, RECORD_ITEM_INDENT);
    if (grown > budget) break;
    inRecord.add(i);
    size = grown;
  }
  const parts: number[][] = [];
  let current: number[] = [];
  let partSize = companionBase;
  for (const i of order) {
    if (inRecord.has(i)) continue;
    const itemSize = sizeAt(texts[i]!, COMPANION_ITEM_INDENT);
    // A file takes items up to the fill share; an empty one takes one that fits within the limit at all.
    if (current.length > 0 && partSize + itemSize > budget) {
      parts.push(current);
      current = [];
      partSize = companionBase;
    }
    current.push(i);
    partSize += itemSize;
  }
  if (current.length > 0) parts.push(current);

  const dir = path.posix.dirname(input.rel);
  const names = parts.map((_, p) => companionFileName(path.posix.basename(input.rel), input.list, p + 2));
  const files: PlannedFile[] = [
    {
      rel: input.rel,
      text: recordText(
        input,
        order.filter((i) => inRecord.has(i)).map((i) => items[i]),
        names,
      ),
    },
    ...parts.map((part, p) => ({
      rel: path.posix.join(dir, names[p]!),
      text: companionText(
        input,
        p + 2,
        parts.length + 1,
        part.map((i) => items[i]),
      ),
    })),
  ];
  return checked(files, limit);
}

/** Every file as the loader would take it, or the reason the first one would be refused. */
function checked(files: PlannedFile[], limit: number): PlannedFile[] {
  for (const file of files) {
    const refusal = recordFileRefusal(file.rel, file.text, limit);
    if (refusal) throw new RecordTooLargeError(refusal);
  }
  return files;
}
