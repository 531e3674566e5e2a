/** A Doorstop YAML file parsed, or an ImportError at the line of its first YAML error. */
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { ImportError } from '../model.js';

export interface DoorstopYaml {
  readonly data: Record<string, unknown>;
  /** The raw text of a top-level scalar (`level: 1.10` must not become the number 1.1). */
  readonly source: (key: string) => string | undefined;
  readonly lineOf: (key: string) => number | undefined;
}

export function parseDoorstopYaml(file: string, text: string): DoorstopYaml {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = lines.linePos(error.pos[0]).line;
    const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ImportError(`${file}${line ? `:${line}` : ''}: invalid YAML (${reason}).`, {
      file,
      ...(line ? { line } : {}),
    });
  }
  const data = doc.toJS() as unknown;
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data)))
    throw new ImportError(`${file}:1: a Doorstop file holds a mapping of attributes.`, { file, line: 1 });
  const node = (key: string) => (isMap(doc.contents) ? doc.contents.get(key, true) : undefined);
  return {
    data: (data ?? {}) as Record<string, unknown>,
    source: (key) => {
      const scalar = node(key);
      return isScalar(scalar) ? (scalar.source ?? String(scalar.value)) : undefined;
    },
    // The line of the key, where a reader looks for the attribute (a list value starts below it).
    lineOf: (key) => {
      if (!isMap(doc.contents)) return undefined;
      const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
      const range = isScalar(pair?.key) ? pair.key.range : undefined;
      return range ? lines.linePos(range[0]).line : undefined;
    },
  };
}
