/**
 * The XML writer of the DOCX body (src/docs/docx-xml.ts): docx's prepared element objects written
 * as the `xml` package inside docx's Packer writes them, with every text escaped so that the file
 * stays well-formed whatever a record says.
 */
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { writeXml, xmlText } from '../src/docs/docx-xml.js';

/** What XML 1.0 does not allow in a document. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('docx XML writer', () => {
  it('writes elements, attributes and text as the xml package does', () => {
    const run = {
      'w:r': [
        { 'w:rPr': [{ 'w:b': {} }, { 'w:sz': { _attr: { 'w:val': 18 } } }] },
        { 'w:t': [{ _attr: { 'xml:space': 'preserve' } }, 'a < b & "c" \'d\' ]]>'] },
      ],
    };
    expect(xmlText(run)).toBe(
      '<w:r><w:rPr><w:b/><w:sz w:val="18"/></w:rPr>' +
        '<w:t xml:space="preserve">a &lt; b &amp; &quot;c&quot; &apos;d&apos; ]]&gt;</w:t></w:r>',
    );
    // An array always gets an end tag, even with only attributes or nothing in it; attributes
    // from several items are gathered into the start tag, in order.
    expect(xmlText({ 'w:p': [] })).toBe('<w:p></w:p>');
    expect(xmlText({ 'w:x': [{ _attr: { a: 1 } }, 't', { _attr: { b: true } }] })).toBe(
      '<w:x a="1" b="true">t</w:x>',
    );
    expect(xmlText({ 'w:t': '' })).toBe('<w:t></w:t>');
    expect(xmlText({ 'w:a': { _attr: { 'w:val': '<"&>' } } })).toBe('<w:a w:val="&lt;&quot;&amp;&gt;"/>');
  });

  it('fills in placeholders of attribute values, never of text', () => {
    const value = (v: string) => v.replace('{ordered-1}', '7');
    const out: string[] = [];
    writeXml({ 'w:numId': { _attr: { 'w:val': '{ordered-1}' } } }, out, value);
    writeXml({ 'w:t': ['{ordered-1}'] }, out, value);
    expect(out.join('')).toBe('<w:numId w:val="7"/><w:t>{ordered-1}</w:t>');
  });

  it('refuses what is not an element object rather than guessing', () => {
    expect(() => xmlText('text')).toThrow(/not an XML element object/);
    expect(() => xmlText({ 'w:p': [], 'w:r': [] })).toThrow(/one name, not 2/);
    expect(() => xmlText({ 'w:p': { _cdata: 'x' } })).toThrow(/content that is not XML/);
    expect(() => xmlText({ 'w:p': undefined })).toThrow(/content that is not XML/);
    expect(() => xmlText({ 'w:p': { _attr: { 'w:val': undefined } } })).toThrow(/has no value/);
  });

  it('keeps any text well-formed: markup as entities, what XML forbids as visible escapes', () => {
    expect(xmlText({ 'w:t': ['bell\u0007 esc\u001b nul\u0000 \ufffe'] })).toBe(
      '<w:t>bell\\x07 esc\\x1b nul\\x00 \\ufffe</w:t>',
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (text, attr) => {
        const xml = xmlText({ 'w:p': [{ _attr: { 'w:val': attr } }, { 'w:t': [text] }] });
        expect(XMLValidator.validate(xml)).toBe(true);
        expect(xml).not.toMatch(NOT_XML_CHAR);
        // Text XML allows comes back as it was.
        if (!NOT_XML_CHAR.test(text))
          expect(decodeEntities(xml.replace(/^.*<w:t>|<\/w:t>.*$/gs, ''))).toBe(text);
      }),
    );
  });
});
