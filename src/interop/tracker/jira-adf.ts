/**
 * Atlassian Document Format (Jira Cloud's rich text, API v3) to Markdown: paragraphs, headings,
 * lists, task lists, code blocks, quotes, rules, tables, and the marks bold, italic, code, strike
 * and link. What Markdown cannot hold (panels, media, underline, colours, expand sections) is kept
 * as its text and named in `approximated`, for the reader to report.
 */
import { emphasise, markdownLink } from '../sheet/cell-text.js';
import { at, isObject, type Json, str } from './collect.js';

export interface AdfMarkdown {
  readonly markdown: string;
  /** ADF node and mark types kept only approximately, each once. */
  readonly approximated: readonly string[];
}

const nodes = (node: unknown): Json[] => {
  const content = at(node, 'content');
  return Array.isArray(content) ? content.filter(isObject) : [];
};

export function adfToMarkdown(doc: unknown): AdfMarkdown {
  const approximated = new Set<string>();
  const approx = (what: string) => approximated.add(what);

  const markText = (node: Json): string => {
    let text = typeof node.text === 'string' ? node.text : '';
    const marks = Array.isArray(node.marks) ? node.marks.filter(isObject) : [];
    const code = marks.some((m) => m.type === 'code');
    if (code) text = text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
    for (const mark of marks) {
      if (mark.type === 'code') continue;
      if (mark.type === 'strong') text = emphasise(text, '**');
      else if (mark.type === 'em') text = emphasise(text, '_');
      else if (mark.type === 'strike') text = emphasise(text, '~~');
      else if (mark.type !== 'link') approx(`${String(mark.type)} mark`);
    }
    const link = marks.find((m) => m.type === 'link');
    const href = str(at(link, 'attrs', 'href'));
    return href ? markdownLink(text, href) : text;
  };

  const inline = (parent: unknown): string =>
    nodes(parent)
      .map((node) => {
        switch (node.type) {
          case 'text':
            return markText(node);
          case 'hardBreak':
            return '\\\n';
          case 'mention':
            return str(at(node, 'attrs', 'text')) ?? '@someone';
          case 'emoji':
            return str(at(node, 'attrs', 'text')) ?? str(at(node, 'attrs', 'shortName')) ?? '';
          case 'inlineCard': {
            const url = str(at(node, 'attrs', 'url'));
            return url ? `<${url}>` : '';
          }
          case 'status':
            return `\`${str(at(node, 'attrs', 'text')) ?? ''}\``;
          case 'date': {
            const ms = Number(at(node, 'attrs', 'timestamp'));
            return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
          }
          default:
            approx(String(node.type));
            return inline(node);
        }
      })
      .join('');

  const indent = (text: string, by: string) =>
    text
      .split('\n')
      .map((line, i) => (i === 0 || line === '' ? line : by + line))
      .join('\n');

  const list = (node: Json, marker: (i: number, item: Json) => string): string =>
    nodes(node)
      .map((item, i) => {
        const head = marker(i, item);
        // A list item's paragraphs and nested lists follow each other on the next line, indented.
        const body = item.type === 'taskItem' ? inline(item) : blocks(item, '\n');
        return head + indent(body, ' '.repeat(head.length));
      })
      .join('\n');

  const table = (node: Json): string => {
    const rows = nodes(node).map((row) =>
      nodes(row).map((cell) => {
        if (Number(at(cell, 'attrs', 'colspan') ?? 1) > 1 || Number(at(cell, 'attrs', 'rowspan') ?? 1) > 1)
          approx('merged table cell');
        return blocks(cell, ' ').replace(/\|/g, '\\|').replace(/\n/g, ' ');
      }),
    );
    const width = Math.max(0, ...rows.map((r) => r.length));
    if (width === 0) return '';
    const line = (cells: string[]) =>
      `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
    const [head = [], ...body] = rows;
    return [line(head), line(Array(width).fill('---')), ...body.map(line)].join('\n');
  };

  const block = (node: Json): string => {
    switch (node.type) {
      case 'paragraph':
        return inline(node);
      case 'heading': {
        const level = Math.min(6, Math.max(1, Number(at(node, 'attrs', 'level')) || 1));
        return `${'#'.repeat(level)} ${inline(node)}`;
      }
      case 'bulletList':
        return list(node, () => '- ');
      case 'orderedList': {
        const start = Number(at(node, 'attrs', 'order')) || 1;
        return list(node, (i) => `${start + i}. `);
      }
      case 'taskList':
        return list(node, (_, item) => (at(item, 'attrs', 'state') === 'DONE' ? '- [x] ' : '- [ ] '));
      case 'codeBlock': {
        const text = nodes(node)
          .map((t) => (typeof t.text === 'string' ? t.text : ''))
          .join('');
        const fence = text.includes('```') ? '~~~~' : '```';
        return `${fence}${str(at(node, 'attrs', 'language')) ?? ''}\n${text}\n${fence}`;
      }
      case 'blockquote':
        return quote(blocks(node, '\n\n'));
      case 'rule':
        return '---';
      case 'table':
        return table(node);
      case 'panel':
        approx('panel');
        return quote(blocks(node, '\n\n'));
      case 'expand':
      case 'nestedExpand': {
        approx(String(node.type));
        const title = str(at(node, 'attrs', 'title'));
        return [title ? `**${title}**` : '', blocks(node, '\n\n')].filter(Boolean).join('\n\n');
      }
      case 'mediaSingle':
      case 'mediaGroup':
        approx('media');
        return nodes(node)
          .map((m) => `[attachment: ${str(at(m, 'attrs', 'alt')) ?? str(at(m, 'attrs', 'id')) ?? 'file'}]`)
          .join(' ');
      default:
        approx(String(node.type));
        return nodes(node).some((n) => n.type === 'text') ? inline(node) : blocks(node, '\n\n');
    }
  };

  const quote = (text: string) =>
    text
      .split('\n')
      .map((line) => (line ? `> ${line}` : '>'))
      .join('\n');

  const blocks = (parent: unknown, separator: string): string =>
    nodes(parent)
      .map(block)
      .filter((text) => text !== '')
      .join(separator);

  const markdown = blocks(doc, '\n\n').trim();
  return { markdown, approximated: [...approximated] };
}
