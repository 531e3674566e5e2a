import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { ValuePath } from '../diagnostics/diagnostic.js';

/**
 * The text of one loaded file, kept so that any value can be located later.
 *
 * Why two YAML parsers: records are read with js-yaml (about 10 µs per record) because the `yaml`
 * package's position-tracking parser costs about 80 µs, which alone would take 8 s on a 100,000-record
 * project. Positions are only needed for the few values a diagnostic points at, so the `yaml`
 * AST is built lazily, once per file that has a finding.
 */
export interface SourceFile {
  /** Path relative to the project root, with forward slashes. */
  readonly path: string;
  /** The YAML part of the file (the whole file, or a Markdown file's front matter). */
  readonly yaml: string;
  /** Zero-based line of the file on which `yaml` starts. */
  readonly yamlLine: number;
  /** One-based line on which the Markdown body starts, when the file has one. */
  readonly bodyLine?: number;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

interface ParsedSource {
  readonly root: Node | null;
  readonly lines: LineCounter;
}

const parsedCache = new WeakMap<SourceFile, ParsedSource>();

function parsed(source: SourceFile): ParsedSource {
  let entry = parsedCache.get(source);
  if (!entry) {
    const lines = new LineCounter();
    const doc = parseDocument(source.yaml, { lineCounter: lines, uniqueKeys: false, strict: false });
    entry = { root: (doc.contents as Node | null) ?? null, lines };
    parsedCache.set(source, entry);
  }
  return entry;
}

/**
 * One-based line and column of the value at `path` (or of its key with `atKey`). When the path
 * does not exist (a missing field), the position of the deepest existing node is returned.
 */
export function locate(source: SourceFile, path: ValuePath = [], atKey = false): Position {
  const { root, lines } = parsed(source);
  let node: Node | null = root;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length && node; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) break;
      const keyNode = pair.key as Node;
      const valueNode = (pair.value as Node | null) ?? null;
      if (last && atKey) {
        offset = keyNode.range?.[0] ?? offset;
        node = null;
        break;
      }
      offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const pos = lines.linePos(offset);
  return { line: pos.line + source.yamlLine, column: pos.col };
}
