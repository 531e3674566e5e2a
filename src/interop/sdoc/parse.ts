/**
 * The StrictDoc `.sdoc` syntax as a tree, without StrictDoc's textX grammar: blocks (`[DOCUMENT]`,
 * `[GRAMMAR]`, `[REQUIREMENT]`, `[TEXT]`, any grammar element), the container blocks that close
 * (`[SECTION]` … `[/SECTION]`, `[[SECTION]]` … `[[/SECTION]]`, `[COMPOSITE_REQUIREMENT]`,
 * `[[NODE]]`), fields (`NAME: value`, multi-line `NAME: >>>` … `<<<`), and the relation lists of
 * `RELATIONS:` and the older `REFS:`. Meaning (ids, titles, sections) is read.ts's job.
 *
 * What stops parsing is an ImportError at its line (an unterminated `>>>`, a `[/SECTION]` that
 * closes nothing, a section never closed); a line that fits nothing is reported and skipped.
 */
import { ImportError, type ImportIssue } from '../model.js';

export interface SdocField {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface SdocRelation {
  /** Parent, Child, File. */
  type: string;
  value: string;
  role?: string;
  readonly line: number;
}

export interface SdocBlock {
  readonly tag: string;
  readonly line: number;
  /** A block with children that is closed by `[/TAG]` or `[[/TAG]]`. */
  readonly container: boolean;
  readonly fields: SdocField[];
  readonly relations: SdocRelation[];
  readonly children: SdocBlock[];
}

export interface SdocTree {
  /** The `[DOCUMENT]` block's fields (TITLE and options), when there is one. */
  readonly document?: SdocBlock;
  /** Element tags the `[GRAMMAR]` declares (`- TAG: REQUIREMENT`). */
  readonly grammarTags: readonly string[];
  /** The document's top-level nodes, in order. */
  readonly nodes: readonly SdocBlock[];
  readonly issues: readonly ImportIssue[];
}

const MARKER = /^(\[\[?)(\/?)([A-Z][A-Z0-9_]*)(\]\]?)\s*$/;
const FIELD = /^([A-Z][A-Z0-9_]*):(?:\s(.*))?$/;
/** Single-bracket blocks that hold children and have a closing tag. */
const SINGLE_CONTAINERS = /^(SECTION|COMPOSITE_[A-Z0-9_]+)$/;
const RELATION_FIELDS = new Set(['RELATIONS', 'REFS']);

export function parseSdoc(text: string, file: string): SdocTree {
  const lines = text.split(/\r\n|\r|\n/);
  const root: SdocBlock = { tag: '', line: 0, container: true, fields: [], relations: [], children: [] };
  const stack: SdocBlock[] = [root];
  const issues: ImportIssue[] = [];
  const grammarTags: string[] = [];
  let document: SdocBlock | undefined;
  let current: SdocBlock | undefined;
  /** The list field being read (`RELATIONS:`, `ELEMENTS:`), while its `- ` lines follow. */
  let list: { block: SdocBlock; name: string; line: number; lines: string[] } | undefined;
  const endList = () => {
    if (list && !RELATION_FIELDS.has(list.name))
      list.block.fields.push({ name: list.name, value: list.lines.join('\n'), line: list.line });
    list = undefined;
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const lineNo = i + 1;
    i++;
    if (list && /^(-|\s+\S)/.test(line)) {
      list.lines.push(line);
      if (RELATION_FIELDS.has(list.name)) readRelationLine(list.block, line, lineNo);
      if (current?.tag === 'GRAMMAR') {
        const tag = /^\s*-?\s*TAG:\s*([A-Z][A-Z0-9_]*)/.exec(line);
        if (tag) grammarTags.push(tag[1]!);
      }
      continue;
    }
    endList();
    if (line.trim() === '') continue;
    const marker = MARKER.exec(line);
    if (marker && (marker[1] === '[' ? marker[4] === ']' : marker[4] === ']]')) {
      const double = marker[1] === '[[';
      const tag = marker[3]!;
      if (marker[2] === '/') {
        const open = stack[stack.length - 1]!;
        if (stack.length === 1 || open.tag !== tag)
          throw new ImportError(
            `${file}:${lineNo}: ${line.trim()} closes ${stack.length === 1 ? 'nothing' : `[${open.tag}] of line ${open.line}`}.`,
            { file, line: lineNo },
          );
        stack.pop();
        current = undefined;
        continue;
      }
      const block: SdocBlock = {
        tag,
        line: lineNo,
        container: double || SINGLE_CONTAINERS.test(tag),
        fields: [],
        relations: [],
        children: [],
      };
      if (tag === 'DOCUMENT') document = block;
      else if (tag === 'FREETEXT') {
        // Old free text: raw lines up to [/FREETEXT], kept as the text of a TEXT node.
        const end = indexFrom(lines, i, (l) => l.trim() === '[/FREETEXT]');
        if (end < 0)
          throw new ImportError(`${file}:${lineNo}: [FREETEXT] is never closed by [/FREETEXT].`, {
            file,
            line: lineNo,
          });
        block.fields.push({ name: 'STATEMENT', value: lines.slice(i, end).join('\n'), line: lineNo + 1 });
        stack[stack.length - 1]!.children.push(block);
        i = end + 1;
        current = undefined;
        continue;
      } else if (tag !== 'GRAMMAR') stack[stack.length - 1]!.children.push(block);
      if (block.container) stack.push(block);
      current = block;
      continue;
    }
    const field = FIELD.exec(line);
    if (field && current) {
      const name = field[1]!;
      const value = field[2] ?? '';
      if (value.trim() === '>>>') {
        const end = indexFrom(lines, i, (l) => l === '<<<');
        if (end < 0)
          throw new ImportError(
            `${file}:${lineNo}: the ${name} block opened with >>> is never closed by <<<.`,
            {
              file,
              line: lineNo,
            },
          );
        current.fields.push({ name, value: lines.slice(i, end).join('\n'), line: lineNo });
        i = end + 1;
      } else if (value.trim() === '') {
        list = { block: current, name, line: lineNo, lines: [] };
      } else {
        current.fields.push({ name, value: value.trim(), line: lineNo });
        if (current.tag === 'GRAMMAR' && name === 'IMPORT_FROM_FILE')
          issues.push({
            severity: 'info',
            code: 'skipped',
            message: `The grammar imported from ${value.trim()} is not read; its elements are read as they appear.`,
            location: { file, line: lineNo },
          });
      }
      continue;
    }
    issues.push({
      severity: 'warning',
      code: 'skipped',
      message: `A line that is neither a [BLOCK] nor a FIELD: value is skipped: ${line.trim().slice(0, 60)}`,
      location: { file, line: lineNo },
    });
  }
  endList();
  if (stack.length > 1) {
    const open = stack[stack.length - 1]!;
    throw new ImportError(`${file}:${open.line}: [${open.tag}] is never closed.`, { file, line: open.line });
  }
  return { ...(document ? { document } : {}), grammarTags, nodes: root.children, issues };
}

/** The first index at or after `start` whose line matches, or -1 (findIndex would rescan from 0). */
function indexFrom(lines: readonly string[], start: number, match: (line: string) => boolean): number {
  for (let k = start; k < lines.length; k++) if (match(lines[k]!)) return k;
  return -1;
}

/**
 * One line of a RELATIONS / REFS list: `- TYPE: Parent`, `  VALUE: REQ-001`, `  ROLE: Refines`,
 * or the one-line `- TYPE: Parent VALUE: REQ-001`. A `-` starts a new relation.
 */
function readRelationLine(block: SdocBlock, line: string, lineNo: number): void {
  const pairs = [...line.replace(/^\s*-?\s*/, '').matchAll(/([A-Z_]+):\s*(.*?)(?=\s+[A-Z_]+:\s|$)/g)];
  if (pairs.length === 0) return;
  const relations = block.relations;
  let relation = /^\s*-/.test(line) ? undefined : relations[relations.length - 1];
  if (!relation) {
    relation = { type: '', value: '', line: lineNo };
    relations.push(relation);
  }
  for (const [, key, raw] of pairs) {
    const value = raw!.trim();
    if (key === 'TYPE') relation.type = value;
    else if (key === 'VALUE') relation.value = value;
    else if (key === 'ROLE') relation.role = value;
  }
}
