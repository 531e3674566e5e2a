import path from 'node:path';
import type { Summary } from '../analyze.js';
import { describeAtHead, type UnloadedFile } from '../load/unloaded.js';
import type { LoweredRule } from '../rules/severity.js';
import type { Diagnostic } from './diagnostic.js';

/** What every diagnostic reporter receives; one module per output format renders it. */
export interface ReportInput {
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: Summary;
  /** Project root as shown to the user (relative to the working directory). */
  readonly displayRoot: string;
  readonly device?: string;
  /** Rules dossier.yaml lowers below their default severity (Analysis.lowered). */
  readonly lowered?: readonly LoweredRule[];
  /** Record files that did not load: the report is incomplete. */
  readonly unloaded?: readonly UnloadedFile[];
}

/** The `unloadedFiles` entries of the JSON and SARIF reports (docs/json.md). */
export function unloadedFilesReport(unloaded: readonly UnloadedFile[], displayRoot: string) {
  return unloaded.map((u) => ({
    file: toPosix(path.join(displayRoot, u.file)),
    code: u.finding.code,
    reason: u.finding.message,
    recordsAtHead: u.atHead.known ? u.atHead.count : null,
    recordIdsAtHead: u.atHead.known ? [...u.atHead.ids] : [],
    atHead: describeAtHead(u.atHead),
  }));
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
    ...(d.consequenceOf !== undefined ? { consequenceOf: join(d.consequenceOf) } : {}),
  }));
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** "IEC 62304 7.3.1; ISO 14971 7.2": bare clause numbers are IEC 62304, others name their standard. */
export function formatClauses(clauses: readonly string[]): string {
  // "21 CFR 11.70" names its regulation, though it starts with a digit.
  const bare = (c: string) => /^\d/.test(c) && !/^\d+ CFR /.test(c);
  const iec = clauses.filter(bare);
  const other = clauses.filter((c) => !bare(c));
  return [...(iec.length ? [`IEC 62304 ${iec.join(', ')}`] : []), ...other].join('; ');
}

/** "risk/cause-missing lowered from error to warning (2 findings): reason", as every report says it. */
export function describeLowering(rule: LoweredRule): string {
  const findings =
    rule.to === 'off'
      ? `${plural(rule.findings, 'finding')} not shown`
      : `${plural(rule.findings, 'finding')} affected`;
  return `${rule.code} lowered from ${rule.from} to ${rule.to} (${findings}): ${rule.reason ?? 'no reason given'}`;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** "SOUP-001, SOUP-002, SOUP-003, SOUP-004, SOUP-005, … (12)": ids in a message, shortened. */
export function listIds(ids: readonly string[], shown = 5): string {
  return ids.length <= shown ? ids.join(', ') : `${ids.slice(0, shown).join(', ')}, … (${ids.length})`;
}
