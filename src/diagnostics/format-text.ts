import { styleText } from 'node:util';
import type { Severity } from './diagnostic.js';
import { describeLowering, displayPaths, formatClauses, plural, type ReportInput } from './format.js';

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
    const because = d.consequenceOf ? ` (because ${d.consequenceOf} did not load)` : '';
    lines.push(
      `${where} ${paint(severityStyle[d.severity], d.severity)} ${paint('dim', d.code)} ${d.message}${because}`,
    );
    for (const r of d.related ?? []) {
      lines.push(
        `  note: ${r.message}${r.file ? ` (${r.file}${r.line ? `:${r.line}:${r.column ?? 1}` : ''})` : ''}`,
      );
    }
    if (d.lowered) {
      lines.push(
        `  lowered from ${d.lowered.from} in dossier.yaml: ${d.lowered.reason ?? 'no reason given'}`,
      );
    }
    if (d.hint)
      lines.push(
        paint('dim', `  hint: ${d.hint}${d.clauses.length ? ` [${formatClauses(d.clauses)}]` : ''}`),
      );
  }
  // Lowered obligations are part of the verdict: listed even when no finding is shown.
  for (const rule of input.lowered ?? []) {
    lines.push(paint('yellow', `lowered by dossier.yaml: ${describeLowering(rule)}`));
  }
  const s = input.summary;
  const verdict =
    s.errors > 0 ? paint('red', '✖') : s.warnings > 0 ? paint('yellow', '⚠') : paint('green', '✔');
  const unloaded = input.unloaded ?? [];
  const incomplete =
    unloaded.length > 0
      ? paint('red', `; INCOMPLETE: ${plural(unloaded.length, 'record file')} did not load`)
      : '';
  lines.push(
    `${verdict} ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}${s.infos ? `, ${plural(s.infos, 'note')}` : ''} in ${plural(s.records, 'record')} (${plural(s.files, 'file')})${incomplete}`,
  );
  return `${lines.join('\n')}\n`;
}
