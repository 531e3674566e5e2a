/**
 * A DocumentModel as Markdown (CommonMark with pipe tables). Generated text is escaped; record text
 * is Markdown and is written as its author wrote it, with two changes that keep the document whole:
 * its headings move below the document's own (a `#` in a requirement must not become a chapter),
 * and `<` outside code is written `&lt;`, so that no viewer renders raw HTML from a record.
 * Deterministic: the same model gives the same bytes.
 */
import { markdownCell } from '../util/markdown.js';
import { controlRows } from './control-rows.js';
import { ANCHOR, type Block, type DocumentModel, definedAnchors, type Inline } from './model.js';
import { RECORD_HEADING_SHIFT } from './record-markdown.js';

/** Characters that start Markdown syntax anywhere in a line (emphasis, code, links, HTML, tables). */
const INLINE_SPECIAL = /[\\`*_[\]|~<>&]/g;
/** What starts a block (heading, list, quote, rule, ordered list) at the start of a line. */
const BLOCK_START = /^(?:#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|[-=_*]{3,}\s*$)/;

/** Generated text (one line) as Markdown that shows it as written. */
export function escapeMarkdown(text: string): string {
  const line = escapeInline(text);
  if (!BLOCK_START.test(line)) return line;
  // A digit cannot be escaped in CommonMark (a backslash before 1. would show): escape the `.` or `)`.
  const ordered = /^(\d{1,9})([.)])/.exec(line);
  return ordered ? `${ordered[1]}\\${ordered[2]}${line.slice(ordered[0].length)}` : `\\${line}`;
}

/**
 * Generated text inside a line (a table cell): emphasis, code, links, HTML and pipes escaped, so a
 * title such as `*x* | y` stays text in a table too (markdownCell leaves emphasis live).
 */
function escapeInline(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(INLINE_SPECIAL, (c) =>
      c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
    );
}

export function renderMarkdown(doc: DocumentModel): string {
  const anchors = definedAnchors(doc);
  const inline = (parts: readonly Inline[], inCell = false): string =>
    parts
      .map((p) => {
        if ('text' in p) return inCell ? escapeInline(p.text) : escapeMarkdown(p.text);
        if ('strong' in p) return `**${inCell ? escapeInline(p.strong) : escapeMarkdown(p.strong)}**`;
        if ('code' in p) return codeSpan(p.code, inCell);
        const id = inCell ? markdownCell(p.ref) : escapeMarkdown(p.ref);
        return anchors.has(p.ref) ? `[${id}](#${p.ref})` : id;
      })
      .join('');
  const c = doc.control;
  const banner =
    c.status === 'controlled'
      ? `> **Controlled document.** ${escapeMarkdown(c.statusReason)}.`
      : `> **Uncontrolled draft.** ${escapeMarkdown(c.statusReason)}.`;
  const out: string[] = [
    `# ${escapeMarkdown(doc.title)}`,
    '',
    `${escapeMarkdown(doc.device)}, ${escapeMarkdown(doc.manufacturer)}`,
    '',
    banner,
    '',
    '| Document control | |',
    '| --- | --- |',
    ...controlRows(doc).map(([label, value]) =>
      label.startsWith('Content hash')
        ? `| ${label} | \`${value}\` |`
        : `| ${label} | ${markdownCell(value)} |`,
    ),
    '',
  ];
  for (const block of doc.blocks) out.push(...renderBlock(block, inline, doc.key), '');
  out.push(banner, '');
  return out.join('\n');
}

function renderBlock(
  block: Block,
  inline: (parts: readonly Inline[], inCell?: boolean) => string,
  docKey: string,
): string[] {
  switch (block.kind) {
    case 'heading': {
      const anchor = block.anchor && ANCHOR.test(block.anchor) ? `<a id="${block.anchor}"></a>` : '';
      return [`${'#'.repeat(block.level + 1)} ${anchor}${escapeMarkdown(block.text)}`];
    }
    case 'paragraph':
      return [inline(block.inlines)];
    case 'record-text':
      return recordMarkdown(block.markdown);
    case 'fields':
      return [
        '| | |',
        '| --- | --- |',
        ...block.rows.map(([label, value]) => `| ${markdownCell(label)} | ${inline(value, true)} |`),
      ];
    case 'table':
      return [
        `| ${block.columns.map((col) => markdownCell(col.title)).join(' | ')} |`,
        `| ${block.columns.map(() => '---').join(' | ')} |`,
        ...block.rows.map((row) => `| ${row.map((cell) => inline(cell, true)).join(' | ')} |`),
      ];
    case 'list':
      return block.items.map((item) => `- ${inline(item)}`);
    case 'diagram':
      // The SVG is written beside the document (documents/<KEY>-<name>.svg) by the stage.
      return [
        `![${escapeMarkdown(block.caption)}](${diagramFile(docKey, block.name)})`,
        '',
        `*${escapeMarkdown(block.caption)}*`,
      ];
    case 'not-recorded':
      return [
        `> **Not recorded:** ${escapeMarkdown(block.what)}${block.clause ? ` (${escapeMarkdown(block.clause)})` : ''}`,
      ];
  }
}

/** The file name of a document's diagram, beside the document: `SAD-architecture.svg`. */
export function diagramFile(docKey: string, name: string): string {
  return `${docKey}-${name.replace(/[^A-Za-z0-9._-]/g, '-')}.svg`;
}

/** A code span that holds any text: a fence longer than any run of backticks inside it. */
function codeSpan(code: string, inCell: boolean): string {
  const text = inCell ? code.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ') : code.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Lines that open or close a fenced code block. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Record text as written, its headings moved below the record's own and `<` outside code escaped. */
export function recordMarkdown(markdown: string): string[] {
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/\s+$/, '').split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const opening = FENCE.exec(line);
    if (fence !== undefined) {
      out.push(line);
      if (opening && opening[1]![0] === fence[0] && opening[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (opening) {
      fence = opening[1]!;
      out.push(line);
      continue;
    }
    const heading = /^( {0,3})(#{1,6})(\s|$)/.exec(line);
    const shifted = heading
      ? `${heading[1]}${'#'.repeat(Math.min(6, heading[2]!.length + RECORD_HEADING_SHIFT))}${line.slice(heading[0].length - heading[3]!.length)}`
      : line;
    out.push(escapeHtmlOutsideCode(shifted));
  }
  return out;
}

/** `<` written `&lt;` except inside code spans (where an entity would show as typed). */
function escapeHtmlOutsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const tick = line.indexOf('`', i);
    const end = tick === -1 ? line.length : tick;
    out += line.slice(i, end).replace(/</g, '&lt;');
    if (tick === -1) break;
    let run = tick;
    while (line[run] === '`') run++;
    const fence = line.slice(tick, run);
    const close = line.indexOf(fence, run);
    if (close === -1) {
      out += line.slice(tick).replace(/</g, '&lt;');
      break;
    }
    out += line.slice(tick, close + fence.length);
    i = close + fence.length;
  }
  return out;
}
