import yaml from 'js-yaml';
import type { Finding, ValuePath } from '../diagnostics/diagnostic.js';
import { CONTINUES } from '../model/continuation.js';
import type { FileIdentity } from '../util/input-trace.js';
import type { TextRead } from './read-text.js';
import { DECLINED, parseSimpleYaml } from './simple-yaml.js';
import type { SourceFile } from './source.js';
import { idsInText, looksLikeRecord } from './unloaded.js';

/** A record as found in a file, before it is validated. */
export interface RawRecord {
  readonly data: unknown;
  readonly source: SourceFile;
  /** Where the record's mapping is inside the YAML (empty for a Markdown record). */
  readonly path: ValuePath;
  /** The Markdown body, for `.md` records. */
  readonly body?: string;
  /** Kind declared at the top of a collection file. */
  readonly defaultKind?: unknown;
  /**
   * SHA-256 of the YAML text the record was parsed from, when the parser said (the parse cache's
   * parsers do): with `path`, it names the record's value exactly, so that a schema check passed
   * before need not run again (the schema memo of src/load/parse-cache.ts).
   */
  readonly textHash?: string;
}

export interface FileReadResult {
  readonly source?: SourceFile;
  readonly records: RawRecord[];
  readonly findings: Finding[];
  /**
   * Set when the file could not be loaded at all (its records, if any, are missing): the finding
   * that says why, and the ids its text mentions. Such a finding is not in `findings`.
   */
  readonly failure?: { readonly finding: Finding; readonly idsInText: readonly string[] };
  /**
   * Set when the file gave no records because it is empty or has no front matter: the finding that
   * makes it a file that did not load if it held records when last committed (a truncated or
   * overwritten record file must not drop its records silently). The loader asks git.
   */
  readonly failureIfItHeldRecords?: Finding;
  /**
   * Set for a companion file (src/model/continuation.ts): the rest of a record's long lists, which
   * the loader joins to the record it continues once every file is read.
   */
  readonly continuation?: RawContinuation;
  /** The file's identity when it was opened, before it was read (src/util/input-trace.ts). */
  readonly identity?: FileIdentity;
}

/** A companion file as read: the id it says it continues and its other top-level fields (the lists). */
export interface RawContinuation {
  readonly source: SourceFile;
  readonly continues: unknown;
  readonly lists: Readonly<Record<string, unknown>>;
}

function failed(finding: Finding, text?: string, source?: SourceFile): FileReadResult {
  return {
    ...(source ? { source } : {}),
    records: [],
    findings: [],
    failure: { finding, idsInText: text === undefined ? [] : idsInText(text) },
  };
}

/**
 * How a record file's YAML is parsed: {@link parseYaml}, or the same through the parse cache
 * (src/load/parse-cache.ts), which gives a value parsed before from exactly the same text.
 */
export type YamlParser = (
  text: string,
  file: string,
  lineOffset?: number,
  /**
   * The text the cache names the value by, when more than `text` (a Markdown file: the whole file,
   * so that its hash names the record's body too, for the fingerprint memo).
   */
  keyText?: string,
) => { value?: unknown; finding?: Finding; textHash?: string };

/** Parses YAML text safely: core schema only, so nothing is executed and dates stay strings. */
export function parseYaml(
  text: string,
  file: string,
  lineOffset = 0,
): { value?: unknown; finding?: Finding } {
  // Most record texts are plain YAML that the fast reader takes, giving what js-yaml would.
  const simple = parseSimpleYaml(text);
  return simple !== DECLINED ? { value: simple } : parseWithJsYaml(text, file, lineOffset);
}

/** {@link parseYaml} for a text the fast reader declined: js-yaml, with its findings. */
export function parseWithJsYaml(
  text: string,
  file: string,
  lineOffset = 0,
): { value?: unknown; finding?: Finding } {
  try {
    const value = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file, json: false });
    // Without an alias (`*name`) nothing can expand; with one, each value written out takes at least
    // one character, so more values than characters (and than the floor) means aliases multiplied them.
    if (text.includes('*') && expandedSizeExceeds(value, Math.max(MAX_EXPANDED_NODES, text.length))) {
      return {
        finding: {
          code: 'load/yaml-syntax',
          message: `YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} values`,
          at: { file, line: 1 + lineOffset, column: 1 },
          hint: 'write the values out instead of nesting anchors and aliases (`&name` / `*name`)',
        },
      };
    }
    return { value };
  } catch (error) {
    const e = error as yaml.YAMLException;
    const mark = e.mark;
    return {
      finding: {
        code: 'load/yaml-syntax',
        message: `invalid YAML: ${e.reason ?? String(error)}`,
        at: {
          file,
          line: (mark?.line ?? 0) + 1 + lineOffset,
          column: (mark?.column ?? 0) + 1,
        },
        hint: 'fix the YAML syntax at this position (check indentation, quotes and colons in values)',
      },
    };
  }
}

/**
 * js-yaml shares aliased values by reference, so a few lines of nested aliases ("billion laughs")
 * can describe billions of values that validation would then visit. Count them with a budget.
 */
const MAX_EXPANDED_NODES = 100_000;

function expandedSizeExceeds(root: unknown, budget: number): boolean {
  let remaining = budget;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (--remaining < 0) return true;
    if (value !== null && typeof value === 'object') {
      for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push(child);
    }
  }
  return false;
}

const FRONT_MATTER_OPEN = /^---[ \t]*\r?\n/;
const FRONT_MATTER_CLOSE = /^(?:---|\.\.\.)[ \t]*$/m;

/** A Markdown file split around its YAML front matter; `open + yaml + rest` is the whole text. */
export type FrontMatterSplit =
  | { readonly ok: true; readonly open: string; readonly yaml: string; readonly rest: string }
  | { readonly ok: false; readonly problem: 'missing' | 'unclosed' };

export function splitFrontMatter(text: string): FrontMatterSplit {
  const open = FRONT_MATTER_OPEN.exec(text);
  if (!open) return { ok: false, problem: 'missing' };
  const after = text.slice(open[0].length);
  const close = FRONT_MATTER_CLOSE.exec(after);
  if (!close) return { ok: false, problem: 'unclosed' };
  return { ok: true, open: open[0], yaml: after.slice(0, close.index), rest: after.slice(close.index) };
}

export function readMarkdownRecord(rel: string, text: string, parse: YamlParser = parseYaml): FileReadResult {
  const split = splitFrontMatter(text);
  if (!split.ok && split.problem === 'missing') {
    // A record whose opening `---` was lost must not vanish; a README or notes file holds no record.
    if (looksLikeRecord(text)) {
      return failed(
        {
          code: 'load/front-matter-missing',
          message: 'Markdown file has no YAML front matter, but its text looks like a record',
          at: { file: rel, line: 1, column: 1 },
          hint: 'start the file with a line `---`, then the record fields, then a line `---` before the text; if it is not a record, leave it out with `exclude:` in dossier.yaml',
        },
        text,
      );
    }
    return {
      records: [],
      failureIfItHeldRecords: {
        code: 'load/front-matter-missing',
        message: 'Markdown file has no YAML front matter, but it held records when last committed',
        at: { file: rel, line: 1, column: 1 },
        hint: 'restore the record (`git diff` shows what changed), or delete the file if its records are meant to go',
      },
      findings: [
        {
          code: 'load/no-front-matter',
          message: 'Markdown file has no YAML front matter, so it is not a record',
          at: { file: rel, line: 1, column: 1 },
          hint: 'start the file with a line `---`, the record fields, and another `---`; or leave the file out with `exclude:` in dossier.yaml',
        },
      ],
    };
  }
  if (!split.ok) {
    return failed(
      {
        code: 'load/front-matter-unclosed',
        message: 'the front matter is not closed: no line `---` ends it',
        at: { file: rel, line: 1, column: 1 },
        hint: 'end the front matter with a line `---` before the record text',
      },
      text,
    );
  }
  const yamlText = split.yaml;
  const afterClose = split.rest.replace(/^(?:---|\.\.\.)[ \t]*/, '');
  const body = afterClose.replace(/^\r?\n/, '');
  const yamlLines = countLines(yamlText);
  const source: SourceFile = { path: rel, yaml: yamlText, yamlLine: 1, bodyLine: 3 + yamlLines };
  const parsed = parse(yamlText, rel, 1, text);
  if (parsed.finding) return failed(parsed.finding, text, source);
  return {
    source,
    records: [{ data: parsed.value ?? {}, source, path: [], body, ...hashOf(parsed) }],
    findings: [],
  };
}

export function readCollection(rel: string, text: string, parse: YamlParser = parseYaml): FileReadResult {
  const source: SourceFile = { path: rel, yaml: text, yamlLine: 0 };
  const parsed = parse(text, rel);
  if (parsed.finding) return failed(parsed.finding, text, source);
  const value = parsed.value;
  if (Array.isArray(value)) {
    const listed: SourceFile = { ...source, entries: { keyed: false, count: value.length } };
    return {
      source: listed,
      records: value.map((data, i) => ({ data, source: listed, path: [i], ...hashOf(parsed) })),
      findings: [],
    };
  }
  if (value === null || value === undefined) {
    return {
      source,
      records: [],
      findings: [],
      failureIfItHeldRecords: {
        code: 'load/not-a-collection',
        message: 'YAML file is empty, but it held records when last committed',
        at: { file: rel, line: 1, column: 1 },
        hint: 'restore the records (`git diff` shows what changed); to remove them all, delete the file or write `records: []`',
      },
    };
  }
  if (typeof value === 'object' && CONTINUES in value && !('records' in value)) {
    const { [CONTINUES]: continues, ...lists } = value as Record<string, unknown>;
    return { source, records: [], findings: [], continuation: { source, continues, lists } };
  }
  if (typeof value !== 'object' || !('records' in value)) {
    return failed(
      {
        code: 'load/not-a-collection',
        message: 'YAML file matched by the records globs is not a collection of records',
        at: { file: rel, line: 1, column: 1 },
        hint: 'a collection file has a top-level `records:` list (and optionally `kind:`); leave other YAML files out with `exclude:`',
      },
      text,
      source,
    );
  }
  const collection = value as Record<string, unknown>;
  const findings: Finding[] = [];
  for (const key of Object.keys(collection)) {
    if (key !== 'records' && key !== 'kind') {
      findings.push({
        code: 'schema/unknown-field',
        message: `unknown top-level field "${key}" in a collection file`,
        at: { file: rel, path: [key], atKey: true },
        hint: 'a collection file has only `kind:` and `records:` at the top level',
      });
    }
  }
  const list = collection.records;
  if (!Array.isArray(list)) {
    // Nothing in the file can be read as a record: the whole file did not load.
    return {
      ...failed(
        {
          code: 'schema/wrong-type',
          message: '`records` must be a list of records',
          at: { file: rel, path: ['records'] },
          hint: 'write each record as a list item starting with `- id: ...`',
        },
        text,
        source,
      ),
      findings,
    };
  }
  const listed: SourceFile = { ...source, entries: { keyed: true, count: list.length } };
  return {
    source: listed,
    records: list.map((data, i) => ({
      data,
      source: listed,
      path: ['records', i],
      defaultKind: collection.kind,
      ...hashOf(parsed),
    })),
    findings,
  };
}

/** The text hash a parser gave, as a field of the records read from that text. */
const hashOf = (parsed: { readonly textHash?: string }): { textHash?: string } =>
  parsed.textHash === undefined ? {} : { textHash: parsed.textHash };

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The records of a file whose text was read (from disk or from git), or why the file did not load. */
export function recordsOfTextRead(
  rel: string,
  read: TextRead,
  parse: YamlParser = parseYaml,
): FileReadResult {
  const { text, finding, lossyText, identity } = read;
  const result =
    finding || text === undefined
      ? failed(
          finding ?? { code: 'load/unreadable', message: 'cannot read file', at: { file: rel } },
          lossyText,
        )
      : readRecordText(rel, text, parse);
  // Set on the result made (not a copy of it): 100,000 copies cost a quarter of a second.
  if (identity) (result as { identity?: FileIdentity }).identity = identity;
  return result;
}

/** Reads the records in a record file's text, by its extension (Markdown or a YAML collection). */
export function readRecordText(rel: string, text: string, parse: YamlParser = parseYaml): FileReadResult {
  return rel.endsWith('.md') || rel.endsWith('.markdown')
    ? readMarkdownRecord(rel, text, parse)
    : readCollection(rel, text, parse);
}
