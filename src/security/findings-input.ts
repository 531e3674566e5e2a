/**
 * Reads the findings of a security test run from what testers and tools hand over: the generic
 * findings format (CSV with the columns id, title, severity, cwe, location, description in any
 * order, or a JSON array of objects with those fields; docs/format.md, "Importing findings"), or a
 * SARIF 2.1.0 log. Pure: file name and bytes in, findings out; bad input is a FindingsInputError
 * naming the file and line and what to do, never a stack trace.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { jsonErrorLine, readSarif } from '../evidence/sarif.js';
import { ImportError } from '../interop/model.js';
import { headerKey } from '../interop/sheet/columns.js';
import { readCsvGrid } from '../interop/sheet/csv-grid.js';

/** One finding as the run reports it: the tool's fields, never a disposition. */
export interface RunFinding {
  readonly id: string;
  readonly title: string;
  readonly severity?: string;
  readonly cwe?: string;
  readonly location?: string;
  readonly description?: string;
  /** 1-based line of the finding in the input. */
  readonly line?: number;
}

export const FINDINGS_FORMATS = ['csv', 'json', 'sarif'] as const;
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

export interface RunFindings {
  readonly format: FindingsFormat;
  readonly findings: readonly RunFinding[];
  /** Things worth telling without refusing the input (ignored columns, suppressed SARIF results). */
  readonly notes: readonly string[];
}

export class FindingsInputError extends Error {}

const FIELDS = ['id', 'title', 'severity', 'cwe', 'location', 'description'] as const;
type Field = (typeof FIELDS)[number];
const isField = (key: string): key is Field => (FIELDS as readonly string[]).includes(key);

const fail = (file: string, line: number | undefined, message: string): never => {
  throw new FindingsInputError(`${file}${line !== undefined ? `:${line}` : ''}: ${message}`);
};

/** `CWE-787`, `cwe-787` or `787` → `CWE-787`; anything else is refused at its line. */
function cweOf(value: string, file: string, line: number | undefined): string {
  const match = /^(?:cwe-)?([0-9]+)$/i.exec(value.trim());
  if (!match) return fail(file, line, `cwe "${value}" is not a CWE id: write CWE- and digits, e.g. CWE-787`);
  return `CWE-${Number(match[1])}`;
}

/** A finding from its fields as text; id and title are required, empty fields are absent. */
function finding(fields: Partial<Record<Field, string>>, file: string, line: number | undefined): RunFinding {
  const value = (key: Field) => {
    const text = fields[key]?.trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const id =
    value('id') ?? fail(file, line, 'the finding has no id: give each finding the id its report uses');
  const title =
    value('title') ?? fail(file, line, `finding ${id} has no title: say in a few words what was found`);
  const severity = value('severity');
  const cwe = value('cwe');
  const location = value('location');
  const description = value('description');
  return {
    id,
    title,
    ...(severity !== undefined ? { severity } : {}),
    ...(cwe !== undefined ? { cwe: cweOf(cwe, file, line) } : {}),
    ...(location !== undefined ? { location } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(line !== undefined ? { line } : {}),
  };
}

function readCsv(file: string, bytes: Uint8Array): RunFindings {
  let grid: ReturnType<typeof readCsvGrid>;
  try {
    grid = readCsvGrid(file, bytes);
  } catch (error) {
    if (error instanceof ImportError) throw new FindingsInputError(error.message);
    throw error;
  }
  const lineOf = (row: number) => grid.lines?.[row] ?? row + 1;
  const headerRow = grid.rows.findIndex((row) => (row ?? []).some((cell) => cell !== undefined));
  if (headerRow < 0) return fail(file, undefined, 'the file is empty: write a header row id,title,… first');
  const columns = new Map<Field, number>();
  const ignored: string[] = [];
  for (const [index, cell] of (grid.rows[headerRow] ?? []).entries()) {
    if (!cell) continue;
    const key = headerKey(cell.plain);
    if (!isField(key)) ignored.push(cell.plain.trim());
    else if (columns.has(key))
      fail(file, lineOf(headerRow), `the column "${key}" appears twice in the header`);
    else columns.set(key, index);
  }
  for (const required of ['id', 'title'] as const)
    if (!columns.has(required))
      fail(
        file,
        lineOf(headerRow),
        `the header has no "${required}" column: the first row names the columns ${FIELDS.join(', ')} (any order; id and title required)`,
      );
  const findings: RunFinding[] = [];
  for (let r = headerRow + 1; r < grid.rows.length; r++) {
    const row = grid.rows[r];
    if (!row || row.every((cell) => cell === undefined)) continue;
    const fields: Partial<Record<Field, string>> = {};
    for (const [key, column] of columns) {
      const cell = row[column];
      if (cell) fields[key] = cell.plain;
    }
    findings.push(finding(fields, file, lineOf(r)));
  }
  return {
    format: 'csv',
    findings,
    notes: ignored.length > 0 ? [`ignored the columns ${ignored.map((c) => `"${c}"`).join(', ')}`] : [],
  };
}

/** The JSON array of the generic format, read with positions so that errors name their line. */
function readJson(file: string, text: string): RunFindings {
  // JSON.parse judges the syntax (the YAML parser that gives the positions accepts more than JSON).
  try {
    JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    return fail(file, jsonErrorLine(text, message), `not valid JSON: ${message}`);
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const lineAt = (node: Node | null | undefined) =>
    node?.range ? counter.linePos(node.range[0]).line : undefined;
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    return fail(file, error.linePos?.[0].line, error.message.split('\n')[0]!);
  }
  const root = doc.contents;
  if (!isSeq(root))
    return fail(file, lineAt(root), 'expected a JSON array of findings: [{"id": "…", "title": "…"}, …]');
  const findings = root.items.map((item) => {
    const line = lineAt(item as Node);
    if (!isMap(item)) return fail(file, line, 'each finding is an object {"id": "…", "title": "…", …}');
    const fields: Partial<Record<Field, string>> = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!isField(key))
        return fail(file, line, `unknown field "${key}": a finding has ${FIELDS.join(', ')}`);
      const value = pair.value;
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isScalar(value) || typeof value.value === 'object')
        return fail(file, lineAt(value as Node) ?? line, `"${key}" must be a string or a number`);
      fields[key] = String(value.value);
    }
    return finding(fields, file, line);
  });
  return { format: 'json', findings, notes: [] };
}

/**
 * SARIF results as findings. A result has no id of its own that survives edits of the code, so
 * its id is `rule@file:line`: a finding that moves comes back under a new id (the old one is then
 * reported as not in this run). Suppressed results are left out and counted.
 */
function readSarifFindings(file: string, text: string): RunFindings {
  const report = readSarif(text);
  const error = report.problems.find((p) => p.severity === 'error');
  if (error) return fail(file, error.line, `${error.message}${error.hint ? `: ${error.hint}` : ''}`);
  const kept = report.results.filter((r) => !r.suppressed);
  const taken = new Map<string, number>();
  const findings = kept.map((r) => {
    const place = r.file ? `${r.file}${r.line !== undefined ? `:${r.line}` : ''}` : undefined;
    const rule = r.ruleId || r.tool;
    const base = place ? `${rule}@${place}` : rule;
    // Two results of one rule on one line are two findings: the second is `…#2`, in log order.
    const count = (taken.get(base) ?? 0) + 1;
    taken.set(base, count);
    return {
      id: count === 1 ? base : `${base}#${count}`,
      title: r.ruleName ?? (r.message.split('\n')[0] || rule),
      severity: r.level,
      ...(place ? { location: place } : {}),
      ...(r.message ? { description: r.message } : {}),
    };
  });
  const suppressed = report.results.length - kept.length;
  return {
    format: 'sarif',
    findings,
    notes: suppressed > 0 ? [`left out ${suppressed} suppressed SARIF result(s)`] : [],
  };
}

/** The format a file is in: its extension, and for `.json` whether it is a SARIF log. */
export function findingsFormatOf(file: string, text: string): FindingsFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.sarif') || lower.endsWith('.sarif.json')) return 'sarif';
  if (lower.endsWith('.json'))
    return /"runs"\s*:/.test(text) && /"\$schema"|"version"/.test(text) ? 'sarif' : 'json';
  return fail(file, undefined, 'give the format with --format csv|json|sarif (the file name does not say)');
}

export function readRunFindings(file: string, bytes: Uint8Array, format?: FindingsFormat): RunFindings {
  const text = () => {
    const decoded = new TextDecoder('utf-8').decode(bytes);
    return decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  };
  const chosen = format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : findingsFormatOf(file, text()));
  const read =
    chosen === 'csv'
      ? readCsv(file, bytes)
      : chosen === 'json'
        ? readJson(file, text())
        : readSarifFindings(file, text());
  const seen = new Map<string, number | undefined>();
  for (const f of read.findings) {
    if (seen.has(f.id)) {
      const first = seen.get(f.id);
      fail(
        file,
        f.line,
        `the finding id ${f.id} appears twice${first !== undefined ? ` (first on line ${first})` : ''}: each finding of a run has its own id`,
      );
    }
    seen.set(f.id, f.line);
  }
  return read;
}
