import { RULES } from '../rules/registry.js';
import { ruleClasses } from '../rules/severity.js';
import { IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { DOSSIER_URI, DOSSIER_VERSION } from '../version.js';
import type { Severity } from './diagnostic.js';
import { displayPaths, formatClauses, type ReportInput, unloadedFilesReport } from './format.js';
import type { Sarif } from './sarif-types.js';

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
    properties: {
      clauses: [...rule.clauses],
      applicability: rule.applicability,
      classes: ruleClasses(rule, IEC_62304_ED1_1),
    },
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
    message: {
      text: `${d.message}${d.consequenceOf ? ` (because ${d.consequenceOf} did not load)` : ''}${d.lowered ? ` (lowered from ${d.lowered.from} in dossier.yaml: ${d.lowered.reason ?? 'no reason given'})` : ''}${d.hint ? `. Hint: ${d.hint}` : ''}`,
    },
    ...(d.file ? { locations: [location(d.file, d.line, d.column)] } : {}),
    ...(d.related?.some((r) => r.file)
      ? {
          relatedLocations: d.related
            .filter((r) => r.file)
            .map((r, id) => ({ id, ...location(r.file!, r.line, r.column), message: { text: r.message } })),
        }
      : {}),
    ...(d.recordId || d.safetyClass || d.lowered || d.consequenceOf
      ? {
          properties: {
            ...(d.recordId ? { recordId: d.recordId } : {}),
            ...(d.consequenceOf ? { consequenceOf: d.consequenceOf } : {}),
            ...(d.safetyClass ? { safetyClass: d.safetyClass } : {}),
            ...(d.lowered ? { lowered: { ...d.lowered } } : {}),
          },
        }
      : {}),
  }));
  // SARIF's place for a severity the user's configuration changed, with Dossier's reason alongside.
  const overrides = (input.lowered ?? []).map((l) => ({
    descriptor: { id: l.code, ...(ruleIndex.has(l.code) ? { index: ruleIndex.get(l.code)! } : {}) },
    configuration: l.to === 'off' ? { enabled: false } : { level: SARIF_LEVEL[l.to] },
    properties: {
      from: l.from,
      to: l.to,
      ...(l.reason !== undefined ? { reason: l.reason } : {}),
      findings: l.findings,
    },
  }));
  // A run that could not read every record file did not execute successfully: say which, as data.
  const unloaded = unloadedFilesReport(input.unloaded ?? [], input.displayRoot);
  // One invocation carries both facts: whether every record file was read, and the severities the
  // user's configuration changed.
  const invocation = {
    executionSuccessful: unloaded.length === 0,
    ...(unloaded.length > 0
      ? {
          toolExecutionNotifications: unloaded.map((u) => ({
            level: 'error' as const,
            message: { text: `INCOMPLETE: ${u.file} did not load: ${u.reason}; ${u.atHead}` },
            locations: [location(u.file)],
          })),
        }
      : {}),
    ...(overrides.length > 0 ? { ruleConfigurationOverrides: overrides } : {}),
  };
  const invocations = unloaded.length > 0 || overrides.length > 0 ? { invocations: [invocation] } : {};
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Dossier', version: DOSSIER_VERSION, informationUri: DOSSIER_URI, rules } },
        ...invocations,
        results,
        columnKind: 'utf16CodeUnits',
        properties: { incomplete: unloaded.length > 0, unloadedFiles: unloaded },
      },
    ],
  };
}

export function formatSarif(input: ReportInput): string {
  return `${JSON.stringify(sarifLog(input), null, 2)}\n`;
}
