/**
 * A DocumentModel as one HTML page of the package (documents/<KEY>.html), and the package's index
 * page. Self-contained: the style sheet is inline, nothing is fetched, and a Content Security
 * Policy forbids scripts, so that even a mistake in escaping could not run code from a record.
 * Generated text goes through escapeXml; record text through the Markdown parser with raw HTML off
 * (record-markdown.ts). Record ids link to the document that defines them (`SRS.html#SRS-001`).
 * The print style sheet gives A4 pages with the draft status on every page. Deterministic.
 */
import { escapeXml } from '../util/xml.js';
import { controlRows, statusBanner } from './control-rows.js';
import { ANCHOR, type Block, type DocumentModel, definedAnchors, type Inline } from './model.js';
import { recordHtml } from './record-markdown.js';

const e = escapeXml;

/** Where a record id links to (`SRS.html#SRS-001`), or undefined when no document defines it. */
export type LinkResolver = (id: string) => string | undefined;

const STYLE = `
:root { --ink: #1b1f24; --muted: #59636e; --line: #d0d7de; --band: #f6f8fa; --warn: #9a6700; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); margin: 0; }
header.top { background: var(--band); border-bottom: 1px solid var(--line); padding: .6rem 1.5rem; font-size: .9rem; }
header.top a { color: inherit; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1.doc { font-size: 1.8rem; margin: 1rem 0 .2rem; }
p.device { color: var(--muted); margin: 0 0 1rem; }
.draft { border: 2px solid var(--warn); color: var(--warn); padding: .4rem .8rem; font-weight: 600; margin: 1rem 0; }
.controlled { border: 2px solid #1a7f37; color: #1a7f37; padding: .4rem .8rem; font-weight: 600; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: var(--band); }
table.control { width: auto; min-width: 50%; }
table.control th { background: var(--band); width: 14rem; }
table.fields th { width: 14rem; background: var(--band); font-weight: 600; }
code { font: .85em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--band); padding: 0 .2em; }
pre { background: var(--band); padding: .6rem; overflow-x: auto; }
pre code { padding: 0; }
.record-text { border-left: 3px solid var(--line); padding-left: .8rem; margin: .4rem 0 1.2rem; }
.not-recorded { border-left: 4px solid #cf222e; background: #fff5f5; padding: .4rem .8rem; margin: .6rem 0; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; }
nav.toc ol { padding-left: 0; list-style: none; }
a.ref { text-decoration: none; border-bottom: 1px dotted; }
h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); }
@page { size: A4; margin: 20mm 15mm; }
@media print {
  header.top, nav.toc { display: none; }
  main { max-width: none; padding: 0; }
  .draft-mark { position: fixed; top: 0; right: 0; font-size: 8pt; color: var(--warn); }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; }
}
@media screen { .draft-mark { display: none; } }
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function page(title: string, body: string, css = STYLE): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${css.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function renderHtml(doc: DocumentModel, linkOf: LinkResolver = () => undefined, css?: string): string {
  const local = definedAnchors(doc);
  const href = (id: string): string | undefined => (local.has(id) ? `#${id}` : linkOf(id));
  const inline = (parts: readonly Inline[]): string =>
    parts
      .map((p) => {
        if ('text' in p) return e(p.text);
        if ('strong' in p) return `<strong>${e(p.strong)}</strong>`;
        if ('code' in p) return `<code>${e(p.code)}</code>`;
        const target = href(p.ref);
        return target ? `<a class="ref" href="${e(target)}">${e(p.ref)}</a>` : e(p.ref);
      })
      .join('');
  const headings: { id: string; text: string }[] = [];
  let section = 0;
  const body: string[] = [];
  for (const block of doc.blocks) {
    if (block.kind === 'heading' && block.level === 1) {
      const id = `s${++section}`;
      headings.push({ id, text: block.text });
      body.push(`<h2 id="${id}">${e(block.text)}</h2>`);
    } else body.push(renderBlock(block, inline, doc.key));
  }
  const c = doc.control;
  const draft = `<p class="${c.status === 'controlled' ? 'controlled' : 'draft'}">${e(statusBanner(doc))}</p>`;
  const control = `<table class="control"><tbody>${controlRows(doc)
    .map(([label, value]) => `<tr><th scope="row">${e(label)}</th><td>${e(value)}</td></tr>`)
    .join('')}</tbody></table>`;
  const toc =
    headings.length > 1
      ? `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>${headings
          .map((h) => `<li><a href="#${h.id}">${e(h.text)}</a></li>`)
          .join('')}</ol></nav>`
      : '';
  return page(
    `${doc.title}: ${doc.device}`,
    `<header class="top"><a href="index.html">Documentation package</a> › ${e(doc.key)}</header>
<div class="draft-mark">${e(doc.key)} ${e(c.revision)}: ${e(c.status)}</div>
<main>
<h1 class="doc">${e(doc.title)}</h1>
<p class="device">${e(doc.device)}, ${e(doc.manufacturer)}</p>
${draft}
${control}
${toc}
${body.join('\n')}
${draft}
</main>`,
    css,
  );
}

function renderBlock(block: Block, inline: (parts: readonly Inline[]) => string, docKey: string): string {
  switch (block.kind) {
    case 'heading': {
      const tag = `h${block.level + 1}`;
      const id = block.anchor && ANCHOR.test(block.anchor) ? ` id="${block.anchor}"` : '';
      return `<${tag}${id}>${e(block.text)}</${tag}>`;
    }
    case 'paragraph':
      return `<p>${inline(block.inlines)}</p>`;
    case 'record-text':
      return `<div class="record-text">${recordHtml(block.markdown)}</div>`;
    case 'fields':
      return `<table class="fields"><tbody>${block.rows
        .map(([label, value]) => `<tr><th scope="row">${e(label)}</th><td>${inline(value)}</td></tr>`)
        .join('')}</tbody></table>`;
    case 'table': {
      const total = block.columns.reduce((n, c) => n + (c.width ?? 1), 0);
      const cols = block.columns
        .map((c) => `<col style="width:${(((c.width ?? 1) / total) * 100).toFixed(1)}%">`)
        .join('');
      return `<table><colgroup>${cols}</colgroup><thead><tr>${block.columns
        .map((c) => `<th scope="col">${e(c.title)}</th>`)
        .join('')}</tr></thead><tbody>\n${block.rows
        .map((row) => `<tr>${row.map((cell) => `<td>${inline(cell)}</td>`).join('')}</tr>`)
        .join('\n')}\n</tbody></table>`;
    }
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
    case 'diagram':
      return `<figure id="${e(`${docKey}-${block.name}`)}">${block.svg}<figcaption>${e(block.caption)}</figcaption></figure>`;
    case 'not-recorded':
      return `<p class="not-recorded"><strong>Not recorded:</strong> ${e(block.what)}${block.clause ? ` (${e(block.clause)})` : ''}</p>`;
  }
}

/** The anchors each document defines, so ids link across the package: first definition wins. */
export function packageLinks(docs: readonly DocumentModel[]): LinkResolver {
  const where = new Map<string, string>();
  for (const doc of docs)
    for (const id of definedAnchors(doc)) if (!where.has(id)) where.set(id, `${doc.key}.html#${id}`);
  return (id) => where.get(id);
}

/** The package's index page: every document with its number, revision and status. */
export function renderHtmlIndex(
  docs: readonly DocumentModel[],
  device: string,
  manufacturer: string,
  css?: string,
): string {
  const rows = docs
    .map(
      (d) =>
        `<tr><td><a href="${e(d.key)}.html">${e(d.key)}</a></td><td>${e(d.title)}</td><td>${e(d.control.number ?? 'not assigned')}</td><td>${e(d.control.revision)}</td><td>${e(d.control.status)}</td><td>${d.records.length}</td></tr>`,
    )
    .join('\n');
  return page(
    `Documentation package: ${device}`,
    `<header class="top">Documentation package</header>
<main>
<h1 class="doc">Documentation package</h1>
<p class="device">${e(device)}, ${e(manufacturer)}</p>
<table><thead><tr><th>Key</th><th>Document</th><th>Number</th><th>Revision</th><th>Status</th><th>Records</th></tr></thead><tbody>
${rows}
</tbody></table>
</main>`,
    css,
  );
}
