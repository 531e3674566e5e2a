/**
 * Dossier record text (Markdown) to the XHTML a ReqIF `ATTRIBUTE-VALUE-XHTML` holds: one
 * `<xhtml:div>` (the ReqIF XSD's XHTML-CONTENT allows exactly one `div` or `p`) with elements from
 * the XHTML 1.1 modules ReqIF imports, every element in the `xhtml` namespace prefix.
 *
 * markdown-it parses (CommonMark + GFM tables and strike-through, raw HTML off, the same setup
 * record documents use), renders with `xhtmlOut` so void elements close (`<br />`, `<hr />`), and
 * escapes text and attributes itself (`&amp;`, `&lt;`, `&gt;`, `&quot;`). Because raw HTML is off,
 * every `<` in its output starts a tag it generated, so prefixing tags is safe. What XHTML 1.1 lacks
 * is mapped: `<img>` → `<object data type>` (the ReqIF way to embed a file), `<s>` → `<del>`, and a
 * table with only a header row loses its `<thead>` (XHTML 1.1 requires a `<tbody>` after one).
 */
import MarkdownIt, { type Token } from 'markdown-it';
import { visibleEscape } from '../../util/terminal-text.js';
import { escapeXml } from '../../util/xml.js';

export const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

/** The media type for an embedded file, from its extension (`application/octet-stream` if unknown). */
export function mediaTypeOf(path: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(path.split(/[?#]/)[0] ?? '')?.[1]?.toLowerCase() ?? '';
  return MEDIA_TYPES[extension] ?? 'application/octet-stream';
}

function parser() {
  const md = new MarkdownIt('commonmark', {
    html: false,
    linkify: false,
    typographer: false,
    xhtmlOut: true,
  });
  md.enable(['table', 'strikethrough']);
  const rules = md.renderer.rules;
  rules.image = (tokens, index) => {
    const token = tokens[index] as Token;
    const src = token.attrGet('src') ?? '';
    const alt = md.renderer.renderInlineAsText(token.children ?? [], md.options, {});
    return `<object data="${escapeXml(String(src))}" type="${mediaTypeOf(String(src))}">${escapeXml(String(alt))}</object>`;
  };
  rules.s_open = () => '<del>';
  rules.s_close = () => '</del>';
  return md;
}

const MD = parser();

/** XHTML 1.1: a `<thead>` must be followed by a `<tbody>`; a header-only table keeps its row bare. */
function dropLoneTableHeads(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type === 'table_open') {
      let depth = 0;
      let end = i;
      let hasBody = false;
      for (let j = i; j < tokens.length; j++) {
        const t = tokens[j] as Token;
        if (t.type === 'table_open') depth++;
        if (t.type === 'table_close' && --depth === 0) {
          end = j;
          break;
        }
        if (t.type === 'tbody_open') hasBody = true;
      }
      if (!hasBody) {
        for (let j = i; j <= end; j++) {
          const t = tokens[j] as Token;
          if (t.type !== 'thead_open' && t.type !== 'thead_close') out.push(t);
        }
        i = end;
        continue;
      }
    }
    out.push(token);
  }
  return out;
}

/**
 * Markdown as a ReqIF XHTML value: `<xhtml:div>…</xhtml:div>`, well-formed, every element prefixed
 * `xhtml:` (the caller declares `xmlns:xhtml` on the document root). Characters XML forbids
 * become visible escapes.
 */
export function markdownToXhtml(markdown: string): string {
  const text = markdown.replace(NOT_XML_CHAR, visibleEscape);
  const tokens = dropLoneTableHeads(MD.parse(text, {}));
  const html = MD.renderer.render(tokens, MD.options, {}).trim();
  const prefixed = html.replace(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)/g, '<$1xhtml:$2');
  return `<xhtml:div>${prefixed}</xhtml:div>`;
}
