/**
 * Record text (Markdown, as people wrote it) read once by one parser, markdown-it in CommonMark
 * mode with tables and strikethrough, raw HTML off: what every format renders from. HTML renders
 * the parser's tokens with markdown-it's own escaping renderer; DOCX and PDF render the small tree
 * below, so a list, a table or a code block in a requirement looks the same in every format.
 *
 * Safety: raw HTML is text, images are not loaded (an image is shown as its description and
 * address), and a link is a link only for http(s), mailto and in-document anchors: a
 * `javascript:` or `file:` address stays text.
 */
import MarkdownIt, { type Token } from 'markdown-it';

export type MdInline =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'code'; readonly text: string }
  | { readonly t: 'strong'; readonly children: readonly MdInline[] }
  | { readonly t: 'em'; readonly children: readonly MdInline[] }
  | { readonly t: 'strike'; readonly children: readonly MdInline[] }
  | { readonly t: 'link'; readonly href: string; readonly children: readonly MdInline[] }
  | { readonly t: 'break' };

export type MdBlock =
  | { readonly t: 'paragraph'; readonly inlines: readonly MdInline[] }
  /** Level as written (1–6); renderers place it below the document's own headings. */
  | { readonly t: 'heading'; readonly level: number; readonly inlines: readonly MdInline[] }
  | {
      readonly t: 'list';
      readonly ordered: boolean;
      readonly start: number;
      readonly items: readonly (readonly MdBlock[])[];
    }
  | { readonly t: 'code'; readonly text: string }
  | { readonly t: 'quote'; readonly blocks: readonly MdBlock[] }
  | {
      readonly t: 'table';
      readonly header: readonly (readonly MdInline[])[];
      readonly rows: readonly (readonly (readonly MdInline[])[])[];
    }
  | { readonly t: 'rule' };

const ALLOWED_LINK = /^(?:https?:|mailto:|#)/i;

function parser() {
  const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });
  md.enable(['table', 'strikethrough']);
  md.disable('image');
  md.validateLink = (url) => ALLOWED_LINK.test(url.trim());
  return md;
}

const MD = parser();

/**
 * How many levels record headings move down: a record's own heading is the document's level 3
 * (`<h4>`, `####`), so a `#` in its text becomes `<h5>` and sits below it.
 */
export const RECORD_HEADING_SHIFT = 4;

/** Record text as HTML: escaped, no raw HTML, headings moved down, links only to safe addresses. */
export function recordHtml(markdown: string): string {
  const tokens = MD.parse(markdown, {});
  for (const token of tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      const level = Math.min(6, Number(token.tag.slice(1)) + RECORD_HEADING_SHIFT);
      token.tag = `h${level}`;
    }
    if (token.type === 'inline')
      for (const child of token.children ?? [])
        if (child.type === 'link_open') child.attrSet('rel', 'noopener noreferrer');
  }
  return MD.renderer.render(tokens, MD.options, {});
}

/** Record text as a tree of blocks (for DOCX and PDF). */
export function recordBlocks(markdown: string): MdBlock[] {
  const tokens = MD.parse(markdown, {});
  const cursor = { i: 0 };
  return blocksUntil(tokens, cursor, undefined);
}

function blocksUntil(tokens: readonly Token[], cursor: { i: number }, close: string | undefined): MdBlock[] {
  const blocks: MdBlock[] = [];
  while (cursor.i < tokens.length) {
    const token = tokens[cursor.i]!;
    if (close !== undefined && token.type === close) {
      cursor.i++;
      return blocks;
    }
    cursor.i++;
    switch (token.type) {
      case 'paragraph_open': {
        const inline = tokens[cursor.i]!;
        cursor.i += 2; // inline, paragraph_close
        blocks.push({ t: 'paragraph', inlines: inlines(inline.children ?? []) });
        break;
      }
      case 'heading_open': {
        const inline = tokens[cursor.i]!;
        cursor.i += 2;
        blocks.push({
          t: 'heading',
          level: Number(token.tag.slice(1)),
          inlines: inlines(inline.children ?? []),
        });
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const ordered = token.type === 'ordered_list_open';
        const closeType = ordered ? 'ordered_list_close' : 'bullet_list_close';
        const items: MdBlock[][] = [];
        while (cursor.i < tokens.length && tokens[cursor.i]!.type !== closeType) {
          if (tokens[cursor.i]!.type === 'list_item_open') {
            cursor.i++;
            items.push(blocksUntil(tokens, cursor, 'list_item_close'));
          } else cursor.i++;
        }
        cursor.i++;
        const start = Number(token.attrGet('start') ?? '1');
        blocks.push({ t: 'list', ordered, start: Number.isFinite(start) ? start : 1, items });
        break;
      }
      case 'fence':
      case 'code_block':
        blocks.push({ t: 'code', text: token.content.replace(/\n$/, '') });
        break;
      case 'blockquote_open':
        blocks.push({ t: 'quote', blocks: blocksUntil(tokens, cursor, 'blockquote_close') });
        break;
      case 'hr':
        blocks.push({ t: 'rule' });
        break;
      case 'table_open':
        blocks.push(table(tokens, cursor));
        break;
      default:
        // Tight-list paragraphs are hidden paragraph tokens; anything else is structure only.
        break;
    }
  }
  return blocks;
}

function table(tokens: readonly Token[], cursor: { i: number }): MdBlock {
  const header: MdInline[][] = [];
  const rows: MdInline[][][] = [];
  let row: MdInline[][] | undefined;
  let inHead = false;
  while (cursor.i < tokens.length) {
    const token = tokens[cursor.i++]!;
    if (token.type === 'table_close') break;
    if (token.type === 'thead_open') inHead = true;
    else if (token.type === 'thead_close') inHead = false;
    else if (token.type === 'tr_open') row = [];
    else if (token.type === 'tr_close' && row) {
      if (inHead) header.push(...row);
      else rows.push(row);
      row = undefined;
    } else if (token.type === 'inline' && row) row.push(inlines(token.children ?? []));
  }
  return { t: 'table', header, rows };
}

function inlines(tokens: readonly Token[]): MdInline[] {
  const cursor = { i: 0 };
  return inlinesUntil(tokens, cursor, undefined);
}

function inlinesUntil(
  tokens: readonly Token[],
  cursor: { i: number },
  close: string | undefined,
): MdInline[] {
  const out: MdInline[] = [];
  const pushText = (text: string) => {
    const last = out[out.length - 1];
    if (last?.t === 'text') out[out.length - 1] = { t: 'text', text: last.text + text };
    else out.push({ t: 'text', text });
  };
  while (cursor.i < tokens.length) {
    const token = tokens[cursor.i++]!;
    if (close !== undefined && token.type === close) return out;
    switch (token.type) {
      case 'text':
      case 'html_inline': // not produced with html off; kept as text if it ever is
        pushText(token.content);
        break;
      case 'code_inline':
        out.push({ t: 'code', text: token.content });
        break;
      case 'softbreak':
        pushText(' ');
        break;
      case 'hardbreak':
        out.push({ t: 'break' });
        break;
      case 'strong_open':
        out.push({ t: 'strong', children: inlinesUntil(tokens, cursor, 'strong_close') });
        break;
      case 'em_open':
        out.push({ t: 'em', children: inlinesUntil(tokens, cursor, 'em_close') });
        break;
      case 's_open':
        out.push({ t: 'strike', children: inlinesUntil(tokens, cursor, 's_close') });
        break;
      case 'link_open':
        out.push({
          t: 'link',
          href: String(token.attrGet('href') ?? ''),
          children: inlinesUntil(tokens, cursor, 'link_close'),
        });
        break;
      default:
        if (token.content) pushText(token.content);
    }
  }
  return out;
}
