import path from 'node:path';
import { styleText } from 'node:util';
import type { Summary } from '../analyze.js';
import { RULES } from '../rules/registry.js';
import { DOSSIER_URI, DOSSIER_VERSION } from '../version.js';
import type { Diagnostic, Severity } from './diagnostic.js';
import { type CheckReport, JSON_SCHEMA_VERSION } from './report.js';
import type { Sarif } from './sarif-types.js';

export interface ReportInput {
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: Summary;
  /** Project root as shown to the user (relative to the working directory). */
  readonly displayRoot: string;
  readonly device?: string;
}

/** Prefixes diagnostic paths with the project root as the user named it, so editors can open them. */
export function displayPaths(diagnostics: readonly Diagnostic[], displayRoot: string): Diagnostic[] {
  const join = (file: string | undefined) =>
    file === undefined ? undefined : toPosix(path.join(displayRoot, file));
  return diagnostics.map((d) => ({
    ...d,
    ...(d.file !== undefined ? { file: join(d.file) } : {}),
    ...(d.related
      ? { related: d.related.map((r) => ({ ...r, ...(r.file ? { file: join(r.file) } : {}) })) }
      : {}),
  }));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export function formatText(input: ReportInput, options: { color?: boolean } = {}): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) =>
    options.color ? styleText(style, text) : text;
  const severityStyle: Record<Severity, Parameters<typeof styleText>[0]> = {
    error: 'red',
    warning: 'yellow',
    info: 'cyan',
  };
  const lines: string[] = [];
  for (const d of displayPaths(input.diagnostics, input.displayRoot)) {
    const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}` : '(project)';
    lines.push(
      `${where} ${paint(severityStyle[d.severity], d.severity)} ${paint('dim', d.code)} ${d.message}`,
    );
    for (const r of d.related ?? []) {
      lines.push(
        `  note: ${r.message}${r.file ? ` (${r.file}${r.line ? `:${r.line}:${r.column ?? 1}` : ''})` : ''}`,
      );
    }
    if (d.hint)
      lines.push(
        paint('dim', `  hint: ${d.hint}${d.clauses.length ? ` [${formatClauses(d.clauses)}]` : ''}`),
      );
  }
  const s = input.summary;
  const verdict =
    s.errors > 0 ? paint('red', '✖') : s.warnings > 0 ? paint('yellow', '⚠') : paint('green', '✔');
  lines.push(
    `${verdict} ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}${s.infos ? `, ${plural(s.infos, 'note')}` : ''} in ${plural(s.records, 'record')} (${plural(s.files, 'file')})`,
  );
  return `${lines.join('\n')}\n`;
}

/** "IEC 62304 7.3.1; ISO 14971 7.2": bare clause numbers are IEC 62304, others name their standard. */
export function formatClauses(clauses: readonly string[]): string {
  const iec = clauses.filter((c) => /^\d/.test(c));
  const other = clauses.filter((c) => !/^\d/.test(c));
  return [...(iec.length ? [`IEC 62304 ${iec.join(', ')}`] : []), ...other].join('; ');
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function checkReport(input: ReportInput): CheckReport {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    project: { ...(input.device ? { device: input.device } : {}), root: toPosix(input.displayRoot) },
    summary: {
      errors: input.summary.errors,
      warnings: input.summary.warnings,
      infos: input.summary.infos,
      records: input.summary.records,
      files: input.summary.files,
    },
    diagnostics: displayPaths(input.diagnostics, input.displayRoot).map(({ related, clauses, ...rest }) => ({
      ...rest,
      clauses: [...clauses],
      ...(related ? { related: related.map((r) => ({ ...r })) } : {}),
    })),
  };
}

export function formatJson(input: ReportInput): string {
  return `${JSON.stringify(checkReport(input), null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** SARIF 2.1.0 for code-scanning annotations; locations are relative to the working directory. */
export function sarifLog(input: ReportInput): Sarif {
  const rules = RULES.map((rule) => ({
    id: rule.code,
    name: rule.code
      .replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())
      .replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: rule.summary },
    help: { text: `${rule.hint}${rule.clauses.length ? ` (${formatClauses(rule.clauses)})` : ''}` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: { clauses: [...rule.clauses] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const location = (file: string, line?: number, column?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file) },
      ...(line ? { region: { startLine: line, startColumn: column ?? 1 } } : {}),
    },
  });
  const results = displayPaths(input.diagnostics, input.displayRoot).map((d) => ({
    ruleId: d.code,
    ...(ruleIndex.has(d.code) ? { ruleIndex: ruleIndex.get(d.code)! } : {}),
    level: SARIF_LEVEL[d.severity],
    message: { text: d.hint ? `${d.message}. Hint: ${d.hint}` : d.message },
    ...(d.file ? { locations: [location(d.file, d.line, d.column)] } : {}),
    ...(d.related?.some((r) => r.file)
      ? {
          relatedLocations: d.related
            .filter((r) => r.file)
            .map((r, id) => ({ id, ...location(r.file!, r.line, r.column), message: { text: r.message } })),
        }
      : {}),
    ...(d.recordId ? { properties: { recordId: d.recordId } } : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Dossier', version: DOSSIER_VERSION, informationUri: DOSSIER_URI, rules } },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export function formatSarif(input: ReportInput): string {
  return `${JSON.stringify(sarifLog(input), null, 2)}\n`;
}
