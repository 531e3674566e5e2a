/**
 * ReqIF XHTML (the XHTML 1.1 modules ReqIF allows: text, hypertext, list, edit, presentation,
 * object, table) to CommonMark + GFM tables, which is what Dossier records hold.
 *
 * Kept: paragraphs, headings, lists (nested, ordered with their start), emphasis, strong, code,
 * strike-through (`<del>`), links, line breaks, block quotes, preformatted text, rules, tables,
 * and `<object>`s, which become Markdown links (images as `![]()`) to the attachment path the
 * caller resolves. What Markdown cannot hold (sub/superscript, underline styles, cell spans,
 * definition lists, unknown elements) is kept as plain text and named in `approximated`, so the
 * reader can report it instead of dropping it silently.
 */
import { parseXmlSafely } from '../../util/xml-parse.js';
import {
  attributeOf,
  childrenOf,
  localName,
  tagOf,
  textContent,
  textOf,
  textOfNodes,
  type XmlNode,
} from './xml-nodes.js';

export interface XhtmlObjectReference {
  /** The `data` attribute as written. */
  readonly data: string;
  readonly type?: string;
}

export interface XhtmlToMarkdownOptions {
  /**
   * Where an `<object data=…>` points in the import (an attachment path), or undefined to keep
   * `data` as written.
   */
  readonly resolveObject?: (object: XhtmlObjectReference) => string | undefined;
}

export interface XhtmlConversion {
  readonly markdown: string;
  /** The `<object>`s met, in order. */
  readonly objects: readonly XhtmlObjectReference[];
  /** XHTML constructs kept only approximately (`<sub>`, `colspan`, …), each named once. */
  readonly approximated: readonly string[];
}

const BLOCK = new Set([
  'p',
  'div',
  'address',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'dl',
  'table',
  'pre',
  'blockquote',
  'hr',
  'caption',
  'li',
  'dt',
  'dd',
  'tr',
  'thead',
  'tbody',
  'tfoot',
]);

const EMPHASIS = new Set(['em', 'i', 'cite', 'dfn', 'var']);
const STRONG = new Set(['strong', 'b']);
const CODE = new Set(['code', 'tt', 'kbd', 'samp']);
/** Inline elements whose meaning Markdown has no syntax for: their text is kept. */
const PLAIN_INLINE = new Set(['span', 'abbr', 'acronym', 'small', 'big', 'ins', 'font', 'u']);
const LOSSY_INLINE = new Set(['sub', 'sup', 'u', 'font']);

interface Context {
  readonly options: XhtmlToMarkdownOptions;
  readonly objects: XhtmlObjectReference[];
  readonly approximated: Set<string>;
  /** Inside a table cell: no line breaks, `|` escaped. */
  readonly inCell: boolean;
}

/** Converts the children of a ReqIF `<THE-VALUE>` (or any XHTML fragment in ordered form). */
export function xhtmlToMarkdown(
  nodes: readonly XmlNode[],
  options: XhtmlToMarkdownOptions = {},
): XhtmlConversion {
  const context: Context = { options, objects: [], approximated: new Set(), inCell: false };
  const markdown = joinBlocks(renderBlocks(nodes, context), false).trim();
  return { markdown, objects: context.objects, approximated: [...context.approximated] };
}

/**
 * Converts an XHTML fragment given as text (elements in the XHTML namespace, any prefix or none).
 * Entity declarations are refused like everywhere else; an unparsable fragment throws.
 */
export function xhtmlStringToMarkdown(xhtml: string, options: XhtmlToMarkdownOptions = {}): XhtmlConversion {
  const parsed = parseXmlSafely(`<root xmlns:xhtml="http://www.w3.org/1999/xhtml">${xhtml}</root>`, {
    preserveOrder: true,
  });
  if (!parsed.ok) throw new Error(`the XHTML could not be read: ${parsed.message}`);
  const root = (parsed.document as XmlNode[]).find((node) => tagOf(node) === 'root');
  return xhtmlToMarkdown(root ? childrenOf(root) : [], options);
}

interface Block {
  readonly kind: 'paragraph' | 'list' | 'other';
  readonly text: string;
}

/** Blocks are separated by a blank line; inside a list item a list follows its paragraph directly (tight). */
function joinBlocks(blocks: readonly Block[], tight: boolean): string {
  let out = '';
  blocks.forEach((block, index) => {
    if (index > 0)
      out += tight && block.kind === 'list' && blocks[index - 1]?.kind === 'paragraph' ? '\n' : '\n\n';
    out += block.text;
  });
  return out;
}

/** Mixed content: runs of inline nodes become paragraphs, block elements their own blocks. */
function renderBlocks(nodes: readonly XmlNode[], context: Context): Block[] {
  const blocks: Block[] = [];
  let inline: XmlNode[] = [];
  const flush = () => {
    const text = finishParagraph(renderInline(inline, context));
    if (text !== '') blocks.push({ kind: 'paragraph', text });
    inline = [];
  };
  for (const node of nodes) {
    const tag = tagOf(node);
    const name = tag === undefined ? undefined : localName(tag).toLowerCase();
    if (name === undefined || !BLOCK.has(name)) {
      inline.push(node);
      continue;
    }
    flush();
    blocks.push(...renderBlock(name, node, context));
  }
  flush();
  return blocks;
}

function renderBlock(name: string, node: XmlNode, context: Context): Block[] {
  const children = childrenOf(node);
  switch (name) {
    case 'p':
    case 'div':
    case 'address':
    case 'caption':
    case 'dd':
      return renderBlocks(children, context);
    case 'dt': {
      context.approximated.add('<dl>');
      const text = finishParagraph(renderInline(children, context));
      return text === '' ? [] : [{ kind: 'paragraph', text: wrap('**', text) }];
    }
    case 'dl':
      context.approximated.add('<dl>');
      return renderBlocks(children, context);
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6': {
      const text = finishParagraph(renderInline(children, context)).replace(/\\\n/g, ' ');
      return text === '' ? [] : [{ kind: 'other', text: `${'#'.repeat(Number(name[1]))} ${text}` }];
    }
    case 'ul':
    case 'ol':
      return [{ kind: 'list', text: renderList(name === 'ol', node, context) }];
    case 'li':
      // A stray <li> outside a list: keep it as a one-item list.
      return [{ kind: 'list', text: renderListItem('- ', node, context) }];
    case 'pre': {
      // markdown-it (and most editors) mark the language as <code class="language-js">.
      const code = children.find((child) => localName(tagOf(child) ?? '').toLowerCase() === 'code');
      const language =
        /(?:^|\s)language-([\w+#.-]+)/.exec((code && attributeOf(code, 'class')) ?? '')?.[1] ?? '';
      return [{ kind: 'other', text: fence(textContent(node), language) }];
    }
    case 'blockquote': {
      const inner = joinBlocks(renderBlocks(children, context), false);
      return inner.trim() === ''
        ? []
        : [
            {
              kind: 'other',
              text: inner
                .split('\n')
                .map((line) => (line === '' ? '>' : `> ${line}`))
                .join('\n'),
            },
          ];
    }
    case 'hr':
      return [{ kind: 'other', text: '---' }];
    case 'table':
      return renderTable(node, context);
    default:
      // thead / tbody / tfoot / tr outside a table
      context.approximated.add(`<${name}> outside a table`);
      return renderBlocks(children, context);
  }
}

function renderList(ordered: boolean, node: XmlNode, context: Context): string {
  const start = Number.parseInt(attributeOf(node, 'start') ?? '1', 10);
  let number = Number.isFinite(start) ? start : 1;
  // A loose list (items as paragraphs, `<li><p>…</p></li>`) stays loose: its items are separated
  // by blank lines, which is what makes Markdown wrap them in paragraphs again.
  const loose = childrenOf(node).some((li) =>
    childrenOf(li).some((child) => localName(tagOf(child) ?? '').toLowerCase() === 'p'),
  );
  const items: string[] = [];
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === undefined) {
      if ((textOf(child) ?? '').trim() !== '')
        items.push(renderListItem(ordered ? `${number++}. ` : '- ', { li: [child] }, context, loose));
      continue;
    }
    const name = localName(tag).toLowerCase();
    if (name === 'li') items.push(renderListItem(ordered ? `${number++}. ` : '- ', child, context, loose));
    else if (name === 'ul' || name === 'ol') {
      // A list directly inside a list (invalid XHTML, common in exports): nest it under the previous item.
      const nested = indent(renderList(name === 'ol', child, context), ordered ? 3 : 2);
      if (items.length > 0) items[items.length - 1] += `\n${nested}`;
      else items.push(nested);
    } else items.push(renderListItem(ordered ? `${number++}. ` : '- ', { li: [child] }, context, loose));
  }
  return items.join(loose ? '\n\n' : '\n');
}

function renderListItem(marker: string, node: XmlNode, context: Context, loose = false): string {
  const body = joinBlocks(renderBlocks(childrenOf(node), context), !loose);
  if (body === '') return marker.trimEnd();
  return marker + indent(body, marker.length).slice(marker.length);
}

function indent(text: string, width: number): string {
  const pad = ' '.repeat(width);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

function fence(code: string, language: string): string {
  const body = code.replace(/^\n/, '').replace(/\s+$/, '');
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${body}\n${marks}`;
}

function rule(align: string | undefined): string {
  return align === 'left' ? ':---' : align === 'right' ? '---:' : align === 'center' ? ':---:' : '---';
}

function renderTable(node: XmlNode, context: Context): Block[] {
  const rows: { cells: string[]; header: boolean; aligns: (string | undefined)[] }[] = [];
  const blocks: Block[] = [];
  const cellContext: Context = { ...context, inCell: true };
  const visit = (parent: XmlNode, inHead: boolean) => {
    for (const child of childrenOf(parent)) {
      const tag = tagOf(child);
      if (tag === undefined) continue;
      const name = localName(tag).toLowerCase();
      if (name === 'caption') blocks.push(...renderBlocks(childrenOf(child), context));
      else if (name === 'thead') visit(child, true);
      else if (name === 'tbody' || name === 'tfoot') visit(child, false);
      else if (name === 'tr') {
        const cells: string[] = [];
        const aligns: (string | undefined)[] = [];
        let header = inHead;
        for (const cell of childrenOf(child)) {
          const cellTag = tagOf(cell);
          if (cellTag === undefined) continue;
          const cellName = localName(cellTag).toLowerCase();
          if (cellName !== 'td' && cellName !== 'th') continue;
          if (cellName === 'th') header = true;
          const text = joinBlocks(renderBlocks(childrenOf(cell), cellContext), false)
            .replace(/\n+/g, ' ')
            .trim();
          cells.push(text);
          aligns.push(
            attributeOf(cell, 'align') ??
              /text-align:\s*(left|right|center)/.exec(attributeOf(cell, 'style') ?? '')?.[1],
          );
          const span = Number.parseInt(attributeOf(cell, 'colspan') ?? '1', 10);
          if (span > 1 || (attributeOf(cell, 'rowspan') ?? '1') !== '1')
            context.approximated.add('table cell spans');
          for (let i = 1; i < span && i < 100; i++) cells.push('');
        }
        rows.push({ cells, header, aligns });
      } else if (name === 'table') {
        context.approximated.add('nested table');
        blocks.push(...renderTable(child, context));
      }
    }
  };
  visit(node, false);
  if (rows.length === 0) return blocks;
  if (!rows[0]?.header)
    context.approximated.add('table without a header row (its first row became the header)');
  const width = Math.max(1, ...rows.map((row) => row.cells.length));
  const line = (cells: readonly string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [head, ...body] = rows;
  const table = [
    line(head?.cells ?? []),
    `| ${Array.from({ length: width }, (_, i) => rule(head?.aligns[i])).join(' | ')} |`,
    ...body.map((row) => line(row.cells)),
  ];
  blocks.push({ kind: 'other', text: table.join('\n') });
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Inline content

/** A hard line break inside a paragraph: CommonMark's backslash form survives trimming. */
const HARD_BREAK = '\\\n';

function renderInline(nodes: readonly XmlNode[], context: Context): string {
  let out = '';
  for (const node of nodes) out += renderInlineNode(node, context);
  return out;
}

function renderInlineNode(node: XmlNode, context: Context): string {
  const tag = tagOf(node);
  if (tag === undefined) return escapeText((textOf(node) ?? '').replace(/\s+/g, ' '), context);
  const name = localName(tag).toLowerCase();
  const children = childrenOf(node);
  if (attributeOf(node, 'style')?.includes('underline')) context.approximated.add('underline');
  if (name === 'br') return context.inCell ? ' ' : HARD_BREAK;
  if (EMPHASIS.has(name)) return wrap('*', renderInline(children, context));
  if (STRONG.has(name)) return wrap('**', renderInline(children, context));
  if (name === 'del' || name === 's' || name === 'strike') return wrap('~~', renderInline(children, context));
  if (CODE.has(name)) return codeSpan(textContent(node).replace(/\s+/g, ' '));
  if (name === 'q') return `"${renderInline(children, context)}"`;
  if (name === 'a') {
    const label = renderInline(children, context);
    const href = attributeOf(node, 'href')?.trim();
    if (!href) return label;
    return `[${label.trim() === '' ? escapeText(href, context) : label}](${linkDestination(href)})`;
  }
  if (name === 'object' || name === 'img') return renderObject(name, node, context);
  if (LOSSY_INLINE.has(name)) context.approximated.add(`<${name}>`);
  if (PLAIN_INLINE.has(name) || LOSSY_INLINE.has(name)) return renderInline(children, context);
  if (BLOCK.has(name)) {
    // A block inside inline content (a <p> in a <span>): keep its text on the line.
    return ` ${joinBlocks(renderBlocks(children, context), false).replace(/\n+/g, ' ')} `;
  }
  context.approximated.add(`<${name}>`);
  return renderInline(children, context);
}

function renderObject(name: string, node: XmlNode, context: Context): string {
  const data = (name === 'img' ? attributeOf(node, 'src') : attributeOf(node, 'data'))?.trim();
  const type = attributeOf(node, 'type')?.trim();
  // Nested objects are the tool's fallbacks (DOORS: an OLE object holding its PNG preview).
  const nested = childrenOf(node).filter((child) => {
    const tag = tagOf(child);
    return tag !== undefined && localName(tag).toLowerCase() === 'object';
  });
  const label = textOfNodes(childrenOf(node).filter((child) => !nested.includes(child)))
    .replace(/\s+/g, ' ')
    .trim();
  let out = '';
  if (data) {
    const reference: XhtmlObjectReference = type ? { data, type } : { data };
    context.objects.push(reference);
    const target = context.options.resolveObject?.(reference) ?? data;
    const image = (type ?? '').startsWith('image/') || /\.(png|jpe?g|gif|svg|bmp|webp)$/i.test(data);
    const text = escapeText(label || (attributeOf(node, 'alt') ?? '') || baseName(target), context);
    out = `${image ? '!' : ''}[${text}](${linkDestination(target)})`;
  }
  for (const child of nested) out += (out ? ' ' : '') + renderObject('object', child, context);
  return out;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Emphasis markers must touch their text: surrounding spaces move outside them. */
function wrap(marker: string, inner: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const [, before = '', body = '', after = ''] = match ?? [];
  return body === '' ? inner : `${before}${marker}${body}${marker}${after}`;
}

function codeSpan(code: string): string {
  if (code.trim() === '') return code;
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${code}${pad}${ticks}`;
}

function linkDestination(href: string): string {
  return /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href;
}

/** Markdown's inline syntax characters in plain text, escaped so they stay text. */
function escapeText(text: string, context: Context): string {
  const escaped = text.replace(/[\\`*_[\]<>~]/g, '\\$&');
  return context.inCell ? escaped.replace(/\|/g, '\\|') : escaped;
}

/**
 * Tidies a paragraph's inline Markdown: collapses the whitespace the XML indentation left, trims
 * each line around hard breaks, and escapes what would start a block (`# `, `- `, `1. `, `> `).
 */
function finishParagraph(text: string): string {
  return text
    .split(HARD_BREAK)
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .filter((line, index, lines) => line !== '' || (index > 0 && index < lines.length - 1))
    .map(escapeLineStart)
    .join(HARD_BREAK)
    .replace(/(?:\\\n)+$/, '');
}

function escapeLineStart(line: string): string {
  return line
    .replace(/^([#>+-])(?=\s|$)/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2')
    .replace(/^(=+|-{3,})$/, '\\$1');
}
