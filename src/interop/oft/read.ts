/**
 * OpenFastTrace specification items in Markdown (format 'oft'): an item starts at a line holding
 * only its id, `` `req~login~1` `` (type~name~revision); a heading right above the id is its
 * title; the description runs to the first keyword. `Covers:` and `Depends:` lists become
 * relations ('covers', 'depends') from the item to each listed id; `Needs:` (the artifact types
 * that must cover the item), `Tags:`, `Rationale:` and `Comment:` become attributes, `Status:` the
 * provenance status. The item ends at the next id or heading. Headings above an item, its title
 * heading excepted, give its section path.
 *
 * Left out, with an issue: OFT's forwarding notation (`arch --> dsn : req~x~1`), which needs
 * nothing in Dossier but the coverage it already states. Tags in source code are another
 * importer's job.
 */
import { at, BatchBuilder, splitList } from '../batch.js';
import type { AttributeValue, ImportBatch, ImportedObject } from '../model.js';
import { listSourceFiles, readSourceText, splitLines } from '../source-files.js';

const ID_TEXT = '([A-Za-z][\\w-]*)~([^\\s~`]+)~(\\d+)';
const ID_LINE = new RegExp(`^\\s*(?:<a id="[^"]*"></a>\\s*)?\`?${ID_TEXT}\`?\\s*$`);
const LIST_ID = new RegExp(`^\\s*[*+-]\\s+\`?(${ID_TEXT.replace(/[()]/g, '')})\`?(?:\\s.*)?$`);
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const KEYWORD = /^(Description|Rationale|Comment|Covers|Depends|Needs|Tags|Status):\s*(.*)$/;
const FORWARD = /^\s*`?([\w-]+)\s*-->\s*([\w\s,-]+?)\s*:\s*([\w-]+~[^\s~`]+~\d+)`?\s*$/;

interface Draft {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly revision: number;
  readonly line: number;
  readonly title?: string;
  readonly section: readonly string[];
  readonly text: Record<'Description' | 'Rationale' | 'Comment', string[]>;
  readonly lists: Record<'Covers' | 'Depends', { id: string; line: number }[]>;
  readonly listLines: Partial<Record<'Covers' | 'Depends', number>>;
  needs: string[];
  tags: string[];
  status?: string;
}

export async function readOft(paths: readonly string[]): Promise<ImportBatch> {
  const files = await listSourceFiles(paths, (name) => /\.(md|markdown)$/i.test(name), 'Markdown files');
  const batch = new BatchBuilder('oft');
  for (const file of files) readFile(batch, file, await readSourceText(file));
  return batch.finish(files, 'OpenFastTrace');
}

function readFile(batch: BatchBuilder, file: string, text: string): void {
  const lines = splitLines(text);
  /** The open headings; `title` marks one that is an item's title, not a section of what follows. */
  const headings: { level: number; title: string; line: number; isTitle?: boolean }[] = [];
  const objectIds: string[] = [];
  let draft: Draft | undefined;
  let part: 'Description' | 'Rationale' | 'Comment' | 'Covers' | 'Depends' | undefined;
  let fenced = false;
  let firstHeading: string | undefined;
  /** Line number of the last non-blank line seen, to tell whether a heading directly precedes an id. */
  let lastNonBlank = 0;
  const finish = () => {
    if (draft && batch.addObject(toObject(batch, file, draft))) objectIds.push(draft.id);
    draft = undefined;
    part = undefined;
  };
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const previousNonBlank = lastNonBlank;
    if (line.trim() !== '') lastNonBlank = lineNo;
    // Ids quoted in code blocks are examples, not items.
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) {
      if (draft && part && part !== 'Covers' && part !== 'Depends') draft.text[part].push(line);
      return;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      finish();
      const level = heading[1]!.length;
      firstHeading ??= heading[2]!;
      while (headings.length && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, title: heading[2]!, line: lineNo });
      return;
    }
    const id = ID_LINE.exec(line);
    if (id) {
      finish();
      // The heading is the title when only blank lines separate it from the id.
      const last = headings[headings.length - 1];
      const titled = last !== undefined && last.line === previousNonBlank;
      if (titled) last.isTitle = true;
      draft = {
        id: `${id[1]}~${id[2]}~${id[3]}`,
        type: id[1]!,
        name: id[2]!,
        revision: Number(id[3]),
        line: lineNo,
        ...(titled ? { title: last.title } : {}),
        section: headings.filter((h) => !h.isTitle).map((h) => h.title),
        text: { Description: [], Rationale: [], Comment: [] },
        lists: { Covers: [], Depends: [] },
        listLines: {},
        needs: [],
        tags: [],
      };
      part = 'Description';
      return;
    }
    const forward = FORWARD.exec(line);
    if (forward) {
      batch.issue(
        'info',
        'skipped',
        `Forwarding of ${forward[3]} from ${forward[1]} to ${forward[2]} is not imported.`,
        at(file, lineNo),
      );
      return;
    }
    if (!draft) return;
    const keyword = KEYWORD.exec(line);
    if (keyword) {
      const [, name, rest] = keyword as unknown as [string, string, string];
      if (name === 'Needs') draft.needs.push(...splitList(rest));
      else if (name === 'Tags') draft.tags.push(...splitList(rest));
      else if (name === 'Status') draft.status = rest.trim() || undefined;
      else if (name === 'Covers' || name === 'Depends') {
        part = name;
        draft.listLines[name] = lineNo;
        return;
      } else {
        part = name as 'Description' | 'Rationale' | 'Comment';
        if (rest.trim()) draft.text[part].push(rest);
        return;
      }
      part = undefined;
      return;
    }
    if (part === 'Covers' || part === 'Depends') {
      const entry = LIST_ID.exec(line);
      if (entry) draft.lists[part].push({ id: entry[1]!, line: lineNo });
      else if (line.trim() !== '') part = undefined;
      return;
    }
    if (part) draft.text[part].push(line);
  });
  finish();
  batch.documents.push({ sourceId: file, ...(firstHeading ? { title: firstHeading } : {}), objectIds });
}

function toObject(batch: BatchBuilder, file: string, draft: Draft): ImportedObject {
  const attributes: Record<string, AttributeValue> = { name: draft.name, revision: draft.revision };
  if (draft.needs.length) attributes.needs = draft.needs;
  if (draft.tags.length) attributes.tags = draft.tags;
  const rationale = paragraph(draft.text.Rationale);
  if (rationale) attributes.rationale = rationale;
  const comment = paragraph(draft.text.Comment);
  if (comment) attributes.comment = comment;
  for (const kind of ['Covers', 'Depends'] as const) {
    const listLine = draft.listLines[kind];
    if (listLine !== undefined && draft.lists[kind].length === 0)
      batch.issue('warning', 'empty-link', `${draft.id}: ${kind}: lists nothing.`, at(file, listLine));
    for (const target of draft.lists[kind])
      batch.addRelation({
        sourceId: draft.id,
        targetId: target.id,
        type: kind.toLowerCase(),
        location: at(file, target.line),
      });
  }
  const text = paragraph(draft.text.Description);
  return {
    sourceId: draft.id,
    type: draft.type,
    ...(draft.title ? { title: draft.title } : {}),
    ...(text ? { text } : {}),
    attributes,
    ...(draft.section.length ? { section: draft.section } : {}),
    ...(draft.status ? { provenance: { status: draft.status } } : {}),
    location: at(file, draft.line),
  };
}

/** Lines of a text part, surrounding blank lines dropped. */
function paragraph(lines: readonly string[]): string {
  let start = 0;
  while (start < lines.length && lines[start]!.trim() === '') start++;
  return lines.slice(start).join('\n').trimEnd();
}
