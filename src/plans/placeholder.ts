/**
 * Whether the text of a plan section says anything: a section holding only "TBD", "TODO", "N/A",
 * an HTML comment or an empty list is empty. "N/A" with a reason ("N/A: no class C items") is not.
 */

const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const PLACEHOLDER =
  /(?<![\p{L}\p{N}])(?:tbd|tbc|todo|fixme|xxx|n\/a|n\.a\.|not applicable|to be (?:defined|determined|decided|confirmed|completed|written|added|done))(?![\p{L}\p{N}])/giu;
/** List markers at the start of a line: "-", "*", "+", "1.", "2)", "a)", "(b)". */
const LIST_MARKER = /^[ \t>]*(?:[-*+]|\d+[.)]|[a-z][.)]|\([a-z0-9]{1,3}\))[ \t]+/gim;
const LETTER = /\p{L}/u;

export function hasContent(text: string): boolean {
  const words = text.replace(HTML_COMMENT, ' ').replace(PLACEHOLDER, ' ').replace(LIST_MARKER, '');
  return LETTER.test(words);
}
