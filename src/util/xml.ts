import { visibleEscape } from './terminal-text.js';

/**
 * Characters XML 1.0 does not allow anywhere in a document (outside its `Char` production): C0
 * controls except tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. One of them from a record or
 * dossier.yaml would make a whole SVG or XML output unreadable, so each is written as a visible escape.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/**
 * Escapes text for XML/HTML/SVG content and attribute values: markup characters as entities, and
 * characters XML 1.0 forbids as visible escapes (`\x1b`, `\ufffe`), so the output is always
 * well-formed whatever the text.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!).replace(NOT_XML_CHAR, visibleEscape);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
