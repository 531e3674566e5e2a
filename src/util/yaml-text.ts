/**
 * YAML text for values that come from files anyone can write (lockfiles, SBOMs, test reports), for
 * the writers that put them into records. The `yaml` library writes some characters raw that YAML
 * forbids in a stream (DEL, C1 controls, U+FFFE, U+FFFF; unpaired surrogates when it picks a plain or
 * block style): the loader then refuses the whole file, so one hostile licence or test name would
 * make a record unreadable. Such strings are written double-quoted, with those characters escaped,
 * and read back exactly.
 */
import { Document, isCollection, type ToStringOptions, visit } from 'yaml';

/** Not allowed raw in a YAML stream (YAML 1.2 c-printable; what js-yaml refuses), line breaks aside. */
const NOT_PRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being escaped
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NOT_PRINTABLE_ALL = new RegExp(NOT_PRINTABLE.source, 'g');

/** Whether a string can only be written double-quoted (escaped). */
export function needsEscapes(text: string): boolean {
  return NOT_PRINTABLE.test(text);
}

const escapeChar = (c: string) => {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * `value` as YAML (no line folding). With `flow`, a top-level list or map is written inline
 * (`[a, "b, c"]`), its items quoted as a flow collection needs.
 */
export function yamlText(value: unknown, options: ToStringOptions & { flow?: boolean } = {}): string {
  const { flow, ...printing } = options;
  const doc = new Document(value);
  if (flow && isCollection(doc.contents)) doc.contents.flow = true;
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== 'string') return;
      // In a flow list a line break would spread the list over lines indented for the top level,
      // wherever it is spliced in: such an item is written double-quoted, on one line.
      if (needsEscapes(node.value) || (flow && /[\n\r]/.test(node.value))) node.type = 'QUOTE_DOUBLE';
    },
  });
  // Double-quoted scalars are JSON strings, which leave DEL, C1 and U+FFFE/U+FFFF raw: the only raw
  // ones left in the text after the visit above, so they can be escaped wherever they are.
  return (
    doc
      // No folding, and a double-quoted scalar always on one line (`\n` escapes): the yaml library
      // otherwise breaks one longer than 40 characters at its line ends, spreading a flow list over
      // lines indented for the top level wherever it is spliced in.
      .toString({
        lineWidth: 0,
        doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER,
        flowCollectionPadding: false,
        ...printing,
      })
      .replace(NOT_PRINTABLE_ALL, escapeChar)
  );
}

/** A string as one double-quoted YAML scalar, any character written so that it reads back exactly. */
export function yamlDoubleQuoted(text: string): string {
  return JSON.stringify(text).replace(NOT_PRINTABLE_ALL, escapeChar);
}
