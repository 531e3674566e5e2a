/**
 * Small helpers shared by the lockfile readers (npm, yarn, pnpm, PyPI formats): safe access to parsed
 * data, line numbers that stay linear on 50 MB inputs, hash conversion, parser-error problems, and the
 * reachability walk that decides which packages are development-only.
 */
import { purlFor } from '../purl.js';
import { finishImport } from './result.js';
import type { ImportedComponent, ImportProblem, ImportResult, ReadOptions } from './types.js';

/** A parsed JSON/TOML/YAML object (not an array). */
export type PlainRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is PlainRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * A property only when the object itself holds it: keys such as `__proto__` or `constructor` in the
 * input must never reach `Object.prototype` or read inherited members.
 */
export function own(record: PlainRecord | undefined, key: string): unknown {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

export function ownRecord(record: PlainRecord | undefined, key: string): PlainRecord | undefined {
  const value = own(record, key);
  return isRecord(value) ? value : undefined;
}

/** A scalar as text: YAML/TOML readers may hand back numbers for values such as `5.4`. */
export function ownString(record: PlainRecord | undefined, key: string): string | undefined {
  const value = own(record, key);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** YAML read with the failsafe schema keeps `true` as text, so accept both spellings. */
export function ownFlag(record: PlainRecord | undefined, key: string): boolean {
  const value = own(record, key);
  return value === true || value === 'true';
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Ecosystem, name, version and purl of a component. A JSON escape such as `\ud800` yields a lone
 * surrogate, on which purl encoding throws, so such characters become U+FFFD first.
 */
export function identify(
  ecosystem: string,
  name: string,
  version: string,
): { ecosystem: string; name: string; version: string; purl: string } {
  const cleanName = name.replace(LONE_SURROGATE, '\uFFFD');
  const cleanVersion = version.replace(LONE_SURROGATE, '\uFFFD');
  return {
    ecosystem,
    name: cleanName,
    version: cleanVersion,
    purl: purlFor(ecosystem, cleanName, cleanVersion),
  };
}

/** Own entries of a record (an empty list for anything else). */
export function entriesOf(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

/** Own string-valued entries: dependency maps `{ name: range }`. */
export function stringEntriesOf(value: unknown): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, v] of entriesOf(value)) {
    if (typeof v === 'string') out.push([key, v]);
    else if (typeof v === 'number' && Number.isFinite(v)) out.push([key, String(v)]);
  }
  return out;
}

/**
 * Offsets → 1-based lines by binary search over newline positions. `lineAt` from result.ts scans from
 * the start each time, which is quadratic when every component of a large lockfile asks for its line.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

/**
 * Finds JSON object keys (`"key": {`) in the order the parser met them. JSON lockfiles list entries in
 * document order, so searching on from the previous hit keeps the total work linear. A key not found
 * ahead is looked for once from the start; after a few such misses the file is taken to be in an order
 * we cannot follow and lines are no longer looked up, so a crafted file cannot make this quadratic.
 */
export class JsonKeyCursor {
  private position = 0;
  private misses = 0;
  private readonly lines: LineIndex;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  /** Line of the key `key` whose value is an object, undefined when it cannot be found cheaply. */
  lineOfKey(key: string): number | undefined {
    const needle = `${JSON.stringify(key)}:`;
    let at = this.find(needle, this.position);
    if (at < 0 && this.misses < 16) {
      this.misses++;
      at = this.find(needle, 0);
    }
    if (at < 0) return undefined;
    this.position = at + needle.length;
    return this.lines.lineOf(at);
  }

  /** Moves the cursor to a section (e.g. `"packages"`) so the keys found next are the ones inside it. */
  seek(key: string): void {
    const at = this.text.indexOf(`${JSON.stringify(key)}:`);
    if (at >= 0) this.position = at;
  }

  /** Next `needle` from `from` followed by `{`: skips `"name": "^1.0.0"` entries in `requires` maps. */
  private find(needle: string, from: number): number {
    for (let at = this.text.indexOf(needle, from); at >= 0; at = this.text.indexOf(needle, at + 1)) {
      let next = at + needle.length;
      while (next < this.text.length && /\s/.test(this.text.charAt(next))) next++;
      if (this.text.charAt(next) === '{') return at;
    }
    return -1;
  }
}

const SRI_ALGORITHMS: Readonly<Record<string, string>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** Subresource-integrity strings (`sha512-<base64> sha1-<base64>`) → CycloneDX hashes in hex. */
export function sriHashes(integrity: string | undefined): { alg: string; content: string }[] {
  if (!integrity) return [];
  const out: { alg: string; content: string }[] = [];
  for (const part of integrity.trim().split(/\s+/)) {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(part);
    const alg = match?.[1] ? SRI_ALGORITHMS[match[1]] : undefined;
    if (!match?.[2] || !alg) continue;
    out.push({ alg, content: Buffer.from(match[2], 'base64').toString('hex') });
  }
  return out;
}

/** `sha256:<hex>` (pip, Pipenv, Poetry, uv) → a CycloneDX hash; undefined for anything else. */
export function prefixedHash(text: string | undefined): { alg: string; content: string } | undefined {
  const match = text ? /^(sha1|sha256|sha384|sha512)[:=]([0-9a-fA-F]+)$/.exec(text.trim()) : null;
  const alg = match?.[1] ? SRI_ALGORITHMS[match[1]] : undefined;
  return match?.[2] && alg ? { alg, content: match[2].toLowerCase() } : undefined;
}

/** One line number out of the many ways parsers report positions. */
function errorLine(error: unknown, lines: LineIndex | undefined): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const fields = error as Error & {
    line?: unknown;
    mark?: { line?: unknown };
    linePos?: { line?: unknown }[];
  };
  if (typeof fields.line === 'number') return fields.line; // smol-toml: 1-based
  if (typeof fields.mark?.line === 'number') return fields.mark.line + 1; // js-yaml: 0-based
  const linePos = fields.linePos?.[0]?.line;
  if (typeof linePos === 'number') return linePos; // yaml: 1-based
  const lineColumn = /\(line (\d+) column \d+\)|\b(\d+):\d+ in lockfile/.exec(error.message);
  const fromMessage = lineColumn?.[1] ?? lineColumn?.[2];
  if (fromMessage) return Number(fromMessage);
  const position = /at position (\d+)/.exec(error.message)?.[1]; // V8 JSON.parse
  return position && lines ? lines.lineOf(Number(position)) : undefined;
}

/** A parser failure as an error problem, with the line when the parser said where. */
export function parseProblem(what: string, text: string, error: unknown, hint: string): ImportProblem {
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const line = errorLine(error, new LineIndex(text));
  return {
    severity: 'error',
    message: `${what} could not be parsed: ${detail}`,
    ...(line !== undefined ? { line } : {}),
    hint,
  };
}

/**
 * Runs a reader body and turns any unexpected exception into an error problem: readers must never
 * throw, whatever the input (a reviewer will feed them garbage).
 */
export function guardRead(format: string, body: () => ImportResult): ImportResult {
  try {
    return body();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      format,
      components: [],
      problems: [
        {
          severity: 'error',
          message: `${format} could not be read: ${detail}`,
          hint: 'Check that the file is an unmodified lockfile written by its tool; report this input if it is.',
        },
      ],
    };
  }
}

/** Nodes reachable from `roots` along `edges` (iterative, so deep graphs cannot overflow the stack). */
export function reachable<K>(roots: Iterable<K>, edges: (node: K) => Iterable<K>): Set<K> {
  const seen = new Set<K>();
  const stack = [...roots];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (seen.has(node)) continue;
    seen.add(node);
    for (const next of edges(node)) if (!seen.has(next)) stack.push(next);
  }
  return seen;
}

/**
 * Development-only nodes: reached from a development root and from no runtime root. Anything the
 * runtime closure touches stays runtime, so a doubtful case is never dropped from the SOUP list.
 */
export function developmentOnly<K>(
  runtimeRoots: Iterable<K>,
  developmentRoots: Iterable<K>,
  edges: (node: K) => Iterable<K>,
): Set<K> {
  const runtime = reachable(runtimeRoots, edges);
  const out = new Set<K>();
  for (const node of reachable(developmentRoots, edges)) if (!runtime.has(node)) out.add(node);
  return out;
}

/**
 * Fallback scope for formats that do not record the project's own dependencies: a component that no
 * other locked component depends on can only be there because the project asked for it (direct); the
 * others may be either, so they stay `unknown`.
 */
export function inferScopes(components: readonly ImportedComponent[]): ImportedComponent[] {
  const required = new Set<string>();
  for (const component of components) for (const purl of component.dependsOn) required.add(purl);
  return components.map((c) =>
    c.scope === 'unknown' && !required.has(c.purl) ? { ...c, scope: 'direct' as const } : c,
  );
}

/** Component names to purls; several versions of one name may be locked side by side. */
export function purlsByName(components: readonly { name: string; purl: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const component of components) {
    const list = out.get(component.name);
    if (list) list.push(component.purl);
    else out.set(component.name, [component.purl]);
  }
  return out;
}

/** finishImport with the development flags recomputed from roots, for formats that lack them. */
export function finishWithRoots(
  format: string,
  components: readonly ImportedComponent[],
  problems: readonly ImportProblem[],
  roots: { runtime: Iterable<string>; development: Iterable<string> },
  options: ReadOptions | undefined,
): ImportResult {
  const edges = new Map<string, readonly string[]>();
  for (const component of components) {
    edges.set(component.purl, [...(edges.get(component.purl) ?? []), ...component.dependsOn]);
  }
  const devOnly = developmentOnly(roots.runtime, roots.development, (purl) => edges.get(purl) ?? []);
  const marked = components.map((c) => (devOnly.has(c.purl) ? { ...c, development: true } : c));
  return finishImport(format, marked, problems, options);
}

/** 1-based lines of a TOML array-of-tables header (`[[package]]`), in order: TOML keeps that order. */
export function arrayTableLines(text: string, table: string): number[] {
  const header = new RegExp(`^[ \\t]*\\[\\[[ \\t]*${table}[ \\t]*\\]\\][ \\t]*(#.*)?\\r?$`);
  const out: number[] = [];
  let line = 0;
  for (const row of text.split('\n')) {
    line++;
    if (header.test(row)) out.push(line);
  }
  return out;
}
