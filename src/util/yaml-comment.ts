import { visibleEscape } from './terminal-text.js';

/**
 * Characters that may not stand in a one-line YAML comment: line breaks (the rest of the text would
 * be read as YAML), characters YAML forbids anywhere in a stream (C0 but tab, DEL, C1 but NEL,
 * U+FFFE, U+FFFF, unpaired surrogates: the loader refuses the whole file), and the bidirectional
 * controls a terminal or an editor would act on.
 */
const NOT_IN_COMMENT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being escaped
  /[\x00-\x08\x0a-\x1f\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text to write after `# ` in a YAML comment, such as a file name in the header of a file an import
 * writes: what could end the comment or make the file unloadable is shown as a visible escape
 * (`\n`, `\x1b`), so a hostile file name can neither inject YAML nor make the record unreadable.
 */
export function yamlCommentText(text: string): string {
  return text.replace(NOT_IN_COMMENT, (c) => (c === '\n' ? '\\n' : visibleEscape(c)));
}
