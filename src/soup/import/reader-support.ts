/**
 * Format-independent helpers shared by the dependency readers (lockfiles, manifests and SBOMs):
 * safe access to parsed JSON/TOML/YAML, line numbers that stay linear on 50 MB inputs, parser
 * errors turned into problems, identity and hash conversion, and the graph walks that decide which
 * packages are direct or development-only. Anything specific to one format stays in its reader.
 */
import { formatPurl, osvPackageOf, type Purl, purlFor } from '../purl.js';
import { finishImport, lineAt } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// Parsed data

/** A parsed JSON/TOML/YAML object (not an array). */
export type PlainRecord = Readonly<Record<string, unknown>>;

/** An object, not an array; TOML datetimes (`Date`) are values, not tables. */
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

/**
 * A scalar as text: YAML/TOML readers may hand back numbers for values such as `5.4`. Kept verbatim
 * (see {@link stringOf} for the trimmed, non-empty form the SBOM readers want).
 */
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

/** A string field of an SBOM or manifest, trimmed; blank counts as absent. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The strings of a list of references (ids, refs, `name version` entries); anything else is dropped. */
export function stringsOf(value: unknown): string[] {
  return arrayOf(value).filter((item): item is string => typeof item === 'string');
}

// ---------------------------------------------------------------------------------------------
// Text and line numbers

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces unpaired UTF-16 surrogates with U+FFFD. Files read as UTF-8 never contain them, but a
 * JSON `\ud800` escape or a string handed in by a caller can, and purl encoding throws on them.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
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

const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/**
 * The 1-based line where each wanted string first occurs as a JSON string literal, in one pass
 * over the text (JSON parsers keep no positions, and searching once per component would make a
 * large SBOM quadratic). Only call on text that parsed as JSON, so string literals tokenise cleanly.
 * Unlike {@link JsonKeyCursor}, which follows object keys in order, this finds values anywhere.
 */
export function jsonStringLines(text: string, wanted: ReadonlySet<string>): Map<string, number> {
  const lines = new Map<string, number>();
  if (wanted.size === 0) return lines;
  let line = 1;
  let counted = 0;
  JSON_STRING.lastIndex = 0;
  for (let match = JSON_STRING.exec(text); match; match = JSON_STRING.exec(text)) {
    const literal = match[0];
    const value = literal.includes('\\') ? decodeJsonString(literal) : literal.slice(1, -1);
    if (value === undefined || !wanted.has(value) || lines.has(value)) continue;
    for (let i = text.indexOf('\n', counted); i >= 0 && i < match.index; i = text.indexOf('\n', i + 1))
      line++;
    counted = match.index;
    lines.set(value, line);
    if (lines.size === wanted.size) break;
  }
  return lines;
}

function decodeJsonString(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
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

/**
 * The entries of a TOML array of tables (`[[package]]` in Cargo.lock, poetry.lock, uv.lock) with the
 * line of each one's header. TOML parsers keep no positions, so headers are matched to entries by
 * order, and only when there are as many of each: otherwise no entry gets a line rather than a wrong one.
 */
export function arrayTableEntries(
  document: PlainRecord,
  text: string,
  table: string,
): { entry: unknown; line: number | undefined }[] {
  const entries = arrayOf(own(document, table));
  const headers = arrayTableLines(text, table);
  const lines = headers.length === entries.length ? headers : [];
  return entries.map((entry, index) => ({ entry, line: lines[index] }));
}

// ---------------------------------------------------------------------------------------------
// Parser failures and refusals

/** Parses JSON into a problem instead of an exception, with the line of a syntax error when known. */
export function parseJson(
  text: string,
  what: string,
): { ok: true; value: unknown } | { ok: false; problem: ImportProblem } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // The reviver costs time, so it runs only when an escape could produce a lone surrogate.
  const reviver = /\\u[dD][89a-fA-F]/.test(body)
    ? (_key: string, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value)
    : undefined;
  try {
    return { ok: true, value: JSON.parse(wellFormed(body), reviver) };
  } catch (error) {
    const message = (error as Error).message;
    // V8 reports some syntax errors "… at position N"; the line is computed once, here.
    const position = /at position (\d+)/.exec(message)?.[1];
    return {
      ok: false,
      problem: {
        severity: 'error',
        message: `${what} is not valid JSON: ${message}`,
        ...(position ? { line: lineAt(body, Number(position)) } : {}),
      },
    };
  }
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
 * Runs a lockfile's parser (JSON, YAML or TOML). A syntax error becomes the one error problem of an
 * empty result, so each reader states only its parser, its file name and what the user should do.
 */
export function parseLockfile<T>(
  text: string,
  parse: (text: string) => T,
  options: ReadOptions | undefined,
  failure: { readonly file: string; readonly format?: string; readonly hint: string },
): { ok: true; value: T } | { ok: false; result: ImportResult } {
  try {
    return { ok: true, value: parse(text) };
  } catch (error) {
    const problem = parseProblem(failure.file, text, error, failure.hint);
    return { ok: false, result: finishImport(failure.format ?? failure.file, [], [problem], options) };
  }
}

/**
 * The result for a lockfile whose layout version the reader does not know (`found` says what the
 * file has, e.g. `lockfileVersion 4` or `no lockfileVersion`). Nothing is read: a guess at an unknown
 * layout could silently leave SOUP out of the list.
 */
export function unsupportedVersion(
  format: string,
  found: string,
  supported: readonly (string | number)[],
  advice: string,
  options: ReadOptions | undefined,
): ImportResult {
  const problem: ImportProblem = {
    severity: 'error',
    message: `${format} has ${found}; supported versions are ${supported.join(', ')}`,
    hint: `Nothing was read, rather than guessing at an unknown layout. ${advice}`,
  };
  return finishImport(format, [], [problem], options);
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

/**
 * A reader chosen by its exact file name alone (`Cargo.lock`, `go.mod`, `uv.lock`, …), for formats
 * whose content has no signature worth sniffing. `read` gets `{}` when the caller passes no options.
 */
export function readerForFileName(
  id: string,
  description: string,
  fileName: string,
  read: (text: string, options: ReadOptions) => ImportResult,
): DependencyReader {
  return {
    id,
    description,
    detect: (baseName) => baseName === fileName,
    read: (text, options = {}) => read(text, options),
  };
}

// ---------------------------------------------------------------------------------------------
// Identity and hashes

export type Hash = { readonly alg: string; readonly content: string };

/** What identifies a component: OSV ecosystem, ecosystem-native name, exact version and purl. */
export type Identity = { ecosystem: string; name: string; version: string; purl: string };

/**
 * Ecosystem, name, version and purl of a component. A JSON escape such as `\ud800` yields a lone
 * surrogate, on which purl encoding throws, so such characters become U+FFFD first.
 */
export function identify(ecosystem: string, name: string, version: string): Identity {
  const cleanName = wellFormed(name);
  const cleanVersion = wellFormed(version);
  return {
    ecosystem,
    name: cleanName,
    version: cleanVersion,
    purl: purlFor(ecosystem, cleanName, cleanVersion),
  };
}

/**
 * The identity of an SBOM component from its purl (CycloneDX and SPDX alike), with `version` from the
 * SBOM's own field: hand-written SBOMs often put the version only there (pkg:github/wolfssl/wolfssl).
 * OSV Go versions have no `v`; the golang purl keeps it (see go-mod.ts).
 */
export function identifyByPurl(parsed: Purl, version: string): Identity {
  const purl = formatPurl(parsed.version ? parsed : { ...parsed, version });
  const osv = osvPackageOf(parsed);
  const name = osv?.name ?? (parsed.namespace ? `${parsed.namespace}/${parsed.name}` : parsed.name);
  const bare = osv?.ecosystem === 'Go' ? version.replace(/^v/, '') : version;
  return { ecosystem: osv?.ecosystem ?? 'generic', name, version: bare, purl };
}

const SRI_ALGORITHMS: Readonly<Record<string, string>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** Subresource-integrity strings (`sha512-<base64> sha1-<base64>`) → CycloneDX hashes in hex. */
export function sriHashes(integrity: string | undefined): Hash[] {
  if (!integrity) return [];
  const out: Hash[] = [];
  for (const part of integrity.trim().split(/\s+/)) {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(part);
    const alg = match?.[1] ? SRI_ALGORITHMS[match[1]] : undefined;
    if (!match?.[2] || !alg) continue;
    out.push({ alg, content: Buffer.from(match[2], 'base64').toString('hex') });
  }
  return out;
}

/** `sha256:<hex>` (pip, Pipenv, Poetry, uv) → a CycloneDX hash; undefined for anything else. */
export function prefixedHash(text: string | undefined): Hash | undefined {
  const match = text ? /^(sha1|sha256|sha384|sha512)[:=]([0-9a-fA-F]+)$/.exec(text.trim()) : null;
  const alg = match?.[1] ? SRI_ALGORITHMS[match[1]] : undefined;
  return match?.[2] && alg ? { alg, content: match[2].toLowerCase() } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Indexes and graphs

/** Appends to the list kept under `key`, creating it on first use (indexes by name, by path, …). */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Component names to purls; several versions of one name may be locked side by side. */
export function purlsByName(components: readonly { name: string; purl: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const component of components) appendTo(out, component.name, component.purl);
  return out;
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
