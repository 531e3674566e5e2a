/**
 * The pieces under the ReqIF reader and writer: XHTML → Markdown, Markdown → XHTML, the ordered
 * (mixed-content) mode of parseXmlSafely with its safety checks, and zip entries as bytes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { markdownToXhtml } from '../src/interop/reqif/markdown-to-xhtml.js';
import { xhtmlStringToMarkdown } from '../src/interop/reqif/xhtml-to-markdown.js';
import { childrenOf, tagOf, type XmlNode } from '../src/interop/reqif/xml-nodes.js';
import { readZipEntries, readZipTextEntries } from '../src/soup/osv/read-zip.js';
import { parseXmlSafely } from '../src/util/xml-parse.js';
import { writeZip } from './zip-writer.js';

const md = (xhtml: string) => xhtmlStringToMarkdown(xhtml).markdown;

describe('parseXmlSafely({ preserveOrder: true })', () => {
  it('keeps mixed content in order with its whitespace, and lines', () => {
    const parsed = parseXmlSafely('<?xml version="1.0"?>\n<r>\n  <p>a <em>b</em> c&amp;d</p>\n</r>', {
      preserveOrder: true,
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const root = (parsed.document as XmlNode[]).find((n) => tagOf(n) === 'r') as XmlNode;
    const p = childrenOf(root).find((n) => tagOf(n) === 'p') as XmlNode;
    expect(JSON.parse(JSON.stringify(childrenOf(p)))).toEqual([
      { '#text': 'a ' },
      { em: [{ '#text': 'b' }] },
      { '#text': ' c&d' },
    ]);
    expect(parsed.lineOf(p)).toBe(3);
  });

  it('still refuses entity declarations and oversized values', () => {
    const entity = parseXmlSafely('<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', { preserveOrder: true });
    expect(entity.ok).toBe(false);
    if (!entity.ok) expect(entity.message).toContain('entities');
    const big = parseXmlSafely(`<r a="${'x'.repeat(2000)}"/>`, { preserveOrder: true, maxValueBytes: 1000 });
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.message).toContain('over the limit');
  });

  it('leaves the default form as it was (trimmed text, keyed children)', () => {
    const parsed = parseXmlSafely('<r>\n  <p> a </p>\n</r>');
    expect(JSON.parse(JSON.stringify(parsed.ok && parsed.document))).toEqual({ r: { p: 'a' } });
  });
});

describe('readZipEntries', () => {
  it('gives entries as bytes, and text through readZipTextEntries', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dossier-zip-')), 'a.zip');
    const bytes = Buffer.from([0, 255, 1, 254]);
    writeFileSync(
      file,
      writeZip([
        { name: 'b.bin', data: bytes },
        { name: 't.txt', data: 'hé', method: 'deflate' },
      ]),
    );
    const entries = [];
    for await (const entry of readZipEntries(file)) entries.push([entry.name, entry.bytes]);
    expect(entries).toEqual([
      ['b.bin', bytes],
      ['t.txt', Buffer.from('hé')],
    ]);
    const texts = [];
    for await (const entry of readZipTextEntries(file, { accept: (n) => n.endsWith('.txt') }))
      texts.push(entry.text);
    expect(texts).toEqual(['hé']);
  });
});

describe('xhtmlToMarkdown', () => {
  it('converts nested lists, keeping ordered numbering and tight items', () => {
    expect(
      md(
        `<xhtml:ul><xhtml:li>a<xhtml:ul><xhtml:li>a1</xhtml:li><xhtml:li>a2<xhtml:ol start="3"><xhtml:li>deep</xhtml:li></xhtml:ol></xhtml:li></xhtml:ul></xhtml:li><xhtml:li>b</xhtml:li></xhtml:ul>`,
      ),
    ).toBe('- a\n  - a1\n  - a2\n    3. deep\n- b');
  });

  it('converts a table with a header, escaping pipes, and reports a table without one', () => {
    expect(
      md(
        '<table><thead><tr><th>K</th><th align="right">V</th></tr></thead><tbody><tr><td>a|b</td><td><p>1</p><p>2</p></td></tr></tbody></table>',
      ),
    ).toBe('| K | V |\n| --- | ---: |\n| a\\|b | 1 2 |');
    const headless = xhtmlStringToMarkdown('<table><tr><td>a</td></tr><tr><td>b</td><td>c</td></tr></table>');
    expect(headless.markdown).toBe('| a |  |\n| --- | --- |\n| b | c |');
    expect(headless.approximated.join()).toContain('header row');
  });

  it('converts emphasis, code, links, line breaks, quotes, rules and preformatted text', () => {
    expect(
      md('<p>a <b>b</b> <i> c </i> <code>x`y</code> <a href="https://e.org/a b">l</a><br/>next</p>'),
    ).toBe('a **b** *c* ``x`y`` [l](<https://e.org/a b>)\\\nnext');
    expect(md('<blockquote><p>q1</p><p>q2</p></blockquote><hr/><pre>  x &lt; y\n  z</pre>')).toBe(
      '> q1\n>\n> q2\n\n---\n\n```\n  x < y\n  z\n```',
    );
  });

  it('escapes text that Markdown would read as syntax', () => {
    expect(md('<p>*not em* and [not a link] &lt;b&gt;</p>')).toBe(
      '\\*not em\\* and \\[not a link\\] \\<b\\>',
    );
    expect(md('<p>1. not a list</p><p># not a heading</p><p>- not an item</p>')).toBe(
      '1\\. not a list\n\n\\# not a heading\n\n\\- not an item',
    );
  });

  it('keeps what Markdown cannot hold as text and names it', () => {
    const conversion = xhtmlStringToMarkdown(
      '<p>H<sub>2</sub>O, E=mc<sup>2</sup> <u>under</u> <blink>x</blink></p>',
    );
    expect(conversion.markdown).toBe('H2O, E=mc2 under x');
    expect(conversion.approximated).toEqual(['<sub>', '<sup>', '<u>', '<blink>']);
  });

  it('turns objects into links through the resolver and lists them', () => {
    const conversion = xhtmlStringToMarkdown(
      '<p><object data="img/a.png" type="image/png"/> <object data="doc.pdf">Spec</object></p>',
      {
        resolveObject: (o) => `att/${o.data}`,
      },
    );
    expect(conversion.markdown).toBe('![a.png](att/img/a.png) [Spec](att/doc.pdf)');
    expect(conversion.objects).toEqual([{ data: 'img/a.png', type: 'image/png' }, { data: 'doc.pdf' }]);
  });
});

describe('markdownToXhtml', () => {
  const wellFormed = (xhtml: string) => {
    const parsed = parseXmlSafely(`<r xmlns:xhtml="http://www.w3.org/1999/xhtml">${xhtml}</r>`, {
      preserveOrder: true,
    });
    expect(parsed.ok).toBe(true);
    const tags = [...xhtml.matchAll(/<\/?([^\s>/]+)/g)].map((m) => m[1]);
    for (const tag of tags) expect(tag).toMatch(/^xhtml:[a-z0-9]+$/);
  };

  it('writes one xhtml:div, prefixed, well-formed, void elements closed', () => {
    const xhtml = markdownToXhtml('a  \nb\n\n---\n\n![pic](<a b.png>)');
    expect(xhtml.startsWith('<xhtml:div>') && xhtml.endsWith('</xhtml:div>')).toBe(true);
    expect(xhtml).toContain('<xhtml:br />');
    expect(xhtml).toContain('<xhtml:hr />');
    expect(xhtml).toContain('<xhtml:object data="a%20b.png" type="image/png">pic</xhtml:object>');
    wellFormed(xhtml);
  });

  it('escapes raw HTML, entities and characters XML forbids', () => {
    const xhtml = markdownToXhtml('<script>alert(1)</script> & "q" \u0001 ~~old~~');
    expect(xhtml).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; \\x01 <xhtml:del>old</xhtml:del>',
    );
    wellFormed(xhtml);
  });

  it('drops a lone <thead> (XHTML 1.1 wants a <tbody> after it) and keeps full tables', () => {
    const headerOnly = markdownToXhtml('| a | b |\n| --- | --- |');
    expect(headerOnly).not.toContain('thead');
    expect(headerOnly).toContain('<xhtml:tr>');
    wellFormed(headerOnly);
    const full = markdownToXhtml('| a |\n| --- |\n| 1 |');
    expect(full).toContain('<xhtml:thead>');
    expect(full).toContain('<xhtml:tbody>');
  });

  it('round-trips through xhtmlToMarkdown to the same rendered Markdown', () => {
    // As Dossier renders record text: raw HTML off, tables and strike-through on.
    const render = new MarkdownIt('commonmark', { html: false }).enable(['table', 'strikethrough']);
    const samples = [
      'Plain text.',
      'Intro *em* **strong** `code` ~~gone~~ [link](https://example.org/x_y).',
      '- one\n- two\n  - nested a\n  - nested b\n- three',
      '1. first\n2. second\n   - mixed',
      '| A | B |\n| :--- | ---: |\n| 1 | x \\| y |',
      '> quoted\n>\n> twice',
      '```ts\nconst a = 1 < 2 && b;\n```',
      'Line one\\\nline two',
      '# Heading & more\n\nText with * star and _ underscore and <angle>.',
      'Image ![diagram](images/d.png) inline.',
    ];
    for (const sample of samples) {
      const back = md(markdownToXhtml(sample));
      expect(render.render(back), sample).toBe(render.render(sample));
    }
  });
});
